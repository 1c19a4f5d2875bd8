"""One writer per format: Document -> bytes. Nothing else in the package knows a format.

Writers are imported only when used, so the CLI starts fast (WeasyPrint alone takes ~0.3 s).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import Document, over_limits
from ..errors import TemplateProblem

if TYPE_CHECKING:
    from ..content.brand import Brand


@dataclass(frozen=True)
class Assets:
    """What a writer may use besides the document: style files by name (CSS, reference.docx,
    reference.pptx; overridable like templates) and the organisation's brand."""

    file: Callable[[str], Path]
    brand: Brand

# format -> (module, function); adding a format is adding a module and a line here.
WRITERS: dict[str, tuple[str, str]] = {
    "pdf": ("campaign_kit.writers.pdf", "write_pdf"),
    "docx": ("campaign_kit.writers.docx", "write_docx"),
    "txt": ("campaign_kit.writers.text", "write_text"),
    "email": ("campaign_kit.writers.text", "write_email"),
    "pptx": ("campaign_kit.writers.pptx", "write_pptx"),
    "html": ("campaign_kit.writers.html", "write_html"),
}


def writer(fmt: str) -> Callable[..., bytes]:
    module, name = WRITERS[fmt]
    return getattr(importlib.import_module(module), name)


def write(fmt: str, document: Document, assets: Assets) -> bytes:
    """Render `document` as `fmt` with the style files and brand in `assets`; a document
    over document.LIMITS is refused first (a template can make one; no person needs it)."""
    over = over_limits(document)
    if over:
        raise TemplateProblem(f"{document.meta.template or document.meta.title}: the "
                              f"document has {over}; no writer takes that much")
    return writer(fmt)(document, assets)
