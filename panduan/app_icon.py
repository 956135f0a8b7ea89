"""The guide's app icon as PNG ("add to home screen", Apple touch icon): static/img/ikon.svg,
the white tick on the brand red, drawn with the standard library (share_png's writer).

The picture fills the square (Android and iOS round its corners themselves) and the tick stays
inside the middle 60%, the safe zone of a maskable icon. Edges are smoothed by counting 4x4
samples per pixel into 17 shades between the red and the white: the same size, the same bytes.
Committed as static/img/ikon-<size>.png; redraw with `python3 -m panduan.app_icon` (a test
checks the committed files are what this draws).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .share_png import palette_png

SIZES = (180, 192, 512)            # Apple touch icon; the manifest's two
BRAND, WHITE = (138, 16, 32), (255, 255, 255)
SAMPLES = 4                        # per side of a pixel
SHADES = SAMPLES * SAMPLES + 1
# the tick of ikon.svg (viewBox 32): M9 17 l5 5 9-11, stroke 4, round ends; drawn at 0.75 of it,
# around the centre, so it stays in the maskable safe zone
TICK = ((9, 17), (14, 22), (23, 11))
STROKE = 2.0                       # half the stroke width, in the 32-unit box
SCALE, SHIFT = 0.75, 16 * 0.25


def _near_tick(x: float, y: float) -> bool:
    """Is the point (in the 32-unit box) within the stroke of the tick?"""
    for (ax, ay), (bx, by) in zip(TICK, TICK[1:]):
        ax, ay, bx, by = (v * SCALE + SHIFT for v in (ax, ay, bx, by))
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        if (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (STROKE * SCALE) ** 2:
            return True
    return False


def icon_png(size: int) -> bytes:
    colours = [tuple(round(b + (w - b) * shade / (SHADES - 1)) for b, w in zip(BRAND, WHITE))
               for shade in range(SHADES)]
    unit = 32 / (size * SAMPLES)
    # only pixels around the tick can be anything but red
    xs, ys = ([v * SCALE + SHIFT for point in TICK for v in point[axis:axis + 1]] for axis in (0, 1))
    pad = STROKE * SCALE + 1
    low_x, high_x = (int(v * size / 32) for v in (min(xs) - pad, max(xs) + pad))
    low_y, high_y = (int(v * size / 32) for v in (min(ys) - pad, max(ys) + pad))
    rows = []
    for py in range(size):
        row = bytearray(size)
        for px in range(low_x, high_x + 1) if low_y <= py <= high_y else ():
            row[px] = sum(_near_tick((px * SAMPLES + sx + .5) * unit, (py * SAMPLES + sy + .5) * unit)
                          for sy in range(SAMPLES) for sx in range(SAMPLES))
        rows.append(row)
    return palette_png(size, size, colours, rows)


def main(folder: Path) -> None:
    for size in SIZES:
        (folder / f"ikon-{size}.png").write_bytes(icon_png(size))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "static" / "img")
