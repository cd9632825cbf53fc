"""The Bureau of Industry and Security's own lists (the Denied Persons List)."""
