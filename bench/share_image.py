#!/usr/bin/env python3
"""Draw the share image (static/img/bagikan.png, 1200x630) that link previews show.

Run after changing the guide's title or voting day, then commit the PNG:

    python3 -m pip install Pillow && python3 bench/share_image.py

The output is deterministic for one Pillow version (no timestamps or text
chunks are written; Pillow's built-in font is used), and small: the picture
has four colours and is saved as a palette PNG.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "img" / "bagikan.png"
BRAND, PAPER, INK, SOFT = (138, 16, 32), (255, 255, 255), (27, 27, 31), (243, 244, 247)
BALLOTS = ["#9e9e9e", "#fdd835", "#e53935", "#1e88e5", "#43a047"]   # guide.yaml election.ballots


def draw(title: str, line: str, footer: str) -> Image.Image:
    image = Image.new("RGB", (1200, 630), PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 1200, 210), fill=BRAND)
    big, middle, small = (ImageFont.load_default(size) for size in (92, 58, 38))
    pen.text((70, 56), title, font=big, fill=PAPER)
    pen.text((70, 270), line, font=middle, fill=INK)
    for index, colour in enumerate(BALLOTS):       # the five ballot colours
        left = 70 + index * 130
        pen.rounded_rectangle((left, 380, left + 110, 470), radius=10, fill=colour, outline=INK, width=3)
    pen.rectangle((0, 540, 1200, 630), fill=SOFT)
    pen.text((70, 562), footer, font=small, fill=INK)
    return image.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main() -> int:
    image = draw("Panduan Pemilu 2024", "Rabu, 14 Februari 2024", "Jadwal · Cara mencoblos yang sah · Cek hoaks")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, format="PNG", optimize=True)
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
