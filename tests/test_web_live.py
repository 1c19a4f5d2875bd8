"""The real server (`campaign-kit serve`, gunicorn, two workers) on a free port, driven over
HTTP and by headless Chromium: the member's journey to a PDF naming the right MP, an
official's pack, axe-core on every page and error state, the journey by keyboard alone,
nothing logged, nothing left behind by a download cut short.

Chromium and ChromeDriver are Debian's (scripts/setup.sh --dev installs them, with axe-core
from the npm registry into .tools/); nothing is downloaded here. Set
CAMPAIGN_KIT_SCREENSHOTS=DIR to keep screenshots of every page at 320, 375 and 1280 px.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import shutil
import socket
import struct
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from .extract import pdf_text
from .servers import Serve

pytest.importorskip("gunicorn", reason="the web extra is not installed (pip install -e '.[web]')")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
AXE = Path(os.environ.get("CAMPAIGN_KIT_AXE",
                          ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"))
SHOTS = os.environ.get("CAMPAIGN_KIT_SCREENSHOTS")
HAVE_BROWSER = Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()
needs_browser = pytest.mark.skipif(
    not HAVE_BROWSER, reason="Chromium and ChromeDriver are not installed here (Debian "
    "packages chromium and chromium-driver; scripts/setup.sh --dev installs them, as CI does)")
MEMBER_SECRET = "Zebedee Quixote-Marchbanks"  # typed by the member: must never be logged
STORY = "Our SENCO has waited nine months for an educational psychologist's visit."


# -- the server ---------------------------------------------------------------------------------
class Server(Serve):
    """The app as a member's browser meets it: two workers, run in a folder of its own with
    its own TMPDIR and HOME, so that anything it writes is found (`leftovers`)."""

    def __init__(self, root: Path):
        self.root = root
        self.cwd, self.tmp, self.home = (root / "cwd", root / "tmp", root / "home")
        for folder in (self.cwd, self.tmp, self.home):
            folder.mkdir()
        super().__init__(root, "--rate-limit", "100000", cwd=self.cwd,
                         env={"TMPDIR": str(self.tmp), "HOME": str(self.home)})
        self.url = f"http://127.0.0.1:{self.port}"

    def leftovers(self) -> list[str]:
        return [str(p.relative_to(self.root)) for folder in (self.cwd, self.tmp, self.home)
                for p in folder.rglob("*")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


class Visitor:
    """A plain HTTP client with cookies, reading the form token from each page."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""
        self.get("/")

    def _read(self, reply):
        body = reply.read()
        if reply.headers.get_content_type() == "text/html":
            found = re.search(rb'name="token" value="([0-9a-f]{64})"', body)
            self.token = found.group(1).decode() if found else self.token
        return reply.status, reply.headers, body

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=60) as reply:
            return self._read(reply)

    def post(self, path: str, fields: dict):
        data = urllib.parse.urlencode({"token": self.token, **fields}, doseq=True).encode()
        with self.opener.open(self.base + path, data, timeout=120) as reply:
            return self._read(reply)


# -- over HTTP ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_log_holds_no_member_data_and_no_query_strings(server):
    visitor = Visitor(server.url)
    visitor.get("/?postcode=SW1A%200AA")
    form = {"seat": "E14001132", "name": MEMBER_SECRET, "address": "9 Secret Lane, Bristol",
            "story": STORY, "ask": ["fair-funding"]}
    assert visitor.post("/letter/preview", form)[0] == 200
    status, headers, body = visitor.post("/letter/download", {**form, "format": "pdf"})
    assert status == 200 and body.startswith(b"%PDF")
    time.sleep(0.5)
    log = server.log.read_text(errors="replace")
    assert '"POST /letter/download" 200' in log and '"GET /" 200' in log
    for typed in (MEMBER_SECRET, "Secret Lane", "nine months", "SW1A", "postcode"):
        assert typed not in log
    assert not re.search(r"\d+\.\d+\.\d+\.\d+ .*\"(GET|POST)", log)  # no client addresses


