"""`chokepoint serve` as a real server, and what a person sees in a real browser (Debian's Chromium).

Screenshots of each step go to tests/artifacts/ (ignored by git).
"""

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.kit.browser import headless_chromium
from tests.kit.cli import CHOKEPOINT
from tests.site.conftest import LATER

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory):
    """The demo database served by `chokepoint serve` on 127.0.0.1; yields its base URL and its log file."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as handle:
        server = subprocess.Popen(
            [str(CHOKEPOINT), "serve", "--db", str(demo_db), "--port", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={**os.environ, "CHOKEPOINT_NOW": LATER},
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"chokepoint serve did not start: {log.read_text()}")
            time.sleep(0.3)
    yield base, log
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    driver = headless_chromium(window="1280,1000")
    yield driver
    driver.quit()


def screenshot(browser, name: str) -> None:
    """The whole page (up to 2,400 pixels high), as tests/artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height, 600), 2400))
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    browser.set_window_size(1280, 1000)


def test_serve_answers_the_json_api(site):
    base, _ = site
    with urllib.request.urlopen(f"{base}/chokepoint/listings.json?_search=huawei&_shape=objects") as response:
        rows = json.load(response)["rows"]
    assert "HUAWEI TECHNOLOGIES CO., LTD." in {row["name"] for row in rows}
    with urllib.request.urlopen(f"{base}/chokepoint/documents.json?_search=gallium&_shape=objects") as response:
        assert {row["source"] for row in json.load(response)["rows"]} == {"mofcom"}


def test_a_person_finds_a_listed_party_its_rule_and_its_history(site, browser):
    base, _ = site
    browser.get(base)
    assert "What's new in export controls and sanctions" in browser.page_source
    assert "New measures" in browser.find_element(By.ID, "new-measures").text
    screenshot(browser, "1-front-page")
    box = browser.find_element(By.CSS_SELECTOR, "form.search-box input[name=q]")
    box.send_keys("sugon")
    box.submit()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/search?q=sugon"))
    parties = browser.find_element(By.ID, "parties")
    assert "Parties: 1 found" in parties.text
    screenshot(browser, "2-search")
    parties.find_element(By.LINK_TEXT, "Sugon").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/party/csl:EL:"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sugon"
    rules = browser.find_element(By.ID, "rules").text
    assert "Addition of Entities to the Entity List and Revision of an Entry on the Entity List" in rules
    assert "84 FR 29373 on federalregister.gov" in rules
    assert "Added 2026-11-28 12:00:00 UTC" in browser.find_element(By.ID, "history").text
    screenshot(browser, "3-party-page")
    browser.find_element(
        By.LINK_TEXT, "Addition of Entities to the Entity List and Revision of an Entry on the Entity List"
    ).click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/measure/federal_register:2019-13245"))
    assert "Sugon" in browser.find_element(By.ID, "listings").text
    screenshot(browser, "4-measure-page")


def test_a_person_finds_china_s_gallium_controls_in_english(site, browser):
    base, _ = site
    browser.get(f"{base}/search?q=gallium")
    measures = browser.find_element(By.ID, "measures").text
    assert "关于对镓、锗相关物项实施出口管制的公告" in measures
    assert "gallium · germanium" in measures
    screenshot(browser, "5-search-gallium")


def test_a_facet_click_narrows_the_results(site, browser):
    base, _ = site
    browser.get(f"{base}/search?q=huawei")
    before = browser.find_element(By.ID, "parties").text
    assert "Huawei Technologies Co., Ltd. (Huawei)" in before
    browser.find_element(By.XPATH, "//div[@data-facet='list']//a[text()='CMIC']").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("list=CMIC"))
    after = browser.find_element(By.ID, "parties").text
    assert "Parties: 1 found" in after and "HUAWEI TECHNOLOGIES CO., LTD." in after
    assert "Huawei Technologies Co., Ltd. (Huawei)" not in after
    screenshot(browser, "6-facet")


def test_a_search_shows_every_facet_people_filter_by(site, browser):
    """Each facet of both kinds is on the page, on screen, with values to click."""
    base, _ = site
    browser.get(f"{base}/search?q=china")
    expected = {
        "parties": ["list", "country", "program", "dimension", "industry", "source"],
        "measures": ["jurisdiction", "dimension", "industry", "agency", "type"],
    }
    for kind, names in expected.items():
        blocks = browser.find_elements(By.CSS_SELECTOR, f"#{kind} .facet")
        assert [block.get_attribute("data-facet") for block in blocks] == names
        for block in blocks:
            assert block.is_displayed()
            options = block.find_elements(By.CSS_SELECTOR, "li a")
            assert options and all(option.text.strip() for option in options), block.get_attribute("data-facet")
    screenshot(browser, "6b-search-facets")


def test_a_person_filters_documents_by_type(site, browser):
    base, _ = site
    browser.get(f"{base}/chokepoint/documents")
    link = browser.find_element(By.XPATH, "//div[@data-column='type']//a[contains(., 'Rule')]")
    link.click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("type=Rule"))
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Inflation Adjustment of Civil Monetary Penalties" in table
    assert "Notice of OFAC Sanctions Actions" not in table


