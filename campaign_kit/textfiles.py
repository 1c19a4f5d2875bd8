"""Reading a text file a person edits (content YAML, a template): bounded in size and UTF-8,
every failure one line naming the file (and the line, for a bad byte)."""

from __future__ import annotations

from pathlib import Path

from .errors import TemplateProblem


def read_text(path: Path, what: str, limit: int) -> str:
    """The file's text (a BOM dropped); TemplateProblem when it cannot be read, is over
    `limit` bytes (the wrong file, most likely) or is not UTF-8."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise TemplateProblem(f"cannot read the {what} {path}: {exc.strerror or exc}") from None
    if len(raw) > limit:
        size = f"{limit // 1024 // 1024} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
        raise TemplateProblem(f"the {what} {path} is over {size}; is it the right file?")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise TemplateProblem(f"{path}, line {line}: not UTF-8 text (a binary file?); save "
                              f"the {what} as UTF-8") from None
