"""Plain UTF-8 text. Two forms of one document:

- the printed form (`txt`): subject line first, every block, wrapped at 72 characters, as a
  text download of the letter reads;
- the email form (`email`): what goes in the body of an email, as a phone shows it: from the
  greeting to the sign-off, no subject line (the email has its own), no postal address
  blocks or date line, each paragraph on one line (a phone wraps it to its own width), and
  the sources as one short last line.
"""

from __future__ import annotations

import re
import textwrap

from ..document import (
    AddressBlock,
    Chart,
    Div,
    Document,
    Heading,
    Image,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Slide,
    Table,
    WriteIn,
    plain,
)

WIDTH = 72


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return "\n".join(
        textwrap.fill(part, WIDTH, initial_indent=first if first is not None else indent,
                      subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)
        for part in text.split("\n"))


def render_text(document: Document) -> str:
    subject = next((plain(b.spans) for b in document.blocks
                    if isinstance(b, Paragraph) and b.role == "subject"), document.meta.title)
    out = [f"Subject: {subject}", ""]
    for block in document.blocks:
        out.extend(_block(block))
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _block(block) -> list[str]:
    if isinstance(block, Heading):
        title = plain(block.spans)
        return [title, ("=" if block.level == 1 else "-") * len(title), ""]
    if isinstance(block, Paragraph):
        if block.role == "subject":
            return []  # already the subject line
        return [_wrap(plain(block.spans)), ""]
    if isinstance(block, ListBlock):
        lines = []
        for n, item in enumerate(block.items, 1):
            marker = f"{n}. " if block.ordered else "- "
            lines.append(_wrap(plain(item), " " * len(marker), marker))
        return lines + [""]
    if isinstance(block, Table):
        rows = [block.header] + list(block.rows)
        return [" | ".join(plain(c) for c in row) for row in rows] + [""]
    if isinstance(block, AddressBlock):
        return [plain(line) for line in block.lines] + [""]
    if isinstance(block, Signature):
        return [plain(block.closing), ""] + [plain(line) for line in block.lines] + [""]
    if isinstance(block, WriteIn):
        return [plain(block.label)] + ["_" * 60] * block.lines + [""]
    if isinstance(block, Chart):
        return [block.alt, ""]
    if isinstance(block, Image):  # what the picture shows, and whose it is
        credit = f" {block.credit}" if block.credit else ""
        return [_wrap(f"[Picture: {block.alt}]{credit}"), ""]
    if isinstance(block, Slide):
        lines = _block(Heading(1, block.title))
        for b in block.blocks:
            lines.extend(_block(b))
        if block.notes:
            lines.extend([_wrap("Speaker notes: " + block.notes), ""])
        return lines
    if isinstance(block, PageBreak):
        return []
    if isinstance(block, Div):  # a kind without a meaning in text: its contents
        return [line for b in block.blocks for line in _block(b)]
    raise TypeError(f"text writer cannot write {type(block).__name__}")


def write_text(document: Document, assets=None) -> bytes:
    return render_text(document).encode("utf-8")


# Publishers as a one-line sources note names them (the full names are in the printed form).
SHORT_PUBLISHERS = {"Department for Education": "DfE", "Ministry of Justice": "MoJ",
                    "Office for National Statistics": "ONS",
                    "Education and Skills Funding Agency": "ESFA", "UK Parliament": "Parliament"}
LICENCE = re.compile(r"\s*Contains public sector information licensed under the Open "
                     r"Government Licence v3\.0\.?\s*$")


def render_email(document: Document) -> str:
    """The email form (see the module docstring)."""
    out: list[str] = []
    sources = ""
    for block in document.blocks:
        if isinstance(block, Paragraph) and block.role == "small" and \
                plain(block.spans).startswith("Sources:"):
            sources = short_sources(plain(block.spans))
            continue
        out.extend(_email_block(block))
    if sources:
        out += [sources, ""]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def short_sources(text: str) -> str:
    """'Sources: Department for Education, ..., January 2025. Contains public sector
    information licensed under the Open Government Licence v3.0.' as one short line:
    publishers by their initials and the licence by its short name."""
    licensed = LICENCE.search(text) is not None
    text = LICENCE.sub("", text).rstrip(". ")
    for name, short in SHORT_PUBLISHERS.items():
        text = text.replace(name, short)
    return f"{text} (Open Government Licence v3.0)." if licensed else f"{text}."


def _email_block(block) -> list[str]:
    if isinstance(block, AddressBlock | PageBreak | Chart | Image):
        return []
    if isinstance(block, Paragraph):
        if block.role in ("subject", "dateline"):
            return []
        return [" ".join(plain(block.spans).split()), ""]
    if isinstance(block, ListBlock):
        return [(f"{n}. " if block.ordered else "- ") + " ".join(plain(item).split())
                for n, item in enumerate(block.items, 1)] + [""]
    if isinstance(block, Signature):
        return [plain(block.closing)] + [plain(line) for line in block.lines] + [""]
    if isinstance(block, WriteIn):
        return [f"[{plain(block.label)}]", ""]
    if isinstance(block, Heading):
        return [plain(block.spans), ""]
    if isinstance(block, Div):
        return [line for b in block.blocks for line in _email_block(b)]
    return _block(block)


def write_email(document: Document, assets=None) -> bytes:
    return render_email(document).encode("utf-8")