def test_a_missing_page_is_a_page_and_no_traceback(site):
    base, log = site
    for path in ("/nope", "/chokepoint/nope", "/party/csl:EL:nope"):
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(base + path)
        assert answer.value.code == 404
        assert "Not found" in answer.value.read().decode()
    time.sleep(0.5)
    assert "Traceback" not in log.read_text()


def test_a_person_sees_the_waves_charted(site, browser):
    """From the front page's navigation to /trends: the small multiples are drawn, on screen, surges in red."""
    base, _ = site
    browser.get(base)
    browser.find_element(By.CSS_SELECTOR, ".site-nav").find_element(By.LINK_TEXT, "Trends").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/trends"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Trends and surges"
    # The demo's Federal Register sample holds a week of January 2024 well above its baseline.
    browser.get(f"{base}/trends?by=industry&since=2023-01&until=2024-12")
    chart = browser.find_element(By.CSS_SELECTOR, "#chart svg")
    assert chart.is_displayed() and chart.size["width"] > 300 and chart.size["height"] > 100
    panels = chart.find_elements(By.CSS_SELECTOR, "g[role=group]")
    assert {"cross_sector", "metals_chemicals"} <= {p.get_attribute("aria-label").split(":")[0] for p in panels}
    red = [bar for bar in chart.find_elements(By.CSS_SELECTOR, "rect.bar") if bar.get_attribute("fill") == "#c0392b"]
    assert red and all(bar.is_displayed() and bar.size["height"] > 0 for bar in red)
    screenshot(browser, "7-trends")
    browser.find_element(By.LINK_TEXT, "jurisdiction").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("by=jurisdiction"))
    labels = {
        p.get_attribute("aria-label").split(":")[0]
        for p in browser.find_elements(By.CSS_SELECTOR, "#chart svg g[role=group]")
    }
    assert {"CN", "US"} <= labels
    screenshot(browser, "8-trends-by-jurisdiction")


def test_a_person_follows_a_party_to_its_timeline(site, browser):
    """From Sugon's page, its timeline drawn small, then the whole one: the rule and the listing side by side."""
    base, _ = site
    browser.get(f"{base}/party/csl:EL:c48206577977a92e77148b18924acdfde897d39d")
    small = browser.find_element(By.CSS_SELECTOR, "#timeline svg")
    assert small.is_displayed() and small.size["width"] > 300
    marks = small.find_elements(By.CSS_SELECTOR, ".mark")
    assert len(marks) == 2 and all(mark.is_displayed() and mark.size["width"] > 0 for mark in marks)
    screenshot(browser, "9-party-timeline")
    browser.find_element(By.LINK_TEXT, "The whole timeline, with every entry").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/timeline?party="))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Timeline of Sugon"
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, ".kind").text for row in rows] == ["Measure", "Listed"]
    screenshot(browser, "10-timeline-party")
    # A mark is a link: the rule's circle leads to the rule's page.
    browser.find_element(By.CSS_SELECTOR, "#lanes svg a circle").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/measure/federal_register:2019-13245"))


def test_a_person_reads_a_dimension_s_timeline_lane_by_lane(site, browser):
    """From the trends page by dimension to key_inputs' timeline: the U.S. and China each in their lane."""
    base, _ = site
    browser.get(f"{base}/trends?by=dimension&since=2019")
    browser.find_element(By.CSS_SELECTOR, "#timelines").find_element(By.LINK_TEXT, "key_inputs").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/timeline?dimension=key_inputs"))
    browser.get(f"{base}/timeline?dimension=key_inputs&since=2022")
    chart = browser.find_element(By.CSS_SELECTOR, "#lanes svg")
    assert chart.is_displayed() and chart.size["width"] > 600
    lanes = chart.find_elements(By.CSS_SELECTOR, "g.lane")
    assert [lane.get_attribute("aria-label").split(":")[0] for lane in lanes] == ["US", "CN"]
    us, cn = (lane.find_elements(By.CSS_SELECTOR, ".mark") for lane in lanes)
    assert len(us) == 6 and len(cn) == 2 and all(mark.is_displayed() for mark in us + cn)
    # China's lane is drawn below the U.S. one; its July 2023 controls right of the 2022 listings.
    assert cn[0].location["y"] > us[0].location["y"] and cn[0].location["x"] > us[0].location["x"]
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#entries thead th")]
    assert headers == ["Date", "US", "CN"]
    screenshot(browser, "11-timeline-key-inputs")


def test_a_party_page_charts_its_industries_around_its_listing(site, browser):
    """GIE Kerman Aviation, on the Denied Persons List since 2023-10-31: aerospace measures the year either side."""
    base, _ = site
    browser.get(f"{base}/party/bis_denied:DPL:h07201f5bf01138b5")
    chart = browser.find_element(By.CSS_SELECTOR, "#industry-trend svg")
    assert chart.is_displayed() and chart.size["width"] > 200
    (panel,) = chart.find_elements(By.CSS_SELECTOR, "g[role=group]")
    assert panel.get_attribute("aria-label") == "aerospace_defense: 2 new measures"
    bars = [bar for bar in panel.find_elements(By.CSS_SELECTOR, "rect.bar") if float(bar.get_attribute("height")) > 0]
    assert bars and all(bar.is_displayed() and bar.size["height"] > 0 for bar in bars)
    assert browser.find_element(By.CSS_SELECTOR, "#timeline svg").is_displayed()
    screenshot(browser, "12-party-industry-chart")
