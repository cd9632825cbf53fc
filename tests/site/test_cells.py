"""Readable tables: lists as lists, tags as tags, URLs as short links (only http(s)), columns people read first."""

import pytest
from markupsafe import Markup

from pipeline.site import cells, urls
from tests.site.conftest import SUGON, get


@pytest.mark.parametrize(
    "value, safe",
    [
        ("https://www.federalregister.gov/d/2019-13245", True),
        ("http://bit.ly/1L47xrV", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://", False),
        ('https://example.org/"><script>', False),
        ("www.example.org", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(value, safe):
    assert (urls.safe_url(value) is not None) == safe
    rendered = cells.link(value)
    assert ("<a href" in rendered) == safe
    assert "<script>" not in rendered


def test_a_long_url_reads_short():
    url = "https://www.federalregister.gov/documents/2020/12/22/2020-28031/addition-of-entities-to-the-entity-list"
    assert urls.short_url(url) == "federalregister.gov/…/addition-of-entities-to-t…"
    assert urls.short_url("https://www.federalregister.gov/d/2019-13245") == "federalregister.gov/d/2019-13245"
    assert urls.short_url("https://bit.ly/1L47xrV") == "bit.ly/1L47xrV"


def test_json_reads_as_lists_tags_and_pairs():
    assert cells.readable('["Dawning", "Shuguang"]') == Markup(
        '<ul class="cell-list"><li>Dawning</li><li>Shuguang</li></ul>'
    )
    assert cells.readable('["key_inputs"]', "dimensions") == Markup('<span class="tag">key_inputs</span> ')
    assert "<script>" not in cells.readable('["<script>alert(1)</script>"]')
    assert "<dt>Status</dt><dd>suspended</dd>" in cells.readable('{"status": "suspended"}')
    assert "key_inputs 0.97" in cells.readable('{"key_inputs": 0.97, "governance": 0.1}', "label_scores")


def test_a_modification_reads_field_by_field():
    fields = (
        '{"addresses": {"before": ["A street", "B road"], "after": ["A street"]},'
        ' "license_policy": {"before": "Case-by-case", "after": "Presumption of denial"}}'
    )
    table = cells.readable(fields, "fields")
    assert '<th scope="row">Addresses</th><td>removed: ' in table and "B road" in table
    assert "<td>Case-by-case</td><td>Presumption of denial</td>" in table


def test_table_pages_show_lists_links_and_the_columns_read_first(demo_db):
    html = get(demo_db, "/chokepoint/listings?name=Sugon").text
    assert '<ul class="cell-list"><li>Dawning</li>' in html
    assert f'<a href="/party/{SUGON}">Sugon</a>' in html
    assert "Showing 11 of 44 columns" in html
    headers = html.split("<thead>")[1].split("</thead>")[0]
    assert headers.index('data-column="name"') < headers.index('data-column="list_code"')
    assert 'data-column="content_hash"' not in headers
    every = get(demo_db, "/chokepoint/listings?name=Sugon&_all_columns=1").text
    assert 'data-column="content_hash"' in every.split("<thead>")[1].split("</thead>")[0]
    documents = get(demo_db, "/chokepoint/documents?document_number=2019-13245").text
    assert (
        '<a href="https://www.federalregister.gov/d/2019-13245" title="https://www.federalregister.gov/d/2019-13245">'
        not in documents
    )  # not a shown column
    assert 'href="/measure/federal_register:2019-13245"' in documents


def test_a_table_page_s_own_search_reads_chinese(demo_db):
    rows = get(demo_db, "/chokepoint/documents.json?_search=%E5%87%BA%E5%8F%A3%E7%AE%A1%E5%88%B6&_shape=objects").json()
    assert {row["id"] for row in rows["rows"]} == {"mofcom:MOFCOM-2023-23", "mofcom:MOFCOM-2024-46"}  # 出口管制
    listings = get(demo_db, "/chokepoint/listings.json?_search=%E6%B4%9B%E5%85%8B%E5%B8%8C%E5%BE%B7&_shape=objects")
    assert "Lockheed Martin Corporation" in {row["name"] for row in listings.json()["rows"]}  # 洛克希德


def test_an_empty_list_reads_as_an_empty_cell_not_brackets(demo_db):
    html = get(demo_db, "/chokepoint/listings?name=Sugon&_col=programs&_col=ids").text
    row = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "[]" not in row and row.count('<span class="empty"></span>') == 2
