"""The fault matrix: every spider, through the real Scrapy engine, against a server on 127.0.0.1 that misbehaves.

Each case starts from the spider's stored baseline (one healthy crawl of its saved
responses, tests/faults/sources.py), serves a faulty copy, crawls it with the real
`chokepoint crawl` (forked from a warm process, tests/kit/forking.py) and checks:

- the exit code, and the one line that names the source and the reason;
- the run's row in `crawl_runs` (failed with that reason, or succeeded);
- a hash of every published table: unchanged, unless the crawl legitimately
  succeeded (then what it changed is checked).

A fault that has no meaning for a source is listed with the reason, never silently
left out (`pytest -rs` shows them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.faults.conftest import crawl_args
from tests.faults.server import Answer
from tests.faults.sources import SOURCES, NotApplicable, Source
from tests.kit.hashes import runs, table_hashes

TIMEOUT = "0.5"  # seconds: the `timeout` fault's server waits 5


# -- what a fault serves ------------------------------------------------------------------------------


def answers(site: dict[str, bytes], **at_entry) -> dict[str, Answer]:
    return {path: Answer(body) for path, body in site.items()}


def at_entry(source: Source, site: dict[str, bytes] | None = None, **fault) -> dict[str, Answer]:
    served = answers(site or source.baseline)
    served[source.entry] = Answer(served[source.entry].body, **fault)
    return served


def rows(source: Source, keep: Callable[[list], list]) -> dict[str, Answer]:
    return answers(source.with_records(keep))


WAF_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head>"
    b"<body><h1>Checking your browser before accessing the site.</h1></body></html>\n"
)
XXE_FILE = '<!DOCTYPE {root} [<!ENTITY leak SYSTEM "file:///etc/hostname">]>'
XXE_DTD = '<!DOCTYPE {root} SYSTEM "{base}/evil.dtd">'
PARAMETER_ENTITY = '<!DOCTYPE {root} [<!ENTITY % remote SYSTEM "{base}/evil.dtd"> %remote;]>'
LAUGHS = (
    '<!DOCTYPE {root} [<!ENTITY lol0 "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    + "]>"
)


def xml_attack(source: Source, doctype: str, base: str, reference: str) -> dict[str, Answer]:
    """The source's XML with a DTD after its declaration and `reference` in the first text it holds."""
    body = source.baseline[source.xml_file].decode("utf-8")
    declaration_end = body.index("?>") + 2
    root = body[body.index("<", declaration_end) + 1 :].split(None, 1)[0].rstrip(">")
    attacked = body[:declaration_end] + "\n" + doctype.format(root=root, base=base) + body[declaration_end:]
    sample = source.name_sample.decode("utf-8") if source.xml_file == source.list_file else "Consolidated List"
    attacked = attacked.replace(sample, f"{sample}{reference}", 1)
    served = answers(source.baseline)
    served[source.xml_file] = Answer(attacked.encode("utf-8"))
    served["/evil.dtd"] = Answer(b'<!ENTITY leak SYSTEM "file:///etc/hostname">', content_type="application/xml-dtd")
    return served


# -- what a fault should do ---------------------------------------------------------------------------


# Sources fetched through headless Chromium (fetch_mode = "browser"): spiders/kit/browser.py.
BROWSER_SOURCES = ("fcc_covered", "meti_end_user")


@dataclass
class Fails:
    reason: str  # "source unavailable: HTTP 503": what the one line says after "<spider>: "
    detail: str = ""  # more of it, when the reason alone would not prove the right check fired


@dataclass
class Succeeds:
    changed: bool = False  # False: every published table's content is as before
    check: Callable | None = None  # (db_path, run, result) -> None, for a legitimate change
    warning: str = ""  # a warning line the crawl must print


@dataclass
class Fault:
    serve: Callable[[Source, str], dict[str, Answer]]  # (source, server base) -> the site
    expect: Callable[[Source], Fails | Succeeds]
    extra: tuple[str, ...] = ()
    url: Callable[[Source], str] = field(default=lambda source: source.entry)
    applies: Callable[[Source], str | None] = field(default=lambda source: None)  # a reason it does not


