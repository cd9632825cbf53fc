"""Everything after parsing: storing, change tracking, publishing, the CLI."""
