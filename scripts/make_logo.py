"""Make content/logo.png: a stand-in wordmark for the bundled brand (the organisation's name
in white on its primary colour), until the union drops its own logo file in its place.
Run: .venv/bin/python scripts/make_logo.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
TEXT, COLOUR, SIZE = "NAHT", (0x1B, 0x4F, 0x72), (360, 120)
FONT = Path("/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf")


def main() -> None:
    image = Image.new("RGB", SIZE, COLOUR)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 84)
    left, top, right, bottom = draw.textbbox((0, 0), TEXT, font=font)
    draw.text(((SIZE[0] - right - left) / 2, (SIZE[1] - bottom - top) / 2), TEXT,
              fill=(255, 255, 255), font=font)
    image.save(ROOT / "content" / "logo.png", optimize=True)


if __name__ == "__main__":
    main()