def shrinks(source: Source, kept: int) -> Fails | Succeeds:
    """A list cut to `kept` of its records: the guard, the declared range, or a legitimate small delisting."""
    if source.kind == "documents":
        if source.spider in ("federal_register", "federal_register_public_inspection", "chips_nist"):
            return Fails("source truncated", "its count says")  # the answer's count betrays it
        if kept == 0:
            return (
                Fails("source returned nothing")
                if source.spider == "eu_trade_defence"
                else Fails("source changed shape")
            )
        return Succeeds()  # read whole on every crawl, and documents are never removed: nothing is lost
    if source.spider == "mofcom":
        if kept == 0:
            return Fails("source changed shape", "lists no linked item")
        return Fails("item count out of range")  # the announcement naming the parties is among those cut
    if source.spider == "fcc_covered":
        return Fails("item count out of range") if kept < 11 else Succeeds(changed=True, check=some_removed)
    total = _count(source)
    if total - kept > 25 and (total - kept) > 0.03 * total:
        return Fails("source shrank", "--accept-removals")
    return Succeeds(changed=True, check=some_removed)


def reset(source: Source) -> Fails:
    """A connection reset before the announced length. Over HTTP Scrapy sees the shortfall; a browser-mode source's
    in-page fetch() only reports a network error, so there it is the source unavailable."""
    if source.spider in BROWSER_SOURCES:
        return Fails("source unavailable", "browser fetch of")
    return Fails("source truncated")


def challenged(source: Source) -> Fails:
    """A firewall's challenge page with HTTP 200 is named a block: by its format where the source expects anything
    but HTML, and by the challenge's own marks (its title here) where the source's pages are HTML (NIST's news)."""
    return Fails("source blocked")


def some_removed(db_path, run, result):
    assert run["removed"] > 0 and run["added"] == 0 and run["modified"] == 0


def replaced_byte(db_path, run, result):
    """BIS is known to carry stray Windows-1252 bytes: the one character is replaced, and the party re-keyed."""
    assert "replaced by U+FFFD" in result.stderr
    assert (run["added"], run["removed"]) == (1, 1)


def kept(share: float):
    return lambda items: items[: int(len(items) * share)]


def applies_to_xml(source: Source) -> str | None:
    return None if source.xml_file else "not an XML source"


def undecodable(source: Source) -> Fails | Succeeds:
    if source.spider == "bis_denied":
        return Succeeds(changed=True, check=replaced_byte, warning="replaced by U+FFFD")
    return Fails("undecodable bytes", "is not valid utf-8")


def other_shape(source: Source) -> Fails:
    if source.spider == "eu_trade_defence":
        return Fails("source returned nothing", "has no feed items")
    return Fails("source changed shape")


def accepted(source: Source) -> str | None:
    outcome = shrinks(source, int(_count(source) * 0.8)) if source.kind == "listings" else None
    if not (isinstance(outcome, Fails) and outcome.reason == "source shrank"):
        return "80% of this list is within the guard: there is nothing to accept"
    return None


def accepted_removals(db_path, run, result):
    assert run["accepted_removals"] == 1 and run["removed"] > 0
    assert "accepted (--accept-removals)" in result.stderr


def _count(source: Source) -> int:
    return len(source.split(source.baseline[source.list_file]).items)


