"""Fitting slide text to its box by measuring it with the font's own metrics.

python-pptx never shrinks text (PowerPoint does that only when it re-renders), so the deck
is laid out here, once, for both the PPTX and the PDF writer: each slide gets a text size
between a ceiling and a floor, and a slide whose text does not fit at the floor is split
into continuation slides.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from ..document import Chart, Div, Document, ListBlock, Paragraph, Slide, plain

# Slide geometry in points, shared by the reference.pptx layouts and the PDF deck CSS.
SLIDE_W, SLIDE_H = 960.0, 540.0
TITLE_BOX = (36.0, 22.0, 888.0, 90.0)  # left, top, width, height
BODY_BOX = (36.0, 126.0, 888.0, 370.0)
CHART_CAPTION_H = 70.0
CHART_GAP = 18.0  # between charts side by side
INSET_X, INSET_Y = 7.2, 3.6  # PowerPoint's default text-frame insets (0.1 in, 0.05 in)
BULLET_INDENT = 27.0  # the reference layout's level-1 bullet indent
LINE_SPACING = 1.25  # line height per point of size (Carlito's single spacing is 1.22)
PARA_SPACE = 0.5  # space before a paragraph, in lines
MAX_SIZE, MIN_SIZE = 24, 14
# A slide whose text fits only below this size is split into "(continued)" slides when it
# can be (a list of 15 MPs at 14 pt is legal but hard to read from the back of a room);
# text that cannot be split still goes down to MIN_SIZE.
SPLIT_BELOW = 18
TITLE_MAX, TITLE_MIN = 36, 24

FONT_DIRS = (Path("/usr/share/fonts/truetype/crosextra"), Path("/usr/share/fonts/truetype"),
             Path("/usr/share/fonts"))
FONT_FILES = {False: "Carlito-Regular.ttf", True: "Carlito-Bold.ttf"}


class Metrics:
    """Advance widths from a TrueType font's hmtx table (fontTools)."""

    def __init__(self, path: Path):
        import logging

        from fontTools.ttLib import TTFont

        # Carlito's head table has an odd creation date that fontTools warns about
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        font = TTFont(str(path), lazy=True)
        self.units = font["head"].unitsPerEm
        self.cmap = font.getBestCmap()
        self.hmtx = font["hmtx"].metrics
        self.fallback = max(w for w, _ in self.hmtx.values())  # unknown glyphs: the widest
        self._widths: dict[str, float] = {}

    def char_width(self, ch: str) -> float:
        width = self._widths.get(ch)
        if width is None:
            glyph = self.cmap.get(ord(ch))
            width = (self.hmtx[glyph][0] if glyph in self.hmtx else self.fallback) / self.units
            self._widths[ch] = width
        return width

    def width(self, text: str, size: float) -> float:
        return sum(self.char_width(c) for c in text) * size


