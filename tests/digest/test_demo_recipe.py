"""The README's promise: a new user runs what `chokepoint demo` prints and receives a digest of the demo data
from a local SMTP server (`python -m aiosmtpd`, the real command-line server, on 127.0.0.1)."""

import shlex
import subprocess
import sys
import time

from tests.kit.cli import FROZEN_NOW, run_cli
from tests.kit.files import ROOT
from tests.kit.mail import free_port, parse, text_of


def test_the_printed_recipe_delivers_a_digest_of_the_demo(tmp_path):
    db, private = tmp_path / "chokepoint.db", tmp_path / "private.db"
    demo = run_cli("demo", "--no-serve", "--db", str(db), "--private-db", str(private), check=True)
    lines = demo.stdout.splitlines()
    start = lines.index("Receive this demo's digest by email, from a local SMTP server that prints what it gets:")
    recipe = [line.strip() for line in lines[start + 1 : start + 5]]
    assert recipe[0].endswith("-m aiosmtpd -n -l 127.0.0.1:8025 &")
    assert f"digest --since {FROZEN_NOW[:10]} --smtp-host 127.0.0.1 --smtp-port 8025" in recipe[3]
    port = str(free_port())
    printed = tmp_path / "smtp.out"
    with printed.open("w") as out:  # a file, not a pipe: the server prints whole messages
        server = subprocess.Popen(
            [sys.executable, *shlex.split(recipe[0].removesuffix("&").replace("8025", port))[1:]],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        time.sleep(1.5)  # the server is up when it listens; the first command would fail loudly otherwise
        for line in recipe[1:]:
            args = shlex.split(line.replace("8025", port))
            assert args[0].endswith("chokepoint")
            result = run_cli(*args[1:])
            assert result.returncode == 0, f"{line}\n{result.stderr}"
        assert "you@example.com: sent: chokepoint digest 2026-11-28: " in result.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
    received = printed.read_text()
    assert received.count("---------- MESSAGE FOLLOWS ----------") == 1
    message = parse(
        received.split("---------- MESSAGE FOLLOWS ----------\n")[1].split("------------ END MESSAGE")[0].encode()
    )
    assert message["To"] == "you@example.com"
    text = text_of(message)
    assert "1. YOUR EXPOSURE" in text and "(your id V-001), watchlist suppliers" in text
