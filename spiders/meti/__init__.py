"""Japan's METI: the End User List (a PDF table) and the export-ban lists (numbered PDF lists)."""