@pytest.mark.slow
def test_a_download_cut_short_leaves_nothing_behind(server):
    visitor = Visitor(server.url)
    jar = [h for h in visitor.opener.handlers
           if isinstance(h, urllib.request.HTTPCookieProcessor)][0].cookiejar
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    body = urllib.parse.urlencode({
        "token": visitor.token, "seat": "E14001467", "host_name": "Sam Patel",
        "venue": "Springfield Primary School", "ask": "long-term-funding"}).encode()
    request = (f"POST /pack/download HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
               f"Content-Type: application/x-www-form-urlencoded\r\nCookie: {cookie}\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    for read in (0, 200):  # hang up before the answer, and part-way through it
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as sock:
            sock.sendall(request)
            if read:
                assert sock.recv(read)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(3)  # the abandoned pack is still rendered, then dropped
    status, _, _ = visitor.get("/healthz")
    assert status == 200 and server.process.poll() is None
    assert server.leftovers() == []
    assert "Traceback" not in server.log.read_text(errors="replace")


# -- in Chromium ----------------------------------------------------------------------------------
def start_chrome(tmp_path_factory, javascript: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not go online
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
                f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(arg)
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_window_size(1280, 900)
    driver.downloads = downloads
    return driver


@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    if not HAVE_BROWSER:
        pytest.skip("Chromium and ChromeDriver are not installed here (Debian packages "
                    "chromium and chromium-driver; scripts/setup.sh --dev installs them)")
    driver = start_chrome(tmp_path_factory)
    yield driver
    driver.quit()


def axe_source() -> str:
    assert AXE.is_file(), (f"axe-core is not at {AXE}: run scripts/setup.sh --dev "
                           "(it installs axe-core from the npm registry into .tools/)")
    return AXE.read_text(encoding="utf-8")


def axe(driver, label: str, frame_too: bool = True) -> None:
    """axe-core's WCAG 2.2 A/AA rules and best practices on the page (and WCAG rules in the
    letter preview's frame): no violations."""
    script = axe_source() + """
    const done = arguments[arguments.length - 1];
    axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},
                       resultTypes: ['violations']})
       .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact,
             help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))))
       .catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e)}])));
    """
    wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    driver.set_script_timeout(60)
    found = json.loads(driver.execute_async_script(script, wcag + ["best-practice"]))
    assert found == [], f"{label}: {json.dumps(found, indent=1)}"
    frames = driver.find_elements("css selector", "iframe") if frame_too else []
    for frame in frames:
        driver.switch_to.frame(frame)
        try:
            inner = json.loads(driver.execute_async_script(script, wcag))
        finally:
            driver.switch_to.default_content()
        assert inner == [], f"{label} (letter frame): {json.dumps(inner, indent=1)}"


def fits_320(driver, label: str) -> None:
    """Reflow (WCAG 1.4.10): nothing wider than a 320 px screen, which is also a 1280 px
    screen at 400% zoom; then 640 px, a 1280 px screen at 200%."""
    size = driver.get_window_size()
    for width in (320, 640):
        driver.set_window_size(width, 800)
        wide = driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], f"{label} is {wide[0]} px wide at {width} px"
    driver.set_window_size(size["width"], size["height"])


def look(driver, label: str, script: bool = True) -> None:
    """Every check a page gets: axe, reflow, and (when asked) screenshots. Without
    JavaScript in the page, WebDriver cannot run axe either: screenshots only."""
    if script:
        axe(driver, label)
        fits_320(driver, label)
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        for width in (320, 375, 1280):
            driver.set_window_size(width, 800)
            height = driver.execute_script(
                "return document.documentElement.scrollHeight") if script else 2600
            driver.set_window_size(width, min(height + 140, 6000))
            driver.save_screenshot(str(folder / f"{label}-{width}.png"))
        driver.set_window_size(1280, 900)


def css(driver, selector: str):
    return driver.find_element("css selector", selector)


def loads(driver, action) -> None:
    """Do what sends a form (or follows a link) and wait for the next page to be ready.

    The old page is marked and the wait is for a complete page without the mark: asking the
    old page's elements whether they are stale fails mid-navigation in Chromium ("Node with
    given id does not belong to the document"), which made these tests flaky under load."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_script("window.ckOldPage = true")
    action()
    WebDriverWait(driver, 60, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.ckOldPage !== true && document.readyState === 'complete'"))


def submit(driver, selector: str = "#f-form button[type=submit]") -> None:
    loads(driver, css(driver, selector).click)


def download(driver, suffix: str, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in driver.downloads.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded: {list(driver.downloads.iterdir())}")


def clear_downloads(driver) -> None:
    for path in driver.downloads.iterdir():
        path.unlink()


@pytest.mark.slow
@needs_browser
def test_member_journey_from_an_ambiguous_place_to_a_pdf(server, chrome):
    driver = chrome
    clear_downloads(driver)
    driver.get(server.url + "/")
    assert driver.execute_script("return document.documentElement.lang") == "en-GB"
    look(driver, "1-home")

    submit(driver)  # nothing typed: an error summary, linked to the box
    assert driver.title.startswith("Error: ")
    summary = css(driver, ".error-summary")
    assert driver.switch_to.active_element == summary  # the script moves focus to it
    look(driver, "1-home-error")
    css(driver, ".error-summary a").click()
    assert driver.switch_to.active_element.get_attribute("id") == "f-q"

    css(driver, "#f-q").send_keys("SO14 0GE")  # a postcode in a ward split between seats
    submit(driver)
    labels = [e.text for e in driver.find_elements("css selector", ".choice label")]
    assert labels == ["Southampton Test", "Southampton Itchen"]
    assert "split between" in css(driver, "#choose-found").text
    look(driver, "2-choose")
    submit(driver)  # nothing chosen: never a guess
    assert "Choose your constituency from the list" in css(driver, ".error-summary").text
    look(driver, "2-choose-error")
    css(driver, "label[for='f-seat-E14001499']").click()  # the second, not the likelier
    submit(driver)

    assert css(driver, "h1").text == "Your letter to Darren Paffey MP"
    assert "Labour" in css(driver, ".mp-card").text
    look(driver, "3-details")
    css(driver, "#f-story").send_keys("x" * 5010)
    submit(driver)
    errors = css(driver, ".error-summary").text
    assert "Enter your name" in errors and "5,010 characters" in errors
    assert "10 characters too many" in css(driver, "#f-story-count").text
    look(driver, "3-details-errors")

    story = css(driver, "#f-story")
    story.clear()
    story.send_keys(STORY)
    assert css(driver, "#f-story-count").text == \
        f"You have {5000 - len(STORY):,} characters left"
    css(driver, "#f-name").send_keys("Jo Bloggs")
    css(driver, "#f-address").send_keys("1 High Street\nSouthampton SO14 0GE")
    css(driver, "#f-role").send_keys("headteacher")
    submit(driver)

    assert css(driver, "h1").text == "Your letter to Darren Paffey MP"
    frame = css(driver, "iframe.paper")
    assert frame.size["height"] > 600  # the script fits the frame to the letter
    driver.switch_to.frame(frame)
    letter = driver.find_element("tag name", "body").text
    driver.switch_to.default_content()
    assert "Dear Mr Paffey," in letter and "nine months" in letter
    copy = css(driver, "button[data-copy]")
    assert copy.is_displayed()
    look(driver, "4-preview")

    css(driver, "button[value=pdf]").click()
    pdf = download(driver, ".pdf")
    assert pdf.name == "letter-southampton-itchen-jo-bloggs.pdf"
    text = pdf_text(pdf)
    assert "Darren Paffey MP" in text and "Dear Mr Paffey," in text
    assert "educational psychologist" in text and "Southampton" in text
    assert "Satvir Kaur" not in text


@pytest.mark.slow
@needs_browser
def test_official_downloads_a_pack_and_reaches_a_deck(server, chrome):
    driver = chrome
    clear_downloads(driver)
    driver.get(server.url + "/officials")
    look(driver, "5-officials")
    loads(driver, driver.find_element("link text", "Make a roundtable pack").click)
    look(driver, "6-pack-start")
    css(driver, "#f-q").send_keys("Sheffield Central")
    submit(driver)
    assert css(driver, "h1").text == "A roundtable with Abtisam Mohamed MP"
    css(driver, "#f-host_email").send_keys("sam.patel@")
    submit(driver)
    assert "Enter an email address like name@example.org" in css(driver, ".error-summary").text
    look(driver, "7-pack-errors")
    css(driver, "#f-host_email").clear()
    submit(driver)  # no organiser: advice, as on the command line, and the official goes on
    assert "There is no organiser's name" in css(driver, ".warning-summary").text
    look(driver, "7-pack-warnings")
    css(driver, "#f-host_name").send_keys("Sam Patel")
    css(driver, "#f-venue").send_keys("Springfield Primary School")
    driver.execute_script("document.getElementById('f-time').value = '16:00'")
    submit(driver)  # still no way to reply: one more warning
    css(driver, "button[name=confirmed]").click()  # a download: the page stays
    archive = zipfile.ZipFile(io.BytesIO(download(driver, ".zip").read_bytes()))
    assert len(archive.namelist()) == 10
    invitation = driver.downloads / "invitation.pdf"
    invitation.write_bytes(archive.read("roundtable-sheffield-central/invitation.pdf"))
    text = pdf_text(invitation)
    assert "Sam Patel" in text and "Springfield Primary School" in text

    driver.get(server.url + "/deck")
    look(driver, "8-deck-start")
    css(driver, "label[for='f-scope-council']").click()
    css(driver, "#f-q").send_keys("Yorkshire")
    submit(driver)
    look(driver, "9-deck-choose")
    driver.find_element("xpath", "//label[text()='North Yorkshire']").click()
    submit(driver)
    assert css(driver, "h1").text == "A slide deck for North Yorkshire"
    look(driver, "10-deck-details")


@pytest.mark.slow
@needs_browser
def test_the_error_pages_pass_too(server, chrome):
    chrome.get(server.url + "/no-such-page")
    assert css(chrome, "h1").text == "Page not found"
    look(chrome, "11-not-found")
    chrome.get(server.url + "/deck")
    css(chrome, "#f-q").send_keys("Aldershot")
    submit(chrome)
    for box in chrome.find_elements("css selector", "input[name=ask]:checked"):
        box.click()
    submit(chrome)
    assert "Choose at least one ask" in css(chrome, ".error-summary").text
    look(chrome, "12-deck-errors")
    chrome.execute_script("document.querySelector('input[name=token]').value = '0'.repeat(64)")
    submit(chrome)  # a form whose token does not match its cookie
    assert css(chrome, "h1").text == "That form could not be used"
    look(chrome, "13-forged-form")


@pytest.mark.slow
@needs_browser
def test_member_journey_by_keyboard_alone(server, chrome):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver = chrome
    clear_downloads(driver)
    driver.get(server.url + "/")

    def keys(*pressed):
        ActionChains(driver).send_keys(*pressed).perform()

    def focused():
        return driver.switch_to.active_element

    def tab_to(matches, limit: int = 60):
        for _ in range(limit):
            keys(Keys.TAB)
            element = focused()
            script = ("const s = getComputedStyle(arguments[0]);"
                      "return [s.outlineStyle, s.boxShadow]")
            if element.tag_name == "iframe":  # focus is on the frame's document
                driver.switch_to.frame(element)
                style = driver.execute_script(script, focused())
                driver.switch_to.default_content()
            else:
                style = driver.execute_script(script, element)
            assert style != ["none", "none"], \
                f"no visible focus on {element.get_attribute('outerHTML')[:80]}"
            if matches(element):
                return element
        raise AssertionError("never reached by Tab")

    tab_to(lambda e: e.get_attribute("class") == "skip-link")
    keys(Keys.ENTER)
    tab_to(lambda e: e.get_attribute("id") == "f-q")
    loads(driver, lambda: keys("SO14 0GE", Keys.ENTER))
    tab_to(lambda e: e.get_attribute("id") == "f-seat")
    keys(Keys.ARROW_DOWN)  # arrow keys move between radios and choose
    assert focused().get_attribute("value") == "E14001499"
    tab_to(lambda e: e.tag_name == "button")
    loads(driver, lambda: keys(Keys.ENTER))
    assert css(driver, "h1").text == "Your letter to Darren Paffey MP"
    for field, typed in (("f-name", "Jo Bloggs"), ("f-address", "1 High Street, Southampton"),
                         ("f-story", STORY)):
        tab_to(lambda e, f=field: e.get_attribute("id") == f)
        keys(typed)
    tab_to(lambda e: e.get_attribute("id") == "f-ask-fair-funding")
    keys(Keys.SPACE)  # a fourth ask: the form says to choose up to three
    tab_to(lambda e: e.tag_name == "button")
    loads(driver, lambda: keys(Keys.ENTER))
    assert focused().get_attribute("class") == "error-summary"
    tab_to(lambda e: e.tag_name == "a" and "up to 3" in e.text)
    keys(Keys.ENTER)
    assert focused().get_attribute("id") == "f-ask"
    keys(Keys.SPACE)  # untick the first
    tab_to(lambda e: e.tag_name == "button")
    loads(driver, lambda: keys(Keys.ENTER))
    assert css(driver, "h1").text == "Your letter to Darren Paffey MP"
    tab_to(lambda e: e.get_attribute("value") == "pdf")
    keys(Keys.ENTER)
    text = pdf_text(download(driver, ".pdf"))
    assert "Darren Paffey MP" in text and "nine months" in text


@pytest.mark.slow
@needs_browser
def test_member_journey_without_javascript(server, tmp_path_factory):
    """Plain form posts all the way: the script only improves the pages."""
    driver = start_chrome(tmp_path_factory, javascript=False)
    try:
        driver.get(server.url + "/")
        css(driver, "#f-q").send_keys("Bristol")
        submit(driver)
        driver.find_element("xpath", "//label[text()='Bristol East']").click()
        submit(driver)
        css(driver, "#f-name").send_keys("Jo Bloggs")
        css(driver, "#f-address").send_keys("1 High Street, Bristol")
        css(driver, "#f-story").send_keys(STORY)
        assert css(driver, "#f-story-count").text == "You can enter up to 5,000 characters"
        submit(driver)
        assert css(driver, "h1").text == "Your letter to Kerry McCarthy MP"
        assert not css(driver, "button[data-copy]").is_displayed()  # needs the script
        assert css(driver, "iframe.paper").get_attribute("tabindex") is None  # a tab stop
        look(driver, "4-preview-no-script", script=False)
        css(driver, "button[value=docx]").click()
        assert download(driver, ".docx").name == "letter-bristol-east-jo-bloggs.docx"
    finally:
        driver.quit()
