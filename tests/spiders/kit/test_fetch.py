"""Telling a firewall's answer from the source's, and asking a file's candidate addresses in order."""

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from spiders.csl.csl import CslSpider
from spiders.kit import fetch
from spiders.kit.errors import SourceBlocked, SourceShapeChanged
from spiders.kit.offline import follow_request
from tests.kit.files import FILES, written


def answer(body: bytes, status: int = 200, headers=None, url: str = "https://example.gov/list.xml"):
    return TextResponse(url=url, status=status, body=body, headers=headers, encoding="utf-8", request=Request(url))


@pytest.mark.parametrize(
    "body, status, headers, looks_like, found",
    [
        (b"<?xml version='1.0'?><sanctionsData/>", 200, None, (b"<?xml",), None),
        (b"forbidden", 403, None, (b"<?xml",), "HTTP 403 (forbidden)"),
        (b"slow down", 429, None, (), "HTTP 429 (too many requests)"),
        (b"<html><script>window.gokuProps = {}</script></html>", 202, None, (b"<",), "(AWS WAF), HTTP 202"),
        (b"<html><head><title>Just a moment...</title></head></html>", 200, None, (b"<",), 'titled "Just a moment..."'),
        (b"<html><body>Please wait</body></html>", 200, {"cf-mitigated": "challenge"}, (b"<",), "(Cloudflare)"),
        (FILES.joinpath("fcc_covered", "access_denied.html").read_bytes(), 200, None, (b"<",), "Access Denied"),
        (FILES.joinpath("csl", "waf_challenge.html").read_bytes(), 200, None, (b"_id",), "(F5)"),
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", 200, None, (b"{",), "an HTML page where the file"),
        (b"<!DOCTYPE html><html><body>Covered List</body></html>", 200, None, (b"<",), None),
        (b'{"error": "nope"}', 200, None, (b"<?xml",), None),  # another format, not a block: a shape change
    ],
)
def test_block_in(body, status, headers, looks_like, found):
    blocked = fetch.block_in(answer(body, status, headers), looks_like)
    if found is None:
        assert blocked is None
    else:
        assert found in blocked


def test_the_real_recorded_pages_are_not_taken_for_challenges():
    for path in FILES.rglob("*.htm*"):
        if path.name not in ("access_denied.html", "waf_challenge.html"):
            assert fetch.challenge_in(path.read_bytes()) is None, path


def test_require_body_names_a_block_and_a_shape_change_apart():
    with pytest.raises(SourceBlocked):
        fetch.require_body("x", HtmlResponse(url="https://a/b", body=b"<html><body>hi</body></html>"), (b"%PDF-",))
    with pytest.raises(SourceShapeChanged):
        fetch.require_body("x", answer(b"PK\x03\x04"), (b"%PDF-",))


def test_candidates_are_asked_in_order_until_one_answers(tmp_path):
    challenge = written(tmp_path, "challenge.csv", b"<html><head><title>Access Denied</title></head></html>")
    spider = CslSpider()
    urls = [(tmp_path / "missing.csv").as_uri(), challenge.as_uri(), (FILES / "csl" / "consolidated.csv").as_uri()]
    followed = follow_request(fetch.first_answering(spider, urls, spider.parse, spider.live_format))
    assert followed.fetched == urls
    assert len(followed.items) == 70
    first, second = spider.source_warnings
    assert first.startswith("candidate URL failed, a later one answered: FileNotFoundError fetching ")
    assert second.startswith("candidate URL failed, a later one answered: ") and "Access Denied" in second


def test_when_no_candidate_answers_a_block_among_them_names_the_failure(tmp_path):
    challenge = written(tmp_path, "challenge.csv", b"<html><head><title>Access Denied</title></head></html>")
    spider = CslSpider()
    urls = [challenge.as_uri(), (tmp_path / "gone.json").as_uri()]
    with pytest.raises(SourceBlocked, match="none of 2 candidate URLs answered: .*Access Denied.*FileNotFoundError"):
        follow_request(fetch.first_answering(spider, urls, spider.parse, spider.live_format))


def test_every_candidate_is_asked_with_the_same_headers_and_meta(tmp_path):
    from twisted.python.failure import Failure

    spider = CslSpider()
    urls = [(tmp_path / "missing.csv").as_uri(), (FILES / "csl" / "consolidated.csv").as_uri()]
    first = fetch.first_answering(
        spider, urls, spider.parse, spider.live_format, meta={"note": 1}, headers={"Referer": "https://a.gov/"}
    )
    try:
        raise FileNotFoundError("gone")
    except FileNotFoundError:
        failure = Failure()
    failure.request = first
    [second] = list(first.errback(failure))
    assert second.url == urls[1] and second.meta["note"] == 1 and second.headers["Referer"] == b"https://a.gov/"
    assert (second.meta["candidate_urls"], second.meta["candidate_index"]) == (tuple(urls), 1)
