"""Document -> tagged PDF (PDF/UA-1) through HTML + CSS and WeasyPrint.

WeasyPrint is imported here only, and its font configuration and parsed stylesheets are
reused across documents, which is most of the cost of a batch. The user-agent stylesheet is
cut to the elements our HTML writer emits (ua.css), when this WeasyPrint lets us.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..document import Document
from .html import document_html

STYLESHEETS = {"deck": "styles/deck.css"}
# fontTools stamps the time into a font it rewrites (WeasyPrint rewrites emoji fonts and
# variable fonts, e.g. for Hebrew or Arabic) unless SOURCE_DATE_EPOCH is set; we set it for
# the render when the user has not: 2024-01-01T00:00:00Z, the OOXML writers' fixed time.
FIXED_EPOCH = "1704067200"
_EPOCH_LOCK = threading.Lock()
_EPOCH_USERS = [0]


@contextmanager
def fixed_font_time():
    """SOURCE_DATE_EPOCH set while any render runs (counted, so threads cannot unset it
    under each other); a value the user set is left alone."""
    with _EPOCH_LOCK:
        ours = _EPOCH_USERS[0] > 0 or "SOURCE_DATE_EPOCH" not in os.environ
        if ours:
            _EPOCH_USERS[0] += 1
            os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        yield
    finally:
        if ours:
            with _EPOCH_LOCK:
                _EPOCH_USERS[0] -= 1
                if _EPOCH_USERS[0] == 0:
                    os.environ.pop("SOURCE_DATE_EPOCH", None)
DEFAULT_STYLESHEET = "styles/print.css"


@lru_cache(maxsize=1)
def _weasy():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration()


@lru_cache(maxsize=2)
def html_class(trimmed_ua: bool = True):
    """weasyprint.HTML, or a subclass whose user-agent stylesheet is ua.css.

    WeasyPrint has no public option for this; the hook `_ua_stylesheets` exists in every
    version we support, and without it we fall back to the full stylesheet (same pages,
    about 5 ms slower per letter).
    """
    weasyprint, _ = _weasy()
    if not trimmed_ua or not callable(getattr(weasyprint.HTML, "_ua_stylesheets", None)):
        return weasyprint.HTML
    from weasyprint.html import UA_COUNTER_STYLE

    ua = weasyprint.CSS(string=Path(__file__).with_name("ua.css").read_text(encoding="utf-8"),
                        counter_style=UA_COUNTER_STYLE)

    class CampaignHTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms=False):
            return [ua]

    return CampaignHTML


def _fetcher_class():
    weasyprint, _ = _weasy()
    from weasyprint.urls import URLFetcher

    class TemplateOnlyFetcher(URLFetcher):
        """Serves data: URLs and files inside the template folders; refuses everything else.

        WeasyPrint's default fetcher reads any local file and the network.
        """

        def __init__(self, roots: tuple[Path, ...]):
            super().__init__(allowed_protocols={"data", "file"})
            self.roots = tuple(r.resolve() for r in roots)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in self.roots):
                    return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url}: only template files and data: URLs")

    return TemplateOnlyFetcher


@lru_cache(maxsize=8)
def _stylesheet(path: Path, mtime: float):
    weasyprint, fonts = _weasy()
    fetcher = _fetcher_class()((path.parent,))
    return weasyprint.CSS(filename=str(path), font_config=fonts, url_fetcher=fetcher)


def brand_css(brand) -> str:
    """The brand's colours and fonts over the kind's stylesheet (which sets the layout).
    Every brand value goes through content.brand's one quoting function (brand_value), so a
    value that is not a colour or a font name never reaches the CSS."""
    from ..content.brand import brand_value, font_stack

    body = font_stack(brand.body_font)
    heading = font_stack(brand.heading_font)
    text, background, primary, accent, muted = (
        brand_value("colour", c) for c in (brand.text, brand.background, brand.primary,
                                           brand.accent, brand.muted))
    logo = (f"section.slide {{ background: url({brand.logo_data_url()}) no-repeat "
            "right 24pt bottom 14pt / auto 30pt; }" if brand.logo else "")
    return f"""
