"""The crawl: the gate (health checks), landing, the post-crawl steps, `chokepoint crawl` end to end."""
