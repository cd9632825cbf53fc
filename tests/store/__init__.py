"""The published database: upserts, change detection, removal, full-text search."""
