"""The document model every template renders into and every writer reads.

Plain frozen dataclasses: a Document is metadata plus a tuple of blocks. Writers decide
layout from the block type (and the small `role` hint a few blocks carry), so templates
never know which format they end up in.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of inline text. `link` is a URL; a newline in text is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    return "".join(s.text for s in spans)


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline


@dataclass(frozen=True)
class Paragraph:
    spans: Inline
    role: str = ""  # "", "subject", "small", "salutation", "closing"


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Inline, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    role: str = ""  # "form": empty rows to fill in by hand


@dataclass(frozen=True)
class AddressBlock:
    """Postal address lines; role "sender" sits top right in a letter, "recipient" left."""

    lines: tuple[Inline, ...]
    role: str = "recipient"


@dataclass(frozen=True)
class Signature:
    """Sign-off: the closing words, space to sign, then name, role, school."""

    closing: Inline
    lines: tuple[Inline, ...]


@dataclass(frozen=True)
class WriteIn:
    """Ruled space to write by hand (commitments, notes), `lines` lines tall."""

    label: Inline
    lines: int = 4


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart drawn natively by each writer from the same numbers."""

    kind: str  # "line" or "bar"
    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    alt: str
    unit: str = ""  # "%" or "" (counts)
    decimals: int = 0  # decimal places of data labels (one for rates below 10%)
    x_title: str = ""  # category axis title, e.g. "Calendar year"
    y_title: str = ""  # value axis title, e.g. "EHC plans"


@dataclass(frozen=True)
class Image:
    """A picture (a photograph), with the alt text read out in its place and the credit its
    licence asks for. `role` hints where it sits: "portrait" is small, beside the text that
    follows it (the PDF floats it right; other writers put it just before that text)."""

    data: bytes
    mime: str  # "image/jpeg" or "image/png"
    alt: str
    credit: str = ""
    role: str = ""
    width_mm: float = 25

    def __post_init__(self):
        if self.mime not in ("image/jpeg", "image/png"):
            raise ValueError(f"an image is a JPEG or a PNG, not {self.mime}")
        if not self.alt.strip():
            raise ValueError("an image needs alt text (what it shows, for those who cannot "
                             "see it)")


@dataclass(frozen=True)
class Div:
    """A fenced block (`::: kind arg` ... `:::`) of a kind no writer gives a meaning to.

    Like pandoc's Div: every writer renders its contents (the PDF writer in a
    `<div class="kind">` that a stylesheet may style), so nothing is ever dropped.
    """

    kind: str
    arg: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Slide:
    """One slide of a deck: a title, its blocks and the speaker's notes."""

    title: Inline
    blocks: tuple[Block, ...]
    notes: str = ""
    layout: str = "content"  # "title" or "content"
    text_size: float = 0  # points, set by writers.slidefit so every writer agrees
    title_size: float = 0


Block = (Heading | Paragraph | ListBlock | Table | AddressBlock | Signature | WriteIn
         | PageBreak | Chart | Image | Div | Slide)


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    subject: str = ""
    keywords: tuple[str, ...] = ()
    lang: str = "en-GB"
    kind: str = "letter"  # letter, guide, briefing, form, deck: writers pick page styles by it
    date: str = ""  # ISO date the document is dated, fixed for reproducible files
    template: str = ""  # the template it came from, named in errors a writer raises
    branded: bool = False  # carries the organisation's letterhead / logo (not a member's letter)
    max_pages: int = 0  # a printed document longer than this is set tighter (0: any length)


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# What a writer takes, at most (checked by writers.write before any layout work). A real
# deck has about 15 slides, a pack document under 10 pages, a briefing table a dozen rows,
# a kit index under 150: these are far above any real document, and far below what makes
# WeasyPrint or python-pptx run for minutes (20,000 slides took over 120 s and 1.5 GB).
LIMITS = {"blocks": 5_000, "slides": 200, "page breaks": 200, "table rows": 2_000,
          "list items": 2_000, "charts and images": 100}


def _count(blocks, tally: dict[str, int]) -> None:
    for block in blocks:
        tally["blocks"] += 1
        if isinstance(block, Slide):
            tally["slides"] += 1
        elif isinstance(block, PageBreak):
            tally["page breaks"] += 1
        elif isinstance(block, Table):
            tally["table rows"] += len(block.rows)
        elif isinstance(block, ListBlock):
            tally["list items"] += len(block.items)
        elif isinstance(block, Chart | Image):
            tally["charts and images"] += 1
        _count(getattr(block, "blocks", ()), tally)


def over_limits(document: Document) -> str:
    """'' when the document is within LIMITS, else what is over and by how much."""
    tally = dict.fromkeys(LIMITS, 0)
    _count(document.blocks, tally)
    over = [f"{tally[k]:,} {k} (at most {LIMITS[k]:,})" for k in LIMITS if tally[k] > LIMITS[k]]
    return "; ".join(over)
