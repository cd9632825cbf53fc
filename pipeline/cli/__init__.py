"""The `chokepoint` command: one click group (`main.cli`), each command a few lines of glue.

Shared options are declared once (`options`); everything a command says goes through
one reporter (`reporter`). Commands import their parts (Scrapy, Datasette, the
matcher, the classifier) when they run, so `chokepoint --help` answers at once.
"""

from pipeline.cli.main import cli

__all__ = ["cli"]
