"""QR codes drawn at build time, for the printed guide (/cetak/) to lead back to the living site.

`segno` encodes; the code is inline SVG (no image file, no script, nothing from outside, so the
Content-Security-Policy holds), one path of dark modules in a viewBox, sized by the stylesheet.
The same text gives the same bytes. Hidden from screen readers: the address is written beside it.
"""
from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(text: str) -> Markup:
    """`text` (an address) as an inline SVG QR code, error correction M (about 15% may be
    smudged or torn and it still reads), with the standard four-module quiet zone."""
    code = segno.make(text, error="m", micro=False, boost_error=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None, dark="#000")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
