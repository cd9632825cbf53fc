"""The HTML digest as a person sees it: opened in headless Chromium, saved as a screenshot under
tests/artifacts/ (ignored by git), its sections in order, the failed source first, hostile text shown as text."""

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from tests.kit.browser import headless_chromium
from tests.kit.files import FILES, ROOT, edited_json
from tests.kit.mail import html_of, parse

ARTIFACTS = ROOT / "tests" / "artifacts"
T1 = "2026-11-29T12:00:00Z"
HOSTILE = "<script>alert('digest')</script> Export Administration Regulations"


def test_the_html_digest_in_chromium(setting, tmp_path):
    def poison(data):
        data["results"][0]["title"] = HOSTILE

    poisoned = edited_json(tmp_path, FILES / "federal_register" / "documents_2024-01.json", poison)
    vendors = tmp_path / "vendors.csv"
    vendors.write_text("name,country,id\nHuawei Technologies Co Ltd,CN,V-001\n")
    setting.subscribe("team@example.com", "--name", "Export compliance")
    assert setting.run("watchlist", "add", "vendors", str(vendors), now=T1).returncode == 0
    assert (
        setting.run("crawl", "csl", "--url", (FILES / "csl" / "truncated_mid_quote.csv").as_uri(), now=T1).returncode
        == 1
    )
    assert (
        setting.run("crawl", "federal_register", "--url", poisoned.as_uri(), "--expect", "1:100", now=T1).returncode
        == 0
    )
    out = tmp_path / "out"
    assert setting.run("digest", "--dry-run", str(out), now=T1).returncode == 0
    page = tmp_path / "digest.html"
    page.write_text(html_of(parse((out / "1-team@example.com.eml").read_bytes())), encoding="utf-8")

    ARTIFACTS.mkdir(exist_ok=True)
    browser = headless_chromium(window="1000,1400")
    try:
        browser.get(page.as_uri())
        headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
        assert headings == [
            "Not checked: 1 source failing or stale",
            "1. Your exposure",
            "2. New and removed listings",
            "3. New measures and documents",
            "4. Source status",
        ]
        problems = browser.find_element(By.ID, "problems")
        assert "csl: last crawl failed (2026-11-29T12:00:00Z): csl: source truncated" in problems.text
        assert problems.value_of_css_property("border-top-color") == "rgba(179, 38, 30, 1)"  # the inlined CSS applies
        assert problems.location["y"] < browser.find_element(By.ID, "exposure").location["y"]
        exposure = browser.find_element(By.XPATH, "//h2[@id='exposure']/following-sibling::table[1]").text
        assert "Huawei Technologies Co Ltd (your id V-001)" in exposure
        assert HOSTILE in browser.find_element(By.TAG_NAME, "body").text
        try:
            browser.switch_to.alert
            raise AssertionError("a script from a scraped title ran")
        except NoAlertPresentException:
            pass
        browser.set_window_size(1000, browser.execute_script("return document.body.scrollHeight") + 100)
        assert browser.save_screenshot(str(ARTIFACTS / "digest.png"))
    finally:
        browser.quit()
    assert (ARTIFACTS / "digest.png").stat().st_size > 10_000