FAULTS: dict[str, Fault] = {
    "500_then_ok": Fault(lambda s, base: at_entry(s, statuses=[500]), lambda s: Succeeds()),
    "persistent_5xx": Fault(lambda s, base: at_entry(s, status=503), lambda s: Fails("source unavailable: HTTP 503")),
    "reset_mid_body": Fault(lambda s, base: at_entry(s, fault="reset"), lambda s: reset(s)),
    "timeout": Fault(
        lambda s, base: at_entry(s, fault="slow"),
        lambda s: Fails("source unavailable", "TimeoutError"),
        extra=("--timeout", TIMEOUT),
    ),
    "truncated_body": Fault(lambda s, base: at_entry(s, fault="truncate"), lambda s: Fails("source truncated")),
    "empty_200": Fault(
        lambda s, base: {**answers(s.baseline), s.entry: Answer(b"")}, lambda s: Fails("source returned nothing")
    ),
    "waf_200": Fault(
        lambda s, base: {**answers(s.baseline), s.entry: Answer(WAF_PAGE, content_type="text/html")},
        challenged,
    ),
    "other_shape": Fault(lambda s, base: {**answers(s.baseline), s.entry: Answer(s.other_shape())}, other_shape),
    "rows_10pct": Fault(lambda s, base: rows(s, kept(0.1)), lambda s: shrinks(s, int(_count(s) * 0.1))),
    "rows_80pct": Fault(lambda s, base: rows(s, kept(0.8)), lambda s: shrinks(s, int(_count(s) * 0.8))),
    "every_5th_dropped": Fault(
        lambda s, base: rows(s, lambda items: [x for i, x in enumerate(items, 1) if i % 5]),
        lambda s: shrinks(s, _count(s) - _count(s) // 5),
    ),
    "duplicated_rows": Fault(lambda s, base: rows(s, lambda items: items + items), lambda s: Succeeds()),
    "duplicated_rows_reversed": Fault(
        lambda s, base: rows(s, lambda items: [x for item in reversed(items) for x in (item, item)]),
        lambda s: Succeeds(),
    ),
    "invalid_byte": Fault(lambda s, base: answers(s.with_invalid_byte()), undecodable),
    "renamed_required": Fault(
        lambda s, base: answers(s.renamed_required()),
        lambda s: Fails("source changed shape", s.required_detail or s.required_field),
    ),
    "renamed_optional": Fault(
        lambda s, base: answers(s.renamed_optional()),
        lambda s: Fails("source changed shape", f"no item of this crawl has '{s.optional_field}'"),
    ),
    "accept_removals": Fault(
        lambda s, base: rows(s, kept(0.8)),
        lambda s: Succeeds(changed=True, check=accepted_removals),
        extra=("--accept-removals",),
        applies=accepted,
    ),
    "xxe_file": Fault(
        lambda s, base: xml_attack(s, XXE_FILE, base, "&leak;"),
        lambda s: Fails("refused", "declares XML entities"),
        url=lambda s: s.xml_file,
        applies=applies_to_xml,
    ),
    "xxe_external_dtd": Fault(
        lambda s, base: xml_attack(s, XXE_DTD, base, "&leak;"),
        lambda s: Fails("refused", "refers to an external DTD"),
        url=lambda s: s.xml_file,
        applies=applies_to_xml,
    ),
    "parameter_entity": Fault(
        lambda s, base: xml_attack(s, PARAMETER_ENTITY, base, ""),
        lambda s: Fails("refused"),
        url=lambda s: s.xml_file,
        applies=applies_to_xml,
    ),
    "billion_laughs": Fault(
        lambda s, base: xml_attack(s, LAUGHS, base, "&lol9;"),
        lambda s: Fails("refused"),
        url=lambda s: s.xml_file,
        applies=applies_to_xml,
    ),
}


def cases():
    for spider, source in SOURCES.items():
        for name, fault in FAULTS.items():
            reason = source.not_applicable.get(name) or fault.applies(source)
            marks = [pytest.mark.skip(reason=f"{spider}, {name}: not applicable: {reason}")] if reason else []
            yield pytest.param(spider, name, id=f"{spider}-{name}", marks=marks)


@pytest.mark.parametrize("spider, fault_name", list(cases()))
def test_fault(spider, fault_name, tmp_path, forker, fault_server, baselines):
    source, fault = SOURCES[spider], FAULTS[fault_name]
    db_path = baselines.copy_to(spider, tmp_path / "chokepoint.db")
    before, content_before, runs_before = table_hashes(db_path), table_hashes(db_path, True), len(runs(db_path))
    try:
        site = fault.serve(source, fault_server.base)
    except NotApplicable as error:  # a source that says so must say it in `not_applicable` too
        raise AssertionError(f"{spider} cannot serve {fault_name} ({error}) but does not list it") from None
    base = fault_server.serve(site)
    expected = fault.expect(source)

    result = forker.run(*crawl_args(source, base + fault.url(source), db_path, *fault.extra))

    assert "Traceback" not in result.stderr, result.stderr
    run = runs(db_path)[-1]
    assert len(runs(db_path)) == runs_before + 1, "every crawl leaves one row in crawl_runs"
    if isinstance(expected, Fails):
        assert result.returncode == 1, f"{fault_name} should fail {spider}:\n{result.stdout}\n{result.stderr}"
        line = f"{spider}: FAILED [run {run['id']}]: {spider}: {expected.reason}"
        assert line in result.stderr, result.stderr
        assert expected.detail in result.stderr, result.stderr
        assert result.last_line == f"Error: 1 of 1 crawl(s) failed: {spider}"
        assert run["status"] == "failed" and expected.reason in run["error"]
        assert table_hashes(db_path) == before, "a failed crawl changed what was stored"
    else:
        assert result.returncode == 0, f"{fault_name} should leave {spider} healthy:\n{result.stderr}"
        assert result.stdout.startswith(f"{spider}: ok,"), result.stdout
        assert run["status"] == "succeeded"
        assert expected.warning in result.stderr
        if expected.changed:
            expected.check(db_path, run, result)
        else:
            assert (run["added"], run["modified"], run["removed"], run["restored"]) == (0, 0, 0, 0), run
            assert table_hashes(db_path, True) == content_before, "a crawl with nothing new changed what was stored"
    if fault_name in ("xxe_external_dtd", "parameter_entity"):
        assert "/evil.dtd" not in fault_server.requests, "the crawl fetched the attacker's DTD"
