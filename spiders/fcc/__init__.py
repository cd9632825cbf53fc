"""The FCC Covered List."""
