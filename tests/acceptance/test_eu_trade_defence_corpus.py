"""The trade-defence spider refuses a real Official Journal file that is not what it reads.

No TRON answer or EUR-Lex feed is recorded offline. The corpus holds the
Publications Office's Cellar notice for Regulation (EU) 2018/196: XML, but no
feed; a crawl given it must fail by name and store nothing.
"""

import sqlite3

import pytest

from tests.kit.cli import run_cli
from tests.kit.files import ROOT

pytestmark = pytest.mark.acceptance

NOTICE = ROOT.parent / "shared" / "corpus" / "eu" / "cellar_notices" / "celex_32018R0196_object_work.xml"


def test_a_cellar_notice_is_not_taken_for_a_feed(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    result = run_cli("crawl", "eu_trade_defence", "--url", NOTICE.as_uri(), "--db", str(db_path), "--expect", "0:10")
    assert result.returncode == 1
    assert (
        "eu_trade_defence: source returned nothing: celex_32018R0196_object_work.xml has no feed items" in result.stderr
    )
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("failed",)]
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
