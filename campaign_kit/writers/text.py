"""Plain UTF-8 text for pasting into an email: subject line first, wrapped at 72."""

from __future__ import annotations

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
