"""trade.gov's Consolidated Screening List."""