@lru_cache(maxsize=2)
def metrics(bold: bool = False) -> Metrics:
    name = FONT_FILES[bold]
    for folder in FONT_DIRS:
        found = next(iter(sorted(folder.rglob(name))), None) if folder.is_dir() else None
        if found:
            return Metrics(found)
    raise RuntimeError(f"font {name} not found: install fonts-crosextra-carlito")


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines `text` takes at `size` in a box `width` wide, wrapping at spaces like PowerPoint."""
    m = metrics(bold)
    space = m.width(" ", size)
    lines, current = 0, 0.0
    for paragraph in text.split("\n"):
        lines += 1
        current = 0.0
        for word in paragraph.split(" "):
            w = m.width(word, size)
            if current and current + space + w > width:
                lines += 1
                current = 0.0
            while w > width:  # a word longer than the line breaks anywhere
                lines += 1
                w -= width
            current += (space if current else 0.0) + w
    return lines


def text_units(blocks) -> list[tuple[str, int, bool]]:
    """(text, indent level, bold) for every paragraph the body will hold."""
    units = []
    for b in blocks:
        if isinstance(b, Paragraph):
            units.append((plain(b.spans), 0, all(s.bold for s in b.spans)))
        elif isinstance(b, ListBlock):
            units.extend((plain(item), 1, False) for item in b.items)
    return units


def height(units, width: float, size: float) -> float:
    total = 0.0
    for n, (text, level, bold) in enumerate(units):
        lines = line_count(text, width - INSET_X * 2 - BULLET_INDENT * level, size, bold)
        total += lines * size * LINE_SPACING + (PARA_SPACE * size if n else 0.0)
    return total + INSET_Y * 2


def body_box(slide: Slide) -> tuple[float, float]:
    """Width and height left for text on this slide (charts take the rest)."""
    _, _, w, h = BODY_BOX
    if any(isinstance(b, Chart) for b in slide.blocks):
        return w, CHART_CAPTION_H
    return w, h


def chart_boxes(slide: Slide) -> list[tuple[float, float, float, float]]:
    """(left, top, width, height) of each chart on the slide, side by side above the caption;
    the PPTX and the PDF writer both place their charts here."""
    n = sum(isinstance(b, Chart) for b in slide.blocks)
    if not n:
        return []
    left, top, width, height = BODY_BOX
    if any(not isinstance(b, Chart) for b in slide.blocks):
        height -= CHART_CAPTION_H
    each = (width - CHART_GAP * (n - 1)) / n
    return [(left + k * (each + CHART_GAP), top, each, height) for k in range(n)]


def best_size(units, width: float, box_height: float, top: int = MAX_SIZE,
              floor: int = MIN_SIZE) -> int | None:
    for size in range(top, floor - 1, -1):
        if height(units, width, size) <= box_height:
            return size
    return None


def fit_slide(slide: Slide) -> list[Slide]:
    """The slide with its sizes set, or several slides when its text would otherwise be set
    below SPLIT_BELOW (or cannot fit at the floor at all)."""
    width, box_height = body_box(slide)
    title = plain(slide.title)
    title_size = best_size([(title, 0, True)], TITLE_BOX[2], TITLE_BOX[3], TITLE_MAX,
                           TITLE_MIN) or TITLE_MIN
    units = text_units(slide.blocks)
    size = best_size(units, width, box_height) if units else MAX_SIZE
    has_chart = any(isinstance(b, Chart) for b in slide.blocks)
    pieces = _split(slide) if size is None or (size < SPLIT_BELOW and not has_chart) else []
    if size is not None and len(pieces) < 2:
        return [dataclasses.replace(slide, text_size=size, title_size=title_size)]
    if len(pieces) < 2:  # one paragraph that cannot fit even alone: cannot split further
        raise ValueError(f"slide '{title}' has a paragraph too long for any slide")
    out = []
    for n, piece in enumerate(pieces):
        if n and not title.endswith(_cont().text):
            piece = dataclasses.replace(piece, title=(*slide.title, _cont()),
                                        notes="Continued from the previous slide. " + slide.notes)
        out.extend(fit_slide(piece))
    return out


def _cont():
    from ..document import Span

    return Span(" (continued)")


def _split(slide: Slide) -> list[Slide]:
    """Split a slide's blocks in two, at a block or list-item boundary near the middle."""
    flat: list = []
    for b in slide.blocks:
        if isinstance(b, ListBlock):
            flat.extend(ListBlock((item,), b.ordered) for item in b.items)
        else:
            flat.append(b)
    if len(flat) < 2:
        return [slide]
    half = len(flat) // 2
    return [dataclasses.replace(slide, blocks=_regroup(flat[:half])),
            dataclasses.replace(slide, blocks=_regroup(flat[half:]))]


def _regroup(blocks: list) -> tuple:
    out: list = []
    for b in blocks:
        if (isinstance(b, ListBlock) and out and isinstance(out[-1], ListBlock)
                and out[-1].ordered == b.ordered):
            out[-1] = ListBlock(out[-1].items + b.items, b.ordered)
        else:
            out.append(b)
    return tuple(out)


def flatten(blocks) -> tuple:
    """A slide's blocks with every Div replaced by its contents (a slide shows them plainly)."""
    out: list = []
    for b in blocks:
        out.extend(flatten(b.blocks) if isinstance(b, Div) else [b])
    return tuple(out)


def check_slides(deck: Document) -> None:
    """Every block on every slide is one a slide can show (in the PPTX and the PDF alike);
    anything else is an error naming the template, never dropped or drawn in one only."""
    from ..errors import TemplateProblem

    for block in deck.blocks:
        if not isinstance(block, Slide):
            raise TemplateProblem(f"{deck.meta.template}: a deck holds only slides (each starts "
                                  f"with a level-1 heading), not a {type(block).__name__}")
        for b in block.blocks:
            if not isinstance(b, Paragraph | ListBlock | Chart):
                raise TemplateProblem(
                    f"{deck.meta.template}: the slide '{plain(block.title)}' holds a "
                    f"{type(b).__name__}, which a slide cannot show; use paragraphs, lists "
                    "or a chart")


def fit_deck(document: Document) -> Document:
    """Every slide sized (and split where needed), after checking what the slides hold."""
    blocks = tuple(dataclasses.replace(b, blocks=flatten(b.blocks)) if isinstance(b, Slide)
                   else b for b in document.blocks)
    check_slides(dataclasses.replace(document, blocks=blocks))
    blocks = [s for b in blocks for s in fit_slide(b)]
    return dataclasses.replace(document, blocks=tuple(blocks))
