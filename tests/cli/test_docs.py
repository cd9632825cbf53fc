"""The README documents every command (a command missing from it fails here)."""

import re

import pytest

from pipeline.cli import cli
from tests.kit.files import ROOT

README = (ROOT / "README.md").read_text()


def all_commands(group, prefix=""):
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        yield full
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix=f"{full} ")


@pytest.mark.parametrize("command", sorted(all_commands(cli)))
def test_command_is_in_readme(command):
    assert re.search(rf"`chokepoint {re.escape(command)}\b", README), f"`chokepoint {command}` is not in README.md"


def test_readme_gives_the_two_commands():
    assert "make demo" in README and "make test" in README
