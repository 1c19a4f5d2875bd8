"""One writer per format: Document -> bytes. Nothing else in the package knows a format.

Writers are imported only when used, so the CLI starts fast (WeasyPrint alone takes ~0.3 s).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..document import Document

# format -> (module, function); adding a format is adding a module and a line here.
WRITERS: dict[str, tuple[str, str]] = {
    "pdf": ("campaign_kit.writers.pdf", "write_pdf"),
    "docx": ("campaign_kit.writers.docx", "write_docx"),
    "txt": ("campaign_kit.writers.text", "write_text"),
    "pptx": ("campaign_kit.writers.pptx", "write_pptx"),
}


def writer(fmt: str) -> Callable[..., bytes]:
    module, name = WRITERS[fmt]
    return getattr(importlib.import_module(module), name)


def write(fmt: str, document: Document, assets: Callable[[str], Path]) -> bytes:
    """Render `document` as `fmt`; `assets` finds style files (CSS, reference.docx) by name."""
    return writer(fmt)(document, assets)
