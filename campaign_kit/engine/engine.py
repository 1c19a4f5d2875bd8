"""The engine every front end calls: `produce(kind, request)` makes a kind's files in memory
and says what the person should know, as structured notes. No disk, no option names, no
sentences only one front end can use: the CLI and batches write the files (runs/outputs.py),
the web sends them, and each words the notes itself.

Shape (pandoc's): one template per document -> Markdown -> one Document -> one writer per
format. Which documents a kind holds, and how their context is built, is declared in
kinds.py and contexts.py; the loaded places, templates and campaign are resources.py.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..content import nations
from ..content.campaign import Ask
from ..document import Document
from ..errors import OutputProblem
from ..localdata.model import Constituency, Council
from ..notes import Note
from . import finding
from .finding import Found
from .kinds import KINDS, Kind
from .requests import Area, Request
from .resources import Resources

# Formats a front end may ask for besides a kind's own: the HTML the PDF is set from (the
# web app's preview of a letter) and the email form of a letter (writers/text.py).
EXTRA_FORMATS = ("html", "email")


@dataclass(frozen=True)
class OutputFile:
    name: str  # where it goes under the output folder: "roundtable-aldershot/guide.pdf"
    format: str  # pdf, docx, txt, pptx, html, ics
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Made:
    """A kind's documents, rendered but not yet written, each with its file stem."""

    kind: Kind
    documents: tuple[tuple[Document, str], ...]
    folder: str  # a subfolder of the output folder, or ""
    notes: tuple[Note, ...] = ()
    files: tuple[tuple[str, bytes], ...] = ()  # other files it holds: (name, bytes), e.g. .ics


@dataclass(frozen=True)
class Product:
    """What `produce` made: the files and what to tell the person."""

    kind: str
    files: tuple[OutputFile, ...]
    notes: tuple[Note, ...]
    folder: str = ""
    seconds: dict[str, float] = field(default_factory=dict, compare=False)  # where time went

    def file(self, fmt: str) -> OutputFile:
        """The first file in `fmt` (a one-document kind has one per format)."""
        return next(f for f in self.files if f.format == fmt)


class Engine(Resources):
    """Loaded once per process (Engine.load) and shared by every document it makes."""

    def make(self, kind_id: str, request: Request) -> Made:
        """Render every part of a kind for one request (documents, not yet files)."""
        kind = KINDS[kind_id]
        context, charts, notes = kind.build(self, request)
        files: list[tuple[str, bytes]] = []
        if kind.attach is not None:
            files, more = kind.attach(self, request, context)
            notes = [*notes, *more]
        author = (request.member.name if request.member else
                  (request.event.host_name if request.event and request.event.host_name else
                   self.campaign.brand.organisation))
        dated = request.event.date if request.event and request.event.date else request.date
        documents = tuple(
            (self.render(part.template, context, part.style, author, dated, charts,
                         kind.deck, part.branded, part.max_pages),
             request.stem or kind.stem(request, part) if len(kind.parts) == 1
             else kind.stem(request, part))
            for part in kind.parts)
        return Made(kind, documents, kind.folder(request), tuple(notes), tuple(files))

    def produce(self, kind_id: str, request: Request,
                formats: Iterable[str] | None = None) -> Product:
        """Every format asked for (the kind's defaults when none) of every document of the
        kind, and its other files, in memory."""
        from ..writers import write

        kind = KINDS[kind_id]
        chosen = check_formats(kind, formats)
        started = time.perf_counter()
        made = self.make(kind_id, request)
        seconds = {"template": time.perf_counter() - started}
        prefix = f"{made.folder}/" if made.folder else ""
        files = []
        assets = self.assets
        for document, stem in made.documents:
            for fmt in chosen:
                started = time.perf_counter()
                files.append(OutputFile(f"{prefix}{stem}.{fmt}", fmt,
                                        write(fmt, document, assets)))
                seconds[fmt] = seconds.get(fmt, 0.0) + time.perf_counter() - started
        files += [OutputFile(f"{prefix}{name}", name.rsplit(".", 1)[-1], data)
                  for name, data in made.files]
        return Product(kind_id, tuple(files), made.notes, made.folder, seconds)

    def warm_up(self) -> None:
        """A letter in every format, so WeasyPrint, the fonts and the stylesheets are loaded
        before the first person asks (about a second, once per server worker)."""
        from .rules import member

        seat = self.places.constituency(self.places.seat_codes("England")[0])
        self.produce("letter", Request(dt.date.today(), seat=seat, member=member(
            "Sam Example", "1 School Lane", "headteacher", "A School", "A story.")),
            KINDS["letter"].formats)

    # -- for front ends that show choices and pages (the web app) -------------------------
    def find_seat(self, query: str) -> Found:
        """A seat, or the seats a query could be, with what a page needs to say why."""
        return finding.find_seat(self.places, query)

    def find_council(self, query: str) -> Found:
        return finding.find_council(self.places, query)

    def seat(self, code: str) -> Constituency:
        """A seat chosen from a list, by its code (NotFound for any other value)."""
        return finding.seat_by_code(self.places, code)

    def council(self, code: str) -> Council:
        return finding.council_by_code(self.places, code)

    def council_of_postcode(self, seat: Constituency, postcode: str) -> Council | None:
        """Which of a seat's councils a postcode is in (None: not known, or not one)."""
        return self.places.council_of_postcode(seat, postcode)

    def council_area(self, council: Council) -> Area:
        """What a deck of a whole council covers: the council and every seat in it."""
        return Area.of_council(self.places, council)

    def asks_in(self, nation: str) -> tuple[list[Ask], list[Ask]]:
        """(the campaign's asks that apply in a nation, those that do not)."""
        return nations.asks_in(list(self.campaign.asks), nation)

    def nation_terms(self, nation: str) -> dict[str, str]:
        """The nation's own words (needs, government, legislature, representative ...)."""
        return nations.terms(self.campaign, nation)

    def brand_css(self) -> str:
        """The stylesheet that puts the brand's colours and fonts on a document (the PDF
        writer's), for a page that shows a document as it will print."""
        from ..writers.pdf import brand_css

        return brand_css(self.campaign.brand)

    def file_names(self, kind_id: str, request: Request, formats: Iterable[str]) -> list[str]:
        """The names `produce` gives the kind's documents, without making them: a front end
        can refuse to overwrite before any work."""
        kind = KINDS[kind_id]
        prefix = f"{kind.folder(request)}/" if kind.folder(request) else ""
        stems = [request.stem or kind.stem(request, p) if len(kind.parts) == 1
                 else kind.stem(request, p) for p in kind.parts]
        return [f"{prefix}{stem}.{fmt}" for stem in stems for fmt in formats]


def check_formats(kind: Kind, formats: Iterable[str] | None) -> tuple[str, ...]:
    """The formats asked for, each once, in order; an unknown one is an error listing the
    kind's formats."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats or kind.default_formats
                                 if f.strip()))
    bad = [f for f in chosen if f not in kind.formats + EXTRA_FORMATS]
    if bad or not chosen:
        raise OutputProblem("unknown-format", field="format",
                            formats=", ".join(bad) or "(none)", allowed=", ".join(kind.formats))
    return chosen


def split_formats(text: str | None) -> list[str]:
    """'pdf, DOCX' -> ['pdf', 'docx'] (as typed in an option or a form)."""
    return [f.strip().lower() for f in (text or "").split(",") if f.strip()]
