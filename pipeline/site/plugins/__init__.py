"""Datasette plugins of the published site (Datasette loads every module in this folder)."""
