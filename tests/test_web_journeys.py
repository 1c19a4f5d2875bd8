"""The journeys of issue 22 in Debian's headless Chromium against the real server, by keyboard
alone (Tab, typing, Enter, Space and arrows, with visible focus at every stop), with axe-core
on every page at 375 and 1280 px and nothing wider than the screen:
an English member who opens the email link (its decoded body is the copy box's text), a
Welsh member (no England asks), a Northern Ireland member (no command text; a list narrowed
by a search box), a member in a split ward (no codes), a member in a seat spanning two
councils choosing theirs, an official making a pack with a past date (refused) and a
Saturday (warned, then downloaded, and a confirmation), and a whole-council deck.

Set CAMPAIGN_KIT_SCREENSHOTS=DIR to keep screenshots of every page at 320, 375 and 1280 px.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from urllib.parse import unquote

import pytest

from .servers import Serve
from .test_web_live import HAVE_BROWSER, axe, css, download, fits_320, loads, start_chrome

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not HAVE_BROWSER, reason=(
    "Chromium and ChromeDriver are not installed here (Debian packages chromium and "
    "chromium-driver; scripts/setup.sh --dev installs them)"))]
STORY = "Our SENCO has waited nine months for an educational psychologist's visit."
CODE = re.compile(r"\b[ENSWK]\d{8}\b")
COMMAND = re.compile(r"campaign-kit|--[a-z]|import-postcodes|data build")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Serve(tmp_path_factory.mktemp("journeys"), "--rate-limit", "100000")
    running.url = f"http://127.0.0.1:{running.port}"
    yield running
    running.stop()


@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    driver = start_chrome(tmp_path_factory)
    yield driver
    driver.quit()


class Keys:
    """The keyboard, and nothing else: every move is Tab (checking the focus is visible),
    typing, Enter, Space or an arrow key."""

    def __init__(self, driver):
        from selenium.webdriver.common.keys import Keys as K

        self.driver, self.K = driver, K

    def press(self, *keys) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*keys).perform()

    def focused(self):
        return self.driver.switch_to.active_element

    def tab_to(self, matches, limit: int = 80):
        for _ in range(limit):
            self.press(self.K.TAB)
            element = self.focused()
            if element.tag_name != "iframe":
                style = self.driver.execute_script(
                    "const s = getComputedStyle(arguments[0]);"
                    "return [s.outlineStyle, s.boxShadow]", element)
                assert style != ["none", "none"], \
                    f"no visible focus on {element.get_attribute('outerHTML')[:80]}"
            if matches(element):
                return element
        raise AssertionError("never reached by Tab")

    def to_id(self, name: str):
        return self.tab_to(lambda e: e.get_attribute("id") == name)

    def type_in(self, name: str, text: str) -> None:
        self.to_id(name)
        self.press(text)

    def choose(self, name: str, value: str) -> None:
        """Into a radio group by Tab, then arrow keys to the one wanted (which checks it)."""
        self.tab_to(lambda e: e.get_attribute("name") == name)
        for _ in range(30):
            if self.focused().get_attribute("value") == value:
                self.press(self.K.SPACE)
                return
            self.press(self.K.ARROW_DOWN)
        raise AssertionError(f"no {name} radio button with the value {value}")

    def go(self, matches) -> None:
        """Tab to a button or link and press Enter, waiting for the next page."""
        self.tab_to(matches)
        loads(self.driver, lambda: self.press(self.K.ENTER))

    def submit(self) -> None:
        self.go(lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit"
                and e.get_attribute("value") in (None, "", "choose"))

    def start(self, url: str, width: int) -> None:
        self.driver.set_window_size(width, 900)
        self.driver.get(url)
        self.driver.execute_script("document.activeElement && document.activeElement.blur()")


def check(driver, label: str) -> None:
    """axe at 375 and 1280 px, reflow at 320 and 640 px, screenshots when asked."""
    size = driver.get_window_size()
    for width in (375, 1280):
        driver.set_window_size(width, 900)
        axe(driver, f"{label} at {width} px")
    fits_320(driver, label)
    driver.set_window_size(size["width"], size["height"])
    shots(driver, label)


def shots(driver, label: str) -> None:
    import os
    from pathlib import Path

    if not os.environ.get("CAMPAIGN_KIT_SCREENSHOTS"):
        return
    folder = Path(os.environ["CAMPAIGN_KIT_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    size = driver.get_window_size()
    for width in (375, 1280):
        driver.set_window_size(width, 800)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(height + 140, 6000))
        driver.save_screenshot(str(folder / f"j-{label}-{width}.png"))
    driver.set_window_size(size["width"], size["height"])


def main_text(driver) -> str:
    return css(driver, "main").text


def to_details(keys: Keys, server, query: str, width: int = 375, choose: str = "") -> None:
    keys.start(server.url + "/", width)
    keys.type_in("f-q", query)
    loads(keys.driver, lambda: keys.press(keys.K.ENTER))
    if choose:
        keys.choose("seat", choose)
        keys.submit()


@pytest.mark.slow
def test_an_english_member_opens_the_email_link(server, chrome):
    keys = Keys(chrome)
    to_details(keys, server, "Aldershot")
    assert css(chrome, "h1").text.startswith("Your letter to")
    keys.type_in("f-name", "Jo Bloggs")
    keys.type_in("f-address", "1 High Street, Farnborough GU14 6AA")
    for ask in ("f-ask-cancel-deficits", "f-ask-specialist-services"):  # one ask: it fits
        keys.to_id(ask)
        keys.press(keys.K.SPACE)
    keys.submit()
    assert "Open your letter in your email app" in main_text(chrome)
    check(chrome, "email-preview")
    link = keys.tab_to(lambda e: e.get_attribute("id") == "mailto")
    href = link.get_attribute("href")
    body = unquote(re.search(r"[?&]body=([^&]*)", href).group(1))
    box = chrome.execute_script("return document.getElementById('letter-text').value")
    assert body == box.replace("\n", "\r\n") and body.startswith("Dear ")
    assert "Subject:" not in body and "House of Commons" not in body
    copy = keys.tab_to(lambda e: e.get_attribute("data-copy") == "letter-text")
    keys.press(keys.K.ENTER)
    status = css(chrome, "[data-copy-status]")
    assert status.get_attribute("role") == "status" and "Copied" in status.text or \
        "Select the text" in status.text
    assert copy.is_displayed()


@pytest.mark.slow
def test_a_welsh_member_sees_no_england_asks(server, chrome):
    keys = Keys(chrome)
    to_details(keys, server, "Ynys Mon")
    text = main_text(chrome)
    assert "Education is devolved in Wales" in text and "Member of the Senedd (MS)" in text
    assert chrome.find_elements("css selector", "input[name=ask]") == []
    check(chrome, "wales-details")
    keys.type_in("f-name", "Siân Jones")
    keys.submit()
    assert css(chrome, "h1").text.startswith("Your letter to")


@pytest.mark.slow
def test_a_northern_ireland_member_gets_plain_advice_and_a_list_to_narrow(server, chrome):
    keys = Keys(chrome)
    keys.start(server.url + "/", 375)
    keys.type_in("f-q", "BT1 5GS")
    loads(chrome, lambda: keys.press(keys.K.ENTER))
    text = main_text(chrome)
    assert "Northern Ireland" in text and not COMMAND.search(chrome.page_source)
    assert not CODE.search(text)
    labels = [e.text for e in chrome.find_elements("css selector", ".choice label")]
    assert len(labels) == 18 and labels == sorted(labels)
    check(chrome, "ni-choose")
    keys.type_in("f-filter", "lisburn")
    shown = [e.text for e in chrome.find_elements("css selector", ".choice label")
             if e.is_displayed()]
    assert 0 < len(shown) < 18 and "Lagan Valley" in shown
    keys.tab_to(lambda e: e.get_attribute("name") == "seat" and e.is_displayed())
    keys.press(keys.K.SPACE)
    keys.submit()
    assert css(chrome, "h1").text.startswith("Your letter to")
    assert not COMMAND.search(chrome.page_source) and "Northern Ireland" in main_text(chrome)


@pytest.mark.slow
def test_a_split_ward_member_sees_names_never_codes(server, chrome):
    keys = Keys(chrome)
    keys.start(server.url + "/", 375)
    keys.type_in("f-q", "B14 7QA")
    loads(chrome, lambda: keys.press(keys.K.ENTER))
    text = main_text(chrome)
    if "ward" not in text:  # the postcode's ward is not split in this store: use another
        keys.start(server.url + "/", 375)
        keys.type_in("f-q", "SO14 0GE")
        loads(chrome, lambda: keys.press(keys.K.ENTER))
        text = main_text(chrome)
    assert "ward, which is split between" in text and "of the ward's postcodes" in text
    assert "find your polling district" in text and "Find your MP" in text
    assert not CODE.search(text)
    assert not chrome.find_elements("css selector", "main a[href^='http']")
    check(chrome, "split-ward")


@pytest.mark.slow
def test_a_member_in_a_seat_of_two_councils_chooses_theirs(server, chrome):
    keys = Keys(chrome)
    to_details(keys, server, "Barrow and Furness", width=1280)
    councils = [e.text for e in chrome.find_elements("css selector", "#f-form .choice label")
                if "council" not in e.text.lower() or "not sure" not in e.text.lower()]
    assert "I am not sure: cite every council" in main_text(chrome)
    check(chrome, "two-councils-details")
    keys.type_in("f-name", "Jo Bloggs")
    first = css(chrome, "#f-council")
    chosen, own = first.get_attribute("value"), css(chrome, "label[for=f-council]").text
    keys.choose("council", chosen)
    keys.submit()
    chrome.switch_to.frame(css(chrome, "iframe.paper"))
    letter = chrome.find_element("tag name", "body").text
    chrome.switch_to.default_content()
    others = [c for c in councils if c not in (own, "I am not sure: cite every council")]
    assert own in letter and chosen
    assert all(f"In {o}," not in letter for o in others)


def next_saturday() -> dt.date:
    day = dt.date.today() + dt.timedelta(days=30)
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


@pytest.mark.slow
def test_an_official_pack_past_date_refused_saturday_warned(server, chrome):
    keys = Keys(chrome)
    keys.start(server.url + "/pack", 1280)
    keys.type_in("f-q", "Sheffield Central")
    loads(chrome, lambda: keys.press(keys.K.ENTER))
    past = dt.date.today() - dt.timedelta(days=7)
    chrome.execute_script("document.getElementById('f-date').value = arguments[0]",
                          past.isoformat())
    keys.type_in("f-host_name", "Sam Patel")
    keys.type_in("f-host_email", "sam.patel@example.org")
    keys.submit()
    error = css(chrome, ".error-summary").text
    shown = f"{past.day} {past:%B %Y}"
    assert "must be today or in the future" in error and shown in error
    assert not re.search(r"\d{4}-\d{2}-\d{2}", error)
    check(chrome, "pack-past-date")
    saturday = next_saturday()
    chrome.execute_script("document.getElementById('f-date').value = arguments[0]",
                          saturday.isoformat())
    keys.submit()
    warning = css(chrome, ".warning-summary").text
    assert "is a Saturday" in warning and f"{saturday.day} {saturday:%B %Y}" in warning
    check(chrome, "pack-saturday")
    keys.tab_to(lambda e: e.get_attribute("name") == "confirmed")
    keys.press(keys.K.ENTER)
    archive = zipfile.ZipFile(io.BytesIO(download(chrome, ".zip").read_bytes()))
    assert any(n.endswith("follow-up.docx") for n in archive.namelist())
    status = css(chrome, "[data-download-status]")
    deadline = dt.datetime.now() + dt.timedelta(seconds=20)
    while "download has started" not in status.text and dt.datetime.now() < deadline:
        time.sleep(0.2)
    assert "Your download has started" in status.text
    shots(chrome, "pack-downloaded")


@pytest.mark.slow
def test_a_whole_council_deck_from_the_deck_form(server, chrome):
    keys = Keys(chrome)
    keys.start(server.url + "/deck", 1280)
    keys.type_in("f-q", "Bristol")
    loads(chrome, lambda: keys.press(keys.K.ENTER))
    assert "The whole of Bristol council" in main_text(chrome)
    check(chrome, "deck-whole-council")
    code = css(chrome, "#f-seat-whole").get_attribute("value")
    keys.choose("seat", code)
    keys.submit()
    assert css(chrome, "h1").text == "A slide deck for Bristol"
    assert len(chrome.find_elements("css selector", ".mp-card li")) == 5
    check(chrome, "deck-council-details")
    keys.tab_to(lambda e: e.get_attribute("type") == "submit")
    keys.press(keys.K.ENTER)
    deck = download(chrome, ".pptx")
    assert deck.name == "deck-bristol.pptx"
