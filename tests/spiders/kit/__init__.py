"""What every spider shares: formats, dates, the country lookup."""
