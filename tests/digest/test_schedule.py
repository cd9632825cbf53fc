"""docs/schedule.md, read back: the systemd units pass `systemd-analyze verify`, the timer's calendar and the
cron line's fields are valid, and every command line they run is one `chokepoint daily` accepts."""

import configparser
import re
import shlex
import shutil
import subprocess

import pytest

from pipeline.cli import cli
from tests.kit.cli import CHOKEPOINT
from tests.kit.files import ROOT

SCHEDULE = (ROOT / "docs" / "schedule.md").read_text()
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"


def unit(name: str) -> str:
    found = re.search(rf"`/etc/systemd/system/{re.escape(name)}`:\n\n```ini\n(.*?)```", SCHEDULE, re.S)
    assert found, f"{name} is not in docs/schedule.md"
    return found[1]


def sections(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(text)
    return parser


def accepted_by_daily(args: list[str]) -> None:
    """The arguments parse as `chokepoint daily ...` (click checks every option and its value)."""
    assert args[0] == "daily", args
    with cli.commands["daily"].make_context("daily", args[1:], resilient_parsing=False) as context:
        assert context.params["db_path"].name == "chokepoint.db"
        assert context.params["site_url"] == "https://chokepoint.example.org"


def test_the_systemd_units_verify_and_run_chokepoint_daily(tmp_path):
    service, timer = unit("chokepoint-daily.service"), unit("chokepoint-daily.timer")
    exec_start = shlex.split(sections(service)["Service"]["ExecStart"])
    assert exec_start[0] == "/opt/chokepoint/.venv/bin/chokepoint"
    accepted_by_daily(exec_start[1:])
    assert sections(service)["Service"]["Type"] == "oneshot"
    assert "PASSWORD" not in service and sections(service)["Service"]["EnvironmentFile"] == "/etc/chokepoint/smtp.env"
    assert sections(timer)["Timer"]["Persistent"] == "true"

    # The same units with this checkout's paths, checked by systemd itself (unknown keys, bad values, the binary).
    (tmp_path / "smtp.env").write_text("CHOKEPOINT_SMTP_HOST=127.0.0.1\n")
    local = (
        service.replace("/opt/chokepoint/.venv/bin/chokepoint", str(CHOKEPOINT))
        .replace("/opt/chokepoint", str(tmp_path))
        .replace("/etc/chokepoint/smtp.env", str(tmp_path / "smtp.env"))
    )
    (tmp_path / "chokepoint-daily.service").write_text(local)
    (tmp_path / "chokepoint-daily.timer").write_text(timer)
    verified = subprocess.run(
        [
            SYSTEMD_ANALYZE,
            "verify",
            str(tmp_path / "chokepoint-daily.service"),
            str(tmp_path / "chokepoint-daily.timer"),
        ],
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0 and not verified.stderr.strip(), verified.stderr
    calendar = subprocess.run(
        [SYSTEMD_ANALYZE, "calendar", sections(timer)["Timer"]["OnCalendar"]], capture_output=True, text=True
    )
    assert calendar.returncode == 0 and "Normalized form: *-*-* 06:30:00 UTC" in calendar.stdout, calendar.stderr


@pytest.mark.parametrize("field, low, high", [(0, 0, 59), (1, 0, 23)])
def test_the_cron_line_runs_chokepoint_daily_at_a_valid_time(field, low, high):
    [line] = re.findall(r"```cron\n(.*?)\n```", SCHEDULE, re.S)
    fields, command = line.split()[:5], line.split(None, 5)[5]
    assert low <= int(fields[field]) <= high and fields[2:] == ["*", "*", "*"]
    steps = [step.strip() for step in command.split("&&")]
    assert steps[:4] == ["cd /opt/chokepoint", "set -a", ". /etc/chokepoint/smtp.env", "set +a"]
    program, *args = shlex.split(steps[4].split(">>")[0])
    assert program == ".venv/bin/chokepoint"
    accepted_by_daily(args)
    assert steps[4].endswith(">> data/daily.log 2>&1")
    syntax = subprocess.run(["sh", "-n", "-c", command], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
