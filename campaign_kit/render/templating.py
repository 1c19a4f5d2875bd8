"""Templates: sandboxed Jinja2 producing Markdown, parsed once into the document model.

Every value a template prints is escaped for Markdown (backslash before ASCII punctuation,
newlines flattened), so member text prints exactly as typed and can never become a
heading, a link, an image or HTML. Only `Markup` from our own filters passes through.

What Markdown has no syntax for is a fenced block, `::: kind [arg]` up to a line `:::`
(pandoc's Div): sender, recipient, signature, subject, small, salutation, closing, lead,
dateline, pagebreak, writein N, chart NAME, image NAME, notes have a meaning; any other kind
is kept as a Div whose contents every writer renders. A member cannot forge a fence: their ':'
arrives escaped, and fences are read from the raw source, before escapes are resolved.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from jinja2.utils import missing
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin

from ..document import (
    AddressBlock,
    Block,
    Chart,
    Div,
    Heading,
    Image,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Slide,
    Span,
    Table,
    WriteIn,
    plain,
)
from ..errors import TemplateProblem
from ..paths import DEFAULT_TEMPLATES
from . import formatting, words
from .sandbox import BoundedEnvironment, FolderLoader, budget, inside

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&:~\"'=^$@%;])")


def md_escape(text: str) -> str:
    """Inline Markdown for literal text: specials escaped, line structure flattened."""
    flat = re.sub(r"\s+", " ", str(text))
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:  # a TemplateError, so the message gains the template's file and line
        raise TemplateRuntimeError("a template printed an empty value (None)")
    return Markup(md_escape(str(value)))


def paragraphs(text: str) -> Markup:
    """Member prose: blank lines keep paragraphs apart, each paragraph escaped."""
    parts = [md_escape(p) for p in re.split(r"\n\s*\n", str(text).replace("\r\n", "\n"))]
    return Markup("\n\n".join(p for p in parts if p))


def nobreak(text: str) -> Markup:
    """Keep a short phrase (a date in a narrow column) on one line: no-break spaces."""
    return Markup("\u00a0".join(md_escape(word) for word in str(text).split()))


def nearby(name: str, names: Iterable[Any]) -> str:
    """'; valid names nearby: a, b' for a mistyped name, or ''."""
    known = sorted({str(n) for n in names if not str(n).startswith("_")})
    close = difflib.get_close_matches(str(name), known, n=4, cutoff=0.5)
    return f"; valid names nearby: {', '.join(close)}" if close else ""


class HintingUndefined(StrictUndefined):
    """StrictUndefined whose error also names the valid names nearby (`member.nmae`: name)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        message = super()._undefined_message
        obj, name = self._undefined_obj, self._undefined_name
        if obj is missing or name is None or self._undefined_hint:
            return message
        if isinstance(obj, dict):
            names = list(obj.keys())
        elif is_dataclass(obj):
            names = [f.name for f in fields(obj)] + [
                n for n, v in vars(type(obj)).items() if isinstance(v, property)]
        else:
            names = [n for n in dir(obj) if not callable(getattr(obj, n, None))]
        return message + nearby(name, names)


def make_environment(template_dirs: list[Path]) -> BoundedEnvironment:
    """Jinja2's sandbox with a budget per render (see sandbox.py for the limits)."""
    env = BoundedEnvironment(
        loader=ChoiceLoader([FolderLoader(str(d)) for d in template_dirs]),
        autoescape=True,
        undefined=HintingUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        thousands=formatting.thousands, percent=formatting.percent, money=formatting.money,
        signed_percent=formatting.signed_percent, value=formatting.format_value,
        paragraphs=paragraphs, nobreak=nobreak,
    )
    env.filters.update(words.FILTERS)  # article, plural, join_list, possessive, party ...
    return env


@dataclass(frozen=True)
class Rendered:
    markdown: str
    exports: dict[str, Any]  # top-level {% set %} values: title, subject ...


