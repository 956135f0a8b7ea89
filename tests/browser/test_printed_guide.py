"""A printout leads back to the living guide: printed, /cetak/ shows the site's address and a
QR code of it, drawn at build time as inline SVG (read back here module by module and compared
with the QR code of the address); on screen neither shows; the sheet stays one page."""
from __future__ import annotations

import re

import pytest
import segno


def dark_modules(path: str) -> set[tuple[int, int]]:
    """The dark modules an SVG path of horizontal runs (M/m moves, h runs) draws."""
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([Mmh])([-\d.\s]+)", path):
        values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(values[0]))}
            x += values[0]
    return dark


@pytest.mark.parametrize(("lang", "words"), [("", "Versi terbaru"), ("en/", "The latest version")])
def test_the_printed_guide_carries_the_address_and_its_qr_code(browser, static_server, default_site, lang, words):
    address = "https://panduan-pemilu.example/" + lang
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(static_server(default_site) + lang + "cetak/")
    assert not tab.locator(".living-copy").is_visible()            # on screen the page itself is the living copy
    tab.emulate_media(media="print")
    block = tab.locator(".living-copy")
    assert block.is_visible() and block.inner_text().strip().startswith(words)
    assert address in block.inner_text().replace("\n", "")
    code = block.locator("svg.qr")
    box = code.bounding_box()
    assert box["width"] > 60 and abs(box["width"] - box["height"]) < 1   # about 2.4 cm, square
    drawn = dark_modules(code.locator("path").get_attribute("d"))
    matrix = segno.make(address, error="m", micro=False, boost_error=False).matrix
    expected = {(x + 4, y + 4) for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit}
    assert drawn == expected, "the QR code does not encode the site's address"
    assert code.get_attribute("aria-hidden") == "true"
    context.close()
