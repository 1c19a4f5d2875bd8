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
