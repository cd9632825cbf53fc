"""European Commission sources: trade defence (TRON, the Official Journal) and the Foreign Subsidies Regulation."""
