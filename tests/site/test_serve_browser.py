"""`chokepoint serve` as a real server, and what a person sees in a real browser (Debian's Chromium)."""

import json
import socket
import subprocess
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.kit.browser import headless_chromium
from tests.kit.cli import CHOKEPOINT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(demo_db):
    port = free_port()
    server = subprocess.Popen(
        [str(CHOKEPOINT), "serve", "--db", str(demo_db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
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
                raise RuntimeError(f"chokepoint serve did not start: {server.stderr.read()}")
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    driver = headless_chromium()
    yield driver
    driver.quit()


def test_serve_answers_the_json_api(site):
    with urllib.request.urlopen(f"{site}/chokepoint/listings.json?_search=huawei&_shape=objects") as response:
        rows = json.load(response)["rows"]
    assert "HUAWEI TECHNOLOGIES CO., LTD." in {row["name"] for row in rows}
    with urllib.request.urlopen(f"{site}/chokepoint/documents.json?_search=export&_shape=objects") as response:
        assert json.load(response)["rows"]


def test_a_person_searches_the_listings(site, browser, tmp_path):
    browser.get(f"{site}/chokepoint/listings")
    assert "Listings: parties on screening lists" in browser.page_source
    box = browser.find_element(By.CSS_SELECTOR, "input[name=_search]")
    box.send_keys("hikvision")
    box.submit()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("_search=hikvision"))
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Hangzhou Hikvision Digital Technology Co., Ltd." in table
    assert "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." in table
    assert "Semiconductor Manufacturing" not in table
    facets = browser.find_element(By.CSS_SELECTOR, ".facet-results").text
    assert "list_code" in facets and "EL" in facets and "CMIC" in facets
    browser.save_screenshot(str(tmp_path / "listings-search.png"))


def test_a_person_filters_documents_by_type(site, browser):
    browser.get(f"{site}/chokepoint/documents")
    link = browser.find_element(By.XPATH, "//div[@data-column='type']//a[contains(., 'Rule')]")
    link.click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("type=Rule"))
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert "Inflation Adjustment of Civil Monetary Penalties" in table
    assert "Notice of OFAC Sanctions Actions" not in table
