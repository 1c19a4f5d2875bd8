"""The organisation's look, from one file (brand.yaml): name and contact, colours, fonts, logo.

It reaches every format: the PDF stylesheet, DOCX styles and letterhead, the PPTX theme and
master, and chart colours. A campaign's own brand.yaml gives only what differs from the
union's (content/brand.yaml) and always wins over it; the organisation's details and a logo
with its text each come whole from one file. Every value is checked against schema.py's
grammar when read (a colour is #rrggbb, a font name letters, digits, spaces and hyphens),
and colours for contrast against the background (WCAG 2.2: 4.5:1 for text, 3:1 for chart
marks), each problem at its file and line. Values are data: they reach a stylesheet or a
theme only through brand_value, never formatted into CSS by a writer.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem

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
    source: str = ""  # the file that gave it (the campaign's own, when it has one)
    files: tuple[str, ...] = ()  # every brand file used, the one that wins first

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


def read_brand(own: Path | None, union: Path | None) -> tuple[Brand | None, list]:
    """The brand a campaign uses and every problem with it: the campaign's own brand.yaml
    over the union's (a campaign's file may give only what differs; it always wins over a
    folder-level one). Every value is checked against schema.py's grammar (colours, font
    names) and for contrast, each problem at its file and line."""
    from .safeyaml import read_content
    from .schema import EVERYTHING, MISSING, Problem, validate

    problems: list[Problem] = []
    raws: list[tuple[Path, Any]] = []
    for path, inherited in ((union, MISSING), (own, EVERYTHING)):
        if path is None:
            continue
        try:
            raw = read_content(path)
        except TemplateProblem as exc:
            problems.append(Problem(exc.file or str(path), exc.line, exc.reason))
            continue
        base = raws[0][1] if raws and path == own else inherited
        if path == own and union is None:
            base = MISSING  # a campaign's brand with no union's to inherit from gives all
        problems += validate("brand.yaml", raw, str(path), {},
                             path.read_text(encoding="utf-8-sig"), base)
        raws.append((path, raw))
    if union is None and own is None:
        problems.append(Problem("brand.yaml", None, "missing: put the union's brand.yaml in "
                                "the content folder (or one in the campaign's folder)"))
    if any(not p.warning for p in problems):
        return None, problems
    brand = _brand(raws, problems)
    return (brand if not any(not p.warning for p in problems) else None), problems


def _given(raws: list[tuple[Path, Any]], section: str, key: str) -> tuple[Path, Any, int | None]:
    """Which file gives section.key (the campaign's own first), its value and line."""
    for path, raw in reversed(raws):
        part = raw.get(section) if section else raw
        if isinstance(part, dict) and key in part:
            return path, part[key], getattr(part, "lines", {}).get(key)
    return raws[-1][0], None, None


def _brand(raws: list[tuple[Path, Any]], problems: list) -> Brand:
    from .schema import Problem

    # the organisation is one whole (a campaign naming another organisation must not borrow
    # the union's phone number), and so are a logo and its text; colours and fonts merge
    organisation = [next((pr for pr in reversed(raws) if "organisation" in pr[1]), raws[-1])]
    logo_from = [next((pr for pr in reversed(raws) if "logo" in pr[1]), raws[-1])]

    def get(section: str, key: str, default: Any = None) -> Any:
        within = organisation if section == "organisation" else \
            logo_from if key in ("logo", "logo_alt") else raws
        value = _given(within, section, key)[1]
        return default if value is None else value

    values = {k: get("colours", k).lower() for k in ("text", "background", "primary",
                                                     "accent", "muted")}
    chart = tuple(c.lower() for c in get("colours", "chart"))
    background = values["background"]
    for key in ("text", "primary", "accent", "muted"):
        ratio = contrast(values[key], background)
        if ratio < TEXT_CONTRAST:
            path, _, line = _given(raws, "colours", key)
            problems.append(Problem(str(path), line, f"colours.{key} {values[key]} on the "
                                    f"background {background} has a contrast of {ratio:.1f}:1; "
                                    f"text needs at least {TEXT_CONTRAST}:1 (WCAG 2.2)"))
    for n, colour in enumerate(chart, 1):
        ratio = contrast(colour, background)
        if ratio < GRAPHIC_CONTRAST:
            path, _, line = _given(raws, "colours", "chart")
            problems.append(Problem(str(path), line, f"chart colour {n} {colour} on "
                                    f"{background} has a contrast of {ratio:.1f}:1; chart "
                                    f"marks need at least {GRAPHIC_CONTRAST}:1 (WCAG 2.2)"))
    logo, logo_type = None, ""
    logo_file, logo_name, logo_line = _given(logo_from, "", "logo")
    if logo_name:
        try:
            logo, logo_type = _read_logo(logo_file.parent / str(logo_name), logo_file)
        except TemplateProblem as exc:
            problems.append(Problem(str(logo_file), logo_line, exc.reason))
    name = " ".join(get("organisation", "name").split())
    body = get("fonts", "body", "Carlito")
    return Brand(
        organisation=name, full_name=str(get("organisation", "full_name", name)),
        email=str(get("organisation", "email", "")), phone=str(get("organisation", "phone", "")),
        website=str(get("organisation", "website", "")), chart=chart,
        body_font=body, heading_font=get("fonts", "headings", body),
        logo=logo, logo_type=logo_type, logo_alt=str(get("", "logo_alt", f"{name} logo")),
        source=str(raws[-1][0]), files=tuple(str(p) for p, _ in reversed(raws)), **values)


def load_brand(path: Path) -> Brand:
    """One brand.yaml on its own (the union's), or TemplateProblem with the first problem."""
    brand, problems = read_brand(None, path)
    if brand is None:
        first = next(p for p in problems if not p.warning)
        raise TemplateProblem(first.message, file=first.file, line=first.line)
    return brand


# -- brand values written into stylesheets and themes --------------------------------------------
CSS_FALLBACKS = ("Carlito", "Liberation Sans", "DejaVu Sans")


def brand_value(kind: str, value: str) -> str:
    """The one way a brand value reaches a stylesheet or a theme: checked against its grammar
    again (schema.py's, which the loader applied) and written as a CSS token: a colour as
    #rrggbb, a font name in double quotes. Anything else is refused (ValueError), never
    escaped into something that might still parse as CSS."""
    from .schema import COLOUR_PATTERN, FONT_PATTERN

    pattern = {"colour": COLOUR_PATTERN, "font": FONT_PATTERN}[kind]
    if not isinstance(value, str) or not re.match(pattern, value):
        raise ValueError(f"not a brand {kind}: {value!r}")
    return value.lower() if kind == "colour" else f'"{value}"'


def font_name(value: str) -> str:
    """A font name for a theme's XML (DOCX styles, PPTX theme), checked like brand_value."""
    return brand_value("font", value)[1:-1]


def font_stack(font: str, *fallbacks: str, generic: str = "sans-serif") -> str:
    """A CSS font-family list: the brand's font, then fallbacks, each through brand_value."""
    names = dict.fromkeys((font, *(fallbacks or CSS_FALLBACKS)))
    return ", ".join(brand_value("font", n) for n in names) + f", {generic}"


def _read_logo(logo: Path, brand_file: Path) -> tuple[bytes, str]:
    """The logo's bytes, refused unless it is a readable PNG or JPEG of a sensible size."""
    from PIL import Image, UnidentifiedImageError

    def refuse(message: str) -> TemplateProblem:
        return TemplateProblem(message, file=str(brand_file))

    try:
        if not logo.resolve().is_relative_to(brand_file.parent.resolve()):
            raise refuse(f"the logo {logo.name} must be in the same folder as brand.yaml")
        data = logo.read_bytes()
    except OSError as exc:
        raise refuse(f"cannot read the logo {logo.name}: "
                     f"{exc.strerror or exc}") from None
    if len(data) > LOGO_MAX_BYTES:
        raise refuse(f"the logo {logo.name} is {len(data):,} bytes; "
                     f"keep it under {LOGO_MAX_BYTES:,}")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise refuse(f"the logo {logo.name} cannot be read as an "
                     "image; use a PNG or JPEG file") from None
    if kind not in LOGO_TYPES:
        raise refuse(f"the logo {logo.name} is {kind}; use a PNG or "
                     "JPEG file (Word and PowerPoint take both)")
    if min(size) < 16 or max(size) > 4000:
        raise refuse(f"the logo {logo.name} is {size[0]} x {size[1]} "
                     "pixels; use one between 16 and 4,000 pixels a side")
    return data, LOGO_TYPES[kind]
