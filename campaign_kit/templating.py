"""Templates: sandboxed Jinja2 producing Markdown, parsed once into the document model.

Every value a template prints is escaped for Markdown (backslash before ASCII punctuation,
newlines flattened), so member text prints exactly as typed and can never become a
heading, a link, an image or HTML. Only `Markup` from our own filters passes through.

Block extensions ride on plain paragraphs whose first line is `::: kind [arg]`:
sender, recipient, signature, subject, small, salutation, closing, pagebreak, writein N,
chart NAME, notes. A member cannot forge one: their ':' arrives escaped, and the marker
is read from the raw source, before escapes are resolved.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import formatting
from .document import (
    AddressBlock,
    Block,
    Chart,
    Heading,
    Inline,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Slide,
    Span,
    Table,
    WriteIn,
)
from .errors import TemplateProblem

ROOT = Path(__file__).resolve().parent.parent
INSTALLED = Path(sys.prefix) / "share" / "campaign-kit"  # where a wheel puts them


def _bundled(name: str) -> Path:
    """templates/ or content/: beside the package in a checkout, else as installed."""
    for base in (ROOT, INSTALLED):
        if (base / name).is_dir():
            return base / name
    return ROOT / name


DEFAULT_TEMPLATES = _bundled("templates")
DEFAULT_CONTENT = _bundled("content")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&:~\"'=^$@%;])")


def md_escape(text: str) -> str:
    """Inline Markdown for literal text: specials escaped, line structure flattened."""
    flat = re.sub(r"\s+", " ", str(text))
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        raise TemplateProblem("a template printed an empty value (None)")
    return Markup(md_escape(str(value)))


def paragraphs(text: str) -> Markup:
    """Member prose: blank lines keep paragraphs apart, each paragraph escaped."""
    parts = [md_escape(p) for p in re.split(r"\n\s*\n", str(text).replace("\r\n", "\n"))]
    return Markup("\n\n".join(p for p in parts if p))


def article(noun: str) -> str:
    """'headteacher' -> 'a headteacher'; 'SENCO' / 'assistant head' -> 'an ...'."""
    text = str(noun).strip()
    if not text:
        return text
    vowel_sound = text[0].lower() in "aeio" or (text[:1] == "u" and not text.startswith("uni"))
    acronym_vowel = text.split()[0].isupper() and text[0] in "AEFHILMNORSX"
    return f"{'an' if vowel_sound or acronym_vowel else 'a'} {text}"


def capfirst(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def make_environment(template_dirs: list[Path]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        thousands=formatting.thousands, percent=formatting.percent, money=formatting.money,
        signed_percent=formatting.signed_percent, value=formatting.format_value,
        paragraphs=paragraphs, article=article, capfirst=capfirst,
    )
    return env


@dataclass(frozen=True)
class Rendered:
    markdown: str
    exports: dict[str, Any]  # top-level {% set %} values: title, subject ...


class Templates:
    """Templates from the user's folder first, then the bundled ones, file by file."""

    def __init__(self, override: Path | None = None):
        dirs = [override] if override else []
        self.dirs = dirs + [DEFAULT_TEMPLATES]
        self.env = make_environment(self.dirs)

    def find_file(self, name: str) -> Path:
        """A non-template asset (CSS, reference.docx), overridable like the templates."""
        for d in self.dirs:
            if (d / name).is_file():
                return d / name
        raise TemplateProblem(f"template file {name} not found in {', '.join(map(str, self.dirs))}")

    def render(self, name: str, context: dict[str, Any]) -> Rendered:
        try:
            module = self.env.get_template(name).make_module(context)
        except TemplateNotFound as exc:
            raise TemplateProblem(f"template {exc.name} not found") from None
        except TemplateSyntaxError as exc:
            raise TemplateProblem(f"{exc.filename or name}, line {exc.lineno}: {exc.message}") \
                from None
        except TemplateError:
            try:  # Jinja rewrites the traceback so its frames carry template file and line
                self.env.handle_exception()
            except TemplateError as exc:
                raise TemplateProblem(f"{_where(exc, name)}: {exc}") from None
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


def parse_markdown(text: str, charts: dict[str, Chart] | None = None) -> tuple[Block, ...]:
    """Markdown (as our templates write it) to document blocks."""
    tokens = _MD.parse(text)
    return tuple(_Blocks(tokens, charts or {}).run())


class _Blocks:
    def __init__(self, tokens, charts: dict[str, Chart]):
        self.tokens, self.i, self.charts = tokens, 0, charts

    def run(self):
        blocks: list[Block] = []
        while self.i < len(self.tokens):
            tok = self.tokens[self.i]
            if tok.type == "heading_open":
                blocks.append(Heading(int(tok.tag[1]), _inline(self.tokens[self.i + 1])))
                self.i += 3
            elif tok.type == "paragraph_open":
                blocks.append(self._paragraph(self.tokens[self.i + 1]))
                self.i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                blocks.append(self._list(tok.type.startswith("ordered")))
            elif tok.type == "table_open":
                blocks.append(self._table())
            elif tok.type == "hr":
                blocks.append(PageBreak())
                self.i += 1
            else:
                self.i += 1
        return _slides(blocks)

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
                blank = rows and all(not c for r in rows for c in r)
                return Table(tuple(header), tuple(rows), "form" if blank else "")

    def _paragraph(self, inline_tok) -> Block:
        # the raw source decides: member text arrives as "\:\:\:", never as ":::"
        if not inline_tok.content.startswith(":::"):
            return Paragraph(_inline(inline_tok))
        lines = _lines(inline_tok)
        words = _plain(lines[0]).split()[1:]
        kind, arg = (words[0] if words else ""), " ".join(words[1:])
        body = [ln for ln in lines[1:] if _plain(ln).strip() != ":::"]
        if kind in ("sender", "recipient"):
            return AddressBlock(tuple(body), kind)
        if kind == "signature":
            return Signature(body[0] if body else (), tuple(body[1:]))
        if kind == "pagebreak":
            return PageBreak()
        if kind == "writein":
            return WriteIn(body[0] if body else (), int(arg or 4))
        if kind == "chart":
            if arg not in self.charts:
                raise TemplateProblem(f"chart '{arg}' is not one of: {', '.join(self.charts)}")
            return self.charts[arg]
        if kind == "notes":
            return _Notes(" ".join(_plain(ln) for ln in body))
        if kind in ("subject", "small", "salutation", "closing", "lead", "dateline"):
            return Paragraph(_join(body), kind)
        raise TemplateProblem(f"unknown block '::: {kind}'")


@dataclass(frozen=True)
class _Notes:
    text: str


def _slides(blocks: list) -> list[Block]:
    """A document with `::: notes` is a deck: each level-1 heading starts a slide."""
    if not any(isinstance(b, _Notes) for b in blocks):
        return blocks
    slides, current, notes = [], None, ""
    for b in blocks + [None]:
        if b is None or (isinstance(b, Heading) and b.level == 1):
            if current is not None:
                title, body = current
                layout = "title" if not slides else "content"
                slides.append(Slide(title, tuple(body), notes, layout))
            if b is not None:
                current, notes = (b.spans, []), ""
        elif isinstance(b, _Notes):
            notes = (notes + " " + b.text).strip()
        elif current is not None:
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


def _plain(spans: Inline) -> str:
    return "".join(s.text for s in spans)


def _join(lines: list[Inline]) -> Inline:
    spans: list[Span] = []
    for n, line in enumerate(lines):
        if n:
            spans.append(Span(" "))
        spans.extend(line)
    return _merge(spans)
