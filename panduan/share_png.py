"""The results page's share image: the presidential bars as a PNG, drawn at build time.

Link previews (WhatsApp, Facebook, X, Telegram) take PNG or JPEG, not SVG, so the picture
is a PNG; it is drawn here with the standard library (zlib) rather than Pillow, which the
build does not otherwise need: the picture is bars and figures only, so a 5x7 pixel font of
digits and three signs is enough, and the words go in og:image:alt. No timestamp or text
chunk is written: the same results give the same bytes.
"""
from __future__ import annotations

import struct
import zlib

WIDTH, HEIGHT = 1200, 630
# palette: paper, ink, the guide's brand red, the bars' blue, a light track
COLOURS = ((255, 255, 255), (27, 27, 31), (138, 16, 32), (31, 78, 121), (230, 233, 238))
PAPER, INK, BRAND, BAR, TRACK = range(5)
GLYPHS = {
    "0": ("01110", "10001", "10011", "10101", "11001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11110", "00001", "00001", "01110", "00001", "00001", "11110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
    "%": ("11001", "11010", "00010", "00100", "01000", "01011", "10011"),
    ",": ("00000", "00000", "00000", "00000", "01100", "00100", "01000"),
    ".": ("00000", "00000", "00000", "00000", "00000", "01100", "01100"),
}
BAR_LEFT, BAR_LENGTH = 150, 700     # 100% is 700 pixels long


class Canvas:
    def __init__(self):
        self.rows = [bytearray([PAPER]) * WIDTH for _ in range(HEIGHT)]

    def box(self, x: int, y: int, width: int, height: int, colour: int) -> None:
        for row in self.rows[max(y, 0):min(y + height, HEIGHT)]:
            row[max(x, 0):min(x + width, WIDTH)] = bytes([colour]) * (min(x + width, WIDTH) - max(x, 0))

    def write(self, x: int, y: int, text: str, scale: int, colour: int) -> int:
        """Draw `text` with its top left at (x, y); returns where it ends."""
        for char in text:
            for line, bits in enumerate(GLYPHS[char]):
                for column, bit in enumerate(bits):
                    if bit == "1":
                        self.box(x + column * scale, y + line * scale, scale, scale, colour)
            x += 6 * scale
        return x

    def png(self) -> bytes:
        return palette_png(WIDTH, HEIGHT, COLOURS, self.rows)


def palette_png(width: int, height: int, colours, rows) -> bytes:
    """A palette PNG of `rows` (one bytearray of colour indexes per row), with no timestamp or
    text chunk: the same pixels give the same bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", b"".join(bytes(c) for c in colours))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def presidential_png(bars: list[tuple[int, float]], decimal: str) -> bytes:
    """One row per ticket: its ballot number, a bar as long as its share, the share written out.
    `bars`: (ballot number, percent); `decimal`: the language's decimal sign."""
    canvas = Canvas()
    canvas.box(0, 0, WIDTH, 36, BRAND)
    row = (HEIGHT - 80) // max(len(bars), 1)
    for index, (number, percent) in enumerate(bars):
        top = 70 + index * row
        canvas.write(50, top + (row - 40 - 70) // 2, str(number), 10, INK)
        canvas.box(BAR_LEFT, top + 10, BAR_LENGTH, row - 40, TRACK)
        length = round(percent * BAR_LENGTH / 100)
        canvas.box(BAR_LEFT, top + 10, length, row - 40, BAR)
        label = f"{percent:.2f}".replace(".", decimal) + "%"
        canvas.write(BAR_LEFT + length + 24 if length < BAR_LENGTH - 300 else BAR_LEFT + BAR_LENGTH + 20,
                     top + 10 + (row - 40 - 49) // 2, label, 7, INK)
    return canvas.png()
