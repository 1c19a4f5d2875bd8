"""Where the bundled templates and content are: beside the package in a checkout, or under
<prefix>/share/campaign-kit/ when installed from a wheel."""

from __future__ import annotations

import sys
from pathlib import Path

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
