"""What pages load besides themselves, all served by the app (nothing from another site):
the brand's style sheet, its fonts, the print and brand style sheets the letter preview
uses, the logo; and /healthz for a load balancer.

The brand's values reach CSS in one place, `site_css` (brand.css comes from the engine, the
same text the PDF writer uses).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort

from ..content.brand import brand_value, contrast
from ..content.brand import font_stack as brand_font_stack
from .site import site

assets = Blueprint("assets", __name__)
ERROR_RED = "#b10e1e"


def font_stack(font: str) -> str:
    """The brand's font first, quoted by content.brand's one quoting function."""
    return brand_font_stack(font, "Carlito", "Calibri", "Liberation Sans", "Arial")


def site_css(brand) -> str:
    """The page's colours and fonts as CSS variables (app.css uses them), every brand value
    through content.brand's one quoting function. The error colour is a red with 4.5:1
    contrast on the brand's background, or its text colour."""
    error = ERROR_RED if contrast(ERROR_RED, brand.background) >= 4.5 else brand.text
    colours = {name: brand_value("colour", value) for name, value in (
        ("text", brand.text), ("background", brand.background), ("primary", brand.primary),
        ("accent", brand.accent), ("muted", brand.muted), ("error", error))}
    variables = " ".join(f"--{name}: {value};" for name, value in colours.items())
    return (f":root {{ {variables} --body-font: {font_stack(brand.body_font)}; "
            f"--heading-font: {font_stack(brand.heading_font)}; }}\n")


def cached(data, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Cache-Control": "public, max-age=86400"})


@assets.get("/styles/site.css")
def site_style():
    return Response(site_css(site().brand), mimetype="text/css")


@assets.get("/styles/fonts.css")
def fonts_style():
    return Response(site().faces.css, mimetype="text/css")


@assets.get("/fonts/<int:number>")
def font_file(number: int):
    faces = site().faces
    if not 0 <= number < len(faces.files):
        abort(404)
    path, media = faces.files[number]
    return cached(path.read_bytes(), media)


@assets.get("/styles/print.css")
def print_style():
    return Response(site().engine.assets.file("styles/print.css").read_text(encoding="utf-8"),
                    mimetype="text/css")


@assets.get("/styles/brand.css")
def brand_style():
    return Response(site().engine.brand_css(), mimetype="text/css")


@assets.get("/styles/logo")
@assets.get("/favicon.ico")
def logo():
    brand = site().brand
    if not brand.logo:
        abort(404)
    return cached(brand.logo, brand.logo_type)


@assets.get("/healthz")
def health():
    """For a load balancer: the app is up and its engine loaded (no document is made)."""
    return Response("ok\n", mimetype="text/plain")