class Templates:
    """Templates from the user's folder first, then the bundled ones, file by file."""

    def __init__(self, overrides: Path | list[Path] | None = None):
        """overrides: folders searched before the bundled templates, first wins (the user's
        --templates, then the campaign's own templates/)."""
        if isinstance(overrides, Path):
            overrides = [overrides]
        self.dirs = [d for d in overrides or [] if d] + [DEFAULT_TEMPLATES]
        self.env = make_environment(self.dirs)

    def find_file(self, name: str) -> Path:
        """A non-template asset (CSS, reference.docx), overridable like the templates."""
        for d in self.dirs:
            if (d / name).is_file():
                return inside(d, d / name, "template file")
        raise TemplateProblem(f"template file {name} not found in {', '.join(map(str, self.dirs))}")

    def render(self, name: str, context: dict[str, Any]) -> Rendered:
        try:
            with budget():
                module = self.env.get_template(name).make_module(context)
        except TemplateNotFound as exc:
            raise TemplateProblem(f"template {exc.name} not found") from None
        except TemplateSyntaxError as exc:
            raise TemplateProblem(f"{exc.filename or name}, line {exc.lineno}: {exc.message}") \
                from None
        except TemplateProblem:
            raise
        except RecursionError:
            raise TemplateProblem(f"{name}: templates include, extend or call each other "
                                  "without end (or nest too deeply)") from None
        except Exception:  # TemplateError, or a Python error in template code (1/0, int('x'))
            try:  # Jinja rewrites the traceback so its frames carry template file and line
                self.env.handle_exception()
            except TemplateError as exc:
                message = str(exc)
                top = re.fullmatch(r"'(\w+)' is undefined", message)
                if top:
                    message += nearby(top.group(1), list(context) + list(self.env.globals))
                raise TemplateProblem(f"{_where(exc, name)}: {message}") from None
            except Exception as exc:
                raise TemplateProblem(f"{_where(exc, name)}: {type(exc).__name__}: {exc}") \
                    from None
        exports = {k: v for k, v in vars(module).items() if not k.startswith("_")}
        return Rendered(str(module), exports)


def _where(exc: BaseException, name: str) -> str:
    """file:line of the innermost template frame in a Jinja traceback."""
    tb, where = exc.__traceback__, name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return where


# -- Markdown -> blocks -----------------------------------------------------------------------
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MD.enable("table")
# `::: kind arg` ... `:::` is a fenced block of any kind (nested ones use more colons).
container_plugin(_MD, "fence", validate=lambda params, *_: bool(params.strip()))
_CLOSING_FENCE = re.compile(r"^\s*:{3,}\s*$")

ROLE_KINDS = ("subject", "small", "salutation", "closing", "lead", "dateline")
LINE_KINDS = ("sender", "recipient", "signature", "writein")


def parse_markdown(text: str, charts: dict[str, Chart | Image] | None = None,
                   deck: bool = False, source: str = "template") -> tuple[Block, ...]:
    """Markdown (as our templates write it) to document blocks. `charts`: the charts and
    images a template places by id (`::: chart ID`, `::: image ID`).

    `deck`: the document kind is a deck, so each level-1 heading starts a slide and
    `::: notes` are its speaker notes. `source` names the template in errors.
    """
    tokens = _MD.parse(text)
    blocks = _Blocks(tokens, charts or {}, source, text.split("\n")).run()
    if deck:
        return tuple(_slides(blocks, source))
    notes = [b for b in blocks if isinstance(b, _Notes)]
    if notes:
        raise TemplateProblem(f"{source}: '::: notes' (speaker notes) belong in a deck, and "
                              "this document kind is not one")
    return tuple(blocks)


