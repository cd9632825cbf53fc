"""The classifier: its numpy encoder, signals, prefilter, head and data."""
