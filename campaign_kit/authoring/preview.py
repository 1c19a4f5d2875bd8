"""`campaign-kit preview`: one kind for one place, rendered into a folder, with one page a
person can look at: a contact sheet of every document's first page (every slide of a deck)
as images, beside links to the files themselves.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..engine.filenames import safe_name
from ..errors import NotFound
from ..runs.outputs import write_atomic


def request_for(kit, kind_id: str, place: str, today: dt.date):
    """A request with sample member and event details, for a seat or (decks) a council."""
    from ..engine.kinds import KINDS
    from ..engine.requests import Area, Event, Request
    from ..engine.rules import member as checked_member

    kind = KINDS[kind_id]
    seat = None
    try:
        seat = kit.places.find(place)
    except NotFound:
        if kind.needs != "area":
            raise
    member = checked_member("Sam Example", "1 School Lane, Town", "headteacher",
                                "Example Primary School",
                                "A short story from the member's own school goes here.")
    event = Event(today + dt.timedelta(days=42), dt.time(16, 0), "Example Primary School",
                  "Sam Example", "Regional official", host_email="sam@example.org",
                  host_phone="0113 496 0000")
    area = Area.of_seat(seat) if seat else Area.of_council(kit.places, kit.places.council(place))
    return Request(today, seat=seat, area=area, member=member, event=event, today=today)


def preview(kit, kind_id: str, place: str, out_dir: Path, today: dt.date) -> Path:
    """Render every format of the kind into out_dir/preview-<kind>-<place>/ and write an
    index.html contact sheet there; returns its path."""
    from ..engine.kinds import KINDS
    from ..runs.outputs import write_product

    request = request_for(kit, kind_id, place, today)
    kind = KINDS[kind_id]
    product = kit.produce(kind_id, request, kind.formats)
    name = request.area.name if kind.needs == "area" else request.seat.name
    folder = out_dir / f"preview-{kind_id}-{safe_name(name)}"
    paths = write_product(product, folder, force=True)
    images = folder / "pages"
    images.mkdir(exist_ok=True)
    cards = []
    for pdf in (p for p in paths if p.suffix == ".pdf"):
        last = None if kind.deck else 1
        for png in _pages(pdf, images, last):
            cards.append((pdf, png))
    sheet = _sheet(kit, kind, name, paths, cards, folder)
    index = folder / "index.html"
    write_atomic(index, sheet.encode("utf-8"))
    return index


def _pages(pdf: Path, images: Path, last: int | None) -> list[Path]:
    """PNG images of a PDF's pages (poppler's pdftoppm), or none when it is not installed."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [tool, "-png", "-r", "50"] + (["-l", str(last)] if last else [])
        subprocess.run(cmd + [str(pdf), f"{tmp}/page"], check=True, capture_output=True,
                       timeout=120)
        out = []
        for n, page in enumerate(sorted(Path(tmp).glob("page*.png")), 1):
            target = images / f"{pdf.stem}-{n:02d}.png"
            shutil.move(str(page), target)
            out.append(target)
    return out


def _sheet(kit, kind, name: str, paths: list[Path], cards, folder: Path) -> str:
    from ..content.brand import brand_value

    brand = kit.campaign.brand
    text, primary = brand_value("colour", brand.text), brand_value("colour", brand.primary)
    links = "".join(f'<li><a href="{html.escape(p.name)}">{html.escape(p.name)}</a></li>'
                    for p in paths)
    figures = "".join(
        f'<figure><img src="pages/{html.escape(png.name)}" alt="{html.escape(pdf.stem)}, '
        f'page {png.stem.rsplit("-", 1)[1].lstrip("0")}"><figcaption>'
        f'{html.escape(png.stem)}</figcaption></figure>' for pdf, png in cards)
    if not cards:
        figures = ("<p>Page images need poppler's pdftoppm (Debian package poppler-utils); "
                   "open the files above instead.</p>")
    title = f"Preview: {kind.summary.lower()}, {name} ({kit.campaign.info['name']})"
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: Carlito, Calibri, sans-serif; margin: 2em; color: {text}; }}
h1 {{ color: {primary}; }}
.sheet {{ display: flex; flex-wrap: wrap; gap: 16px; }}
figure {{ margin: 0; border: 1px solid #999; padding: 6px; background: #fff; }}
figure img {{ display: block; max-width: 100%; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Made {html.escape(dt.date.today().isoformat())}.
Every format, in this folder:</p>
<ul>{links}</ul>
<div class="sheet">{figures}</div>
</body></html>
"""