class _Blocks:
    def __init__(self, tokens, charts: dict[str, Chart | Image], source: str,
                 lines: list[str]):
        self.tokens, self.i, self.charts = tokens, 0, charts
        self.source, self.lines = source, lines

    def problem(self, message: str) -> TemplateProblem:
        return TemplateProblem(f"{self.source}: {message}")

    def run(self, until: str | None = None, as_lines: bool = False) -> list:
        """Blocks up to the token type `until` (a fence's close) or the end."""
        blocks: list = []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if tok.type == until:
                self.i += 1
                return blocks
            if tok.type == "heading_open":
                blocks.append(Heading(int(tok.tag[1]), _inline(self.tokens[self.i + 1])))
                self.i += 3
            elif tok.type == "paragraph_open":
                inline = self.tokens[self.i + 1]
                if inline.content.lstrip().startswith(":::"):
                    # raw source: member text arrives as "\:\:\:", never as ":::"
                    raise self.problem(f"a stray '{inline.content.splitlines()[0]}': a block "
                                       "opens with '::: kind' and closes with ':::'")
                blocks.append(_LinesOf(tuple(_lines(inline))) if as_lines
                              else Paragraph(_inline(inline)))
                self.i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self._list(tok.type.startswith("ordered")))
            elif tok.type == "table_open":
                blocks.append(self._table())
            elif tok.type == "hr":
                blocks.append(PageBreak())
                self.i += 1
            elif tok.type == "container_fence_open":
                blocks.extend(self._fence(tok))
            elif tok.type in ("code_block", "fence"):
                blocks.append(Paragraph((Span(tok.content.rstrip("\n")),)))
                self.i += 1
            elif tok.type == "blockquote_open":
                self.i += 1
                blocks.append(Div("quote", "", tuple(self.run("blockquote_close"))))
            else:
                raise self.problem(f"Markdown the writers cannot show ({tok.type})")
        if until:
            raise self.problem(f"a block is not closed ({until})")
        return blocks

    def _fence(self, tok) -> list:
        # the info string is raw source: a value a template printed there arrives escaped
        words = re.sub(r"\\(.)", r"\1", tok.info).split()
        kind, arg = words[0], " ".join(words[1:])
        start, end = tok.map
        if end >= len(self.lines) or not _CLOSING_FENCE.match(self.lines[end]):
            raise self.problem(f"'::: {tok.info.strip()}' is never closed: end it with a "
                               "line ':::'")
        self.i += 1
        inner = self.run("container_fence_close", as_lines=kind in LINE_KINDS)
        if kind in ROLE_KINDS:  # paragraphs in a role: the role rides on each paragraph
            return [Paragraph(b.spans, kind) if isinstance(b, Paragraph) else b for b in inner]
        return [self._meaning(kind, arg, inner)]

    def _meaning(self, kind: str, arg: str, inner: list) -> Block:
        """The block a fence's kind stands for; kinds without a meaning stay a Div."""
        if kind in LINE_KINDS:
            lines = [line for b in inner if isinstance(b, _LinesOf) for line in b.lines]
            others = [b for b in inner if not isinstance(b, _LinesOf)]
            if others:
                raise self.problem(f"'::: {kind}' holds only lines of text, not "
                                   f"{type(others[0]).__name__}")
            if kind in ("sender", "recipient"):
                return AddressBlock(tuple(lines), kind)
            if kind == "signature":
                if not lines:
                    raise self.problem("'::: signature' is empty")
                return Signature(lines[0], tuple(lines[1:]))
            if not arg.isdigit() or not 1 <= int(arg) <= 40:
                raise self.problem(f"'::: writein {arg}' needs a number of lines, 1 to 40")
            return WriteIn(_join(lines), int(arg))
        if kind == "pagebreak":
            self._empty(kind, inner)
            return PageBreak()
        if kind in ("chart", "image"):  # drawn from the data: the context builder's
            self._empty(kind, inner)
            wanted = Chart if kind == "chart" else Image
            known = [k for k, v in self.charts.items() if isinstance(v, wanted)]
            if arg not in known:
                raise self.problem(f"{kind} '{arg}' is not one of: "
                                   f"{', '.join(known) or f'(no {kind}s)'}")
            return self.charts[arg]
        if kind == "notes":
            try:
                texts = [_block_text(b) for b in inner]
            except TemplateProblem as exc:
                raise self.problem(str(exc)) from None
            return _Notes("\n\n".join(t for t in texts if t))
        return Div(kind, arg, tuple(inner))

    def _empty(self, kind: str, inner: list) -> None:
        if inner:
            raise self.problem(f"'::: {kind}' takes no contents")

    def _list(self, ordered: bool) -> ListBlock:
        depth, items = 0, []
        while True:
            tok = self.tokens[self.i]
            if tok.type.endswith("list_open"):
                depth += 1
            elif tok.type.endswith("list_close"):
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return ListBlock(tuple(items), ordered)
            elif tok.type == "inline" and depth == 1:
                items.append(_inline(tok))
            elif tok.type == "inline":  # nested list item: keep it, indented in text
                items.append((Span("    "),) + _inline(tok))
            self.i += 1

    def _table(self) -> Table:
        header, rows, row, in_head = [], [], [], False
        while True:
            tok = self.tokens[self.i]
            self.i += 1
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "inline":
                row.append(_inline(tok))
            elif tok.type == "tr_close":
                (header.extend if in_head else lambda r: rows.append(tuple(r)))(row)
                row = []
            elif tok.type == "table_close":
                # a form: rows to fill in by hand, all alike, with empty cells (a tick box
                # such as "☐ Yes" may repeat in every row)
                form = rows and all(r == rows[0] for r in rows) and any(
                    not c for c in rows[0]) and (len(rows) > 1 or not any(rows[0]))
                return Table(tuple(header), tuple(rows), "form" if form else "")


