"""The brand's fonts, served by the app itself so the page and the letter preview look as
the print does without asking any other site for a font.

The files are the ones this machine's fontconfig knows (Debian's fonts-crosextra-carlito
for Carlito); a family that is not installed is left to the browser's own fallbacks.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..content.brand import brand_value

MEDIA = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
STYLES = {"regular": ("normal", "normal"), "bold": ("bold", "normal"),
          "italic": ("normal", "italic"), "bold italic": ("bold", "italic")}


@dataclass(frozen=True)
class Faces:
    css: str  # @font-face rules pointing at /fonts/N
    files: tuple[tuple[Path, str], ...]  # N -> (file, media type)


def font_faces(families: tuple[str, ...]) -> Faces:
    rules, files = [], []
    tool = shutil.which("fc-list")
    for family in dict.fromkeys(families):
        try:
            quoted = brand_value("font", family)  # the one quoting function for brand values
        except ValueError:
            continue
        if tool is None:
            continue
        try:
            listing = subprocess.run([tool, f":family={family}", "file", "style"],
                                     capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        seen = set()
        for line in sorted(listing.splitlines()):
            path_text, _, style_text = line.partition(": :style=")
            path = Path(path_text.rstrip(":"))
            style = style_text.split(",")[0].strip().lower()
            if style not in STYLES or style in seen or path.suffix.lower() not in MEDIA:
                continue
            seen.add(style)
            weight, slant = STYLES[style]
            rules.append(f'@font-face {{ font-family: {quoted}; font-weight: {weight}; '
                         f"font-style: {slant}; font-display: swap; "
                         f"src: url(/fonts/{len(files)}); }}")
            files.append((path, MEDIA[path.suffix.lower()]))
    return Faces("\n".join(rules) + "\n", tuple(files))