html {{ font-family: {body}; color: {text}; background: {background}; }}
h1, h2, h3, h4 {{ font-family: {heading}; }}
h1, h2, section.slide h1 {{ color: {primary}; }}
a {{ color: {accent}; }}
p.small, .letterhead .contact {{ color: {muted}; }}
.letterhead {{ border-bottom-color: {primary}; }}
.letterhead .organisation {{ color: {primary}; font-family: {heading}; }}
section.slide {{ border-top-color: {primary}; }}
{logo}
"""


@lru_cache(maxsize=4)
def _brand_stylesheet(brand):
    weasyprint, fonts = _weasy()
    return weasyprint.CSS(string=brand_css(brand), font_config=fonts,
                          url_fetcher=_fetcher_class()(()))


def link_table_headers(_document, pdf) -> None:
    """Give each table header cell a Scope and the structure tree an IDTree.

    WeasyPrint ties data cells to header cells by /Headers and /ID but writes no /IDTree to
    resolve those IDs, so PDF/UA checkers cannot pair them; /Scope /Column (our HTML writer
    only emits `<th scope="col">`) makes the pairing explicit. Runs as WeasyPrint's finisher,
    on the PDF objects before they are written.
    """
    import pydyf

    ids, root = [], None
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary):
            continue
        if obj.get("Type") == "/StructTreeRoot":
            root = obj
        elif obj.get("Type") == "/StructElem":
            if obj.get("S") == "/TH" and isinstance(obj.get("A"), dict):
                obj["A"]["Scope"] = "/Column"
            if isinstance(obj.get("ID"), pydyf.String):
                ids.append((str(obj["ID"].string), obj.reference))
    if root is not None and ids:
        names = pydyf.Array()
        for key, reference in sorted(ids):
            names.extend([pydyf.String(key), reference])
        root["IDTree"] = pydyf.Dictionary({"Names": names})


OPTIONS = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
# A printed page set tighter, then looser, when the plain setting leaves a last page nearly
# empty or runs past the document's page limit (print.css styles body.tight-1 ...).
TIGHTER = ("tight-1", "tight-2")
LOOSER = ("loose-1", "loose-2", "loose-3")
MIN_LAST_FILL = 0.3  # of the page's height, down to the lowest text or drawing


def write_pdf(document: Document, assets, trimmed_ua: bool = True) -> bytes:
    _, fonts = _weasy()
    if document.meta.kind == "deck":
        from .slidefit import fit_deck

        document = fit_deck(document)  # the same slides and sizes as the PPTX
    css_path = assets.file(STYLESHEETS.get(document.meta.kind, DEFAULT_STYLESHEET))
    stylesheets = [_stylesheet(css_path, css_path.stat().st_mtime),
                   _brand_stylesheet(assets.brand)]
    fetcher = _fetcher_class()((css_path.parent,))

    def render(fit: str):
        html = html_class(trimmed_ua)(string=document_html(document, assets.brand, fit),
                                      base_url=str(css_path.parent) + "/", url_fetcher=fetcher)
        return html.render(font_config=fonts, stylesheets=stylesheets, **OPTIONS)

    with fixed_font_time():
        rendered = render("")
        if document.meta.kind != "deck":
            rendered = fit_pages(rendered, render, document.meta.max_pages)
        return rendered.write_pdf(None, 1, link_table_headers, **OPTIONS)


def fit_pages(first, render, max_pages: int = 0):
    """The rendering whose pages read as a finished document: within `max_pages`, and one
    page or a last page at least MIN_LAST_FILL full. Tries the plain setting, then tighter
    (which may save a page), then looser (which carries more onto the last page); keeps the
    plain one when none does better. WeasyPrint cannot balance pages itself."""
    def pages(doc) -> int:
        return len(doc.pages)

    def good(doc) -> bool:
        return (not max_pages or pages(doc) <= max_pages) and (
            pages(doc) == 1 or last_page_fill(doc) >= MIN_LAST_FILL)

    if good(first):
        return first
    best = first
    for fit in TIGHTER:
        doc = render(fit)
        if good(doc):
            return doc
        if pages(doc) < pages(best):
            best = doc
    if not max_pages or pages(first) <= max_pages:
        for fit in LOOSER:
            doc = render(fit)
            if pages(doc) > pages(first):
                break
            if good(doc):
                return doc
    return best


def last_page_fill(doc) -> float:
    """How far down the last page its text, pictures and ruled lines reach, as a share of
    the page's height (the page-number footer, a margin box, is not counted)."""
    from weasyprint.formatting_structure import boxes

    page = doc.pages[-1]
    bottom = 0.0
    for root in page._page_box.children:
        if isinstance(root, boxes.MarginBox):
            continue
        for box in root.descendants():
            if isinstance(box, boxes.TextBox | boxes.ReplacedBox) or getattr(
                    box, "border_bottom_width", 0):
                bottom = max(bottom, box.position_y + box.margin_height())
    return bottom / page.height