@dataclass(frozen=True)
class _Notes:
    text: str


@dataclass(frozen=True)
class _LinesOf:
    """A paragraph inside a line-based block (address, signature), kept line by line."""

    lines: tuple[Inline, ...]


def _block_text(block) -> str:
    if isinstance(block, _Notes):
        raise TemplateProblem("a '::: notes' opens inside another one: is a closing ':::' "
                              "missing, or on the end of a line of text?")
    if isinstance(block, Paragraph | Heading):
        return plain(block.spans)
    if isinstance(block, ListBlock):
        return "\n".join(plain(i) for i in block.items)
    if isinstance(block, Div):
        return "\n\n".join(_block_text(b) for b in block.blocks)
    raise TemplateProblem(f"speaker notes hold text only, not a {type(block).__name__}")


def _slides(blocks: list, source: str) -> list[Block]:
    """A deck: each level-1 heading starts a slide; notes go with the slide they follow."""
    slides, current, notes = [], None, []
    for b in blocks + [None]:
        if b is None or (isinstance(b, Heading) and b.level == 1):
            if current is not None:
                title, body = current
                layout = "title" if not slides else "content"
                slides.append(Slide(title, tuple(body), "\n\n".join(notes), layout))
            if b is not None:
                current, notes = (b.spans, []), []
        elif current is None:
            raise TemplateProblem(f"{source}: a deck starts with a level-1 heading (the first "
                                  f"slide's title); found a {type(b).__name__.lstrip('_')} "
                                  "before it")
        elif isinstance(b, _Notes):
            notes.append(b.text)
        else:
            current[1].append(b)
    return slides


def _inline(tok) -> Inline:
    spans, bold, italic, link = [], 0, 0, None
    for child in tok.children or []:
        t = child.type
        if t in ("text", "text_special", "code_inline"):
            spans.append(Span(child.content, bool(bold), bool(italic), link))
        elif t == "softbreak":
            spans.append(Span(" ", bool(bold), bool(italic), link))
        elif t == "hardbreak":
            spans.append(Span("\n", bool(bold), bool(italic), link))
        elif t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            link = child.attrs.get("href")
        elif t == "link_close":
            link = None
        elif t == "image":  # templates do not use images; never fetch one
            spans.append(Span(child.content or "", bool(bold), bool(italic), link))
    return _merge(spans)


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
    for s in spans:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (
                s.bold, s.italic, s.link):
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic, s.link)
        elif s.text:
            merged.append(s)
    return tuple(merged)


def _lines(tok) -> list[Inline]:
    """A paragraph's inline content split at its line breaks."""
    lines, current = [], []
    for child in tok.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append(current)
            current = []
        else:
            current.append(child)
    lines.append(current)
    out = []
    for children in lines:
        fake = type("T", (), {"children": children})()
        out.append(_inline(fake))
    return out


def _join(lines: list[Inline]) -> Inline:
    spans: list[Span] = []
    for n, line in enumerate(lines):
        if n:
            spans.append(Span(" "))
        spans.extend(line)
    return _merge(spans)
