"""The organisation's look, from one file (brand.yaml): name and contact, colours, fonts, logo.

It reaches every format: the PDF stylesheet, DOCX styles and letterhead, the PPTX theme and
master, and chart colours. Colours are checked for contrast against the background when the
file is read (WCAG 2.2: 4.5:1 for text, 3:1 for chart marks), so an unreadable brand is
refused with one line saying which colour and why, never printed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
TEXT_CONTRAST = 4.5  # WCAG 2.2 SC 1.4.3, normal text
GRAPHIC_CONTRAST = 3.0  # WCAG 2.2 SC 1.4.11, chart bars and lines
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
LOGO_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Brand:
    organisation: str  # as printed: "NAHT"
    full_name: str
    email: str
    phone: str
    website: str
    text: str  # body text colour
    background: str
    primary: str  # headings, rules, slide titles
    accent: str  # links, highlights
    muted: str  # small print
    chart: tuple[str, ...]  # series colours, in order
    body_font: str
    heading_font: str
    logo: bytes | None = None
    logo_type: str = ""  # image/png or image/jpeg
    logo_alt: str = ""
    source: str = ""

    @property
    def contact(self) -> str:
        """One line for letterheads and the invitation: who to reply to."""
        return " · ".join(x for x in (self.website, self.email, self.phone) if x)

    def logo_data_url(self) -> str:
        import base64

        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode()}"


def _luminance(colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def load_brand(path: Path) -> Brand:
    """Read and check brand.yaml; a logo path is relative to the file."""
    from .safeyaml import read_yaml

    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise TemplateProblem(f"{path}: should be a mapping (organisation:, colours:, ...)")
    org = _section(raw, "organisation", path)
    colours = _section(raw, "colours", path)
    fonts = raw.get("fonts") or {}
    name = _text(org, "name", path, "organisation.name")
    values = {}
    for key in ("text", "background", "primary", "accent", "muted"):
        value = colours.get(key)
        if not isinstance(value, str) or not HEX.match(value):
            raise TemplateProblem(f"{path}: colours.{key} should be a colour like #1b4f72")
        values[key] = value.lower()
    chart = colours.get("chart")
    if not isinstance(chart, list) or len(chart) < 2 or not all(
            isinstance(c, str) and HEX.match(c) for c in chart):
        raise TemplateProblem(f"{path}: colours.chart should list two or more colours like "
                              "#1b4f72, one per chart series")
    background = values["background"]
    for key in ("text", "primary", "accent", "muted"):
        ratio = contrast(values[key], background)
        if ratio < TEXT_CONTRAST:
            raise TemplateProblem(
                f"{path}: colours.{key} {values[key]} on the background {background} has a "
                f"contrast of {ratio:.1f}:1; text needs at least {TEXT_CONTRAST}:1 (WCAG 2.2)")
    for n, colour in enumerate(chart, 1):
        ratio = contrast(colour.lower(), background)
        if ratio < GRAPHIC_CONTRAST:
            raise TemplateProblem(
                f"{path}: chart colour {n} {colour} on {background} has a contrast of "
                f"{ratio:.1f}:1; chart marks need at least {GRAPHIC_CONTRAST}:1 (WCAG 2.2)")
    logo, logo_type = None, ""
    if raw.get("logo"):
        logo, logo_type = _read_logo(path.parent / str(raw["logo"]), path)
    return Brand(
        organisation=name, full_name=str(org.get("full_name") or name),
        email=str(org.get("email") or ""), phone=str(org.get("phone") or ""),
        website=str(org.get("website") or ""),
        chart=tuple(c.lower() for c in chart),
        body_font=str(fonts.get("body") or "Carlito"),
        heading_font=str(fonts.get("headings") or fonts.get("body") or "Carlito"),
        logo=logo, logo_type=logo_type,
        logo_alt=str(raw.get("logo_alt") or f"{name} logo"), source=str(path), **values)


def _section(raw: dict, key: str, path: Path) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise TemplateProblem(f"{path}: '{key}:' is missing or not a mapping")
    return value


def _text(section: dict, key: str, path: Path, dotted: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TemplateProblem(f"{path}: {dotted} is missing or not text")
    return " ".join(value.split())


def _read_logo(logo: Path, brand_file: Path) -> tuple[bytes, str]:
    """The logo's bytes, refused unless it is a readable PNG or JPEG of a sensible size."""
    from PIL import Image, UnidentifiedImageError

    try:
        if not logo.resolve().is_relative_to(brand_file.parent.resolve()):
            raise TemplateProblem(f"{brand_file}: the logo {logo.name} must be in the same "
                                  "folder as brand.yaml")
        data = logo.read_bytes()
    except OSError as exc:
        raise TemplateProblem(f"{brand_file}: cannot read the logo {logo.name}: "
                              f"{exc.strerror or exc}") from None
    if len(data) > LOGO_MAX_BYTES:
        raise TemplateProblem(f"{brand_file}: the logo {logo.name} is {len(data):,} bytes; "
                              f"keep it under {LOGO_MAX_BYTES:,}")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise TemplateProblem(f"{brand_file}: the logo {logo.name} cannot be read as an "
                              "image; use a PNG or JPEG file") from None
    if kind not in LOGO_TYPES:
        raise TemplateProblem(f"{brand_file}: the logo {logo.name} is {kind}; use a PNG or "
                              "JPEG file (Word and PowerPoint take both)")
    if min(size) < 16 or max(size) > 4000:
        raise TemplateProblem(f"{brand_file}: the logo {logo.name} is {size[0]} x {size[1]} "
                              "pixels; use one between 16 and 4,000 pixels a side")
    return data, LOGO_TYPES[kind]
