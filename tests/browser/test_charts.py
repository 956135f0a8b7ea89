"""The results pictures in real Chromium: no label overlaps another label or a mark's line, every
label stays inside its picture and the picture inside a 360 px phone screen; axe finds nothing on
the results pages at 360 and 1280 px. Set PANDUAN_SCREENSHOTS=folder to keep a screenshot of each
chart at 360 px there."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from sites import REPO, run_build

OFFICIAL = "2024-04-01T10:00+07:00"
CHARTS = [("hasil/", "grafik-presiden"), ("hasil/", "grafik-kursi"), ("hasil/", "grafik-suara-dpr"),
          ("hasil/", "grafik-partisipasi"), ("jadwal/", "garis-waktu")]
WCAG_22_AA = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}

# the boxes of every label (text), and of the lines labels must keep clear of, in page pixels
BOXES = """svg => {
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height,
                     what: e.tagName + ' ' + (e.textContent || e.getAttribute('x1') || '').trim()}; };
  return {svg: box(svg), texts: [...svg.querySelectorAll('text')].map(box),
          lines: [...svg.querySelectorAll('line')].map(box)};
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("charts") / "site"
    result = run_build(REPO, "--out", str(out), "--now", OFFICIAL, "--strict")
    assert result.returncode == 0, result.stderr
    return out


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (a["x"] + slack < b["x"] + b["w"] and b["x"] + slack < a["x"] + a["w"]
            and a["y"] + slack < b["y"] + b["h"] and b["y"] + slack < a["y"] + a["h"])


def test_overlaps_detects_crossing_boxes():
    assert overlaps({"x": 0, "y": 0, "w": 10, "h": 10}, {"x": 5, "y": 5, "w": 10, "h": 10})
    assert not overlaps({"x": 0, "y": 0, "w": 10, "h": 10}, {"x": 10, "y": 0, "w": 10, "h": 10})


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize(("path", "chart"), CHARTS)
def test_chart_labels_do_not_overlap_at_360px(browser, static_server, built, lang, path, chart):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.goto(static_server(built) + lang + path)
    figure = tab.locator(f"#{chart}")
    boxes = figure.locator("svg").evaluate(BOXES)
    folder = os.environ.get("PANDUAN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        figure.locator("svg").screenshot(path=str(Path(folder) / f"{chart}-{lang.strip('/') or 'id'}-360.png"))
    context.close()
    texts, svg = boxes["texts"], boxes["svg"]
    assert texts, "a chart without labels"
    assert svg["x"] >= 0 and svg["x"] + svg["w"] <= 360, f"the picture is wider than the screen: {svg}"
    for index, text in enumerate(texts):
        assert text["x"] >= svg["x"] - 0.5 and text["x"] + text["w"] <= svg["x"] + svg["w"] + 0.5, \
            f"{text['what']!r} sticks out of the picture"
        for other in texts[index + 1:]:
            assert not overlaps(text, other), f"{text['what']!r} overlaps {other['what']!r}"
        for line in boxes["lines"]:
            if line["y"] <= text["y"] and text["y"] + text["h"] <= line["y"] + line["h"]:   # beside the line
                assert not overlaps(text, {**line, "x": line["x"] - 1, "w": line["w"] + 2}), \
                    f"{text['what']!r} is crossed by a line"


@pytest.mark.parametrize("lang", ["", "en/"])
def test_axe_finds_nothing_on_the_results_page(browser, static_server, built, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(static_server(built) + lang + "hasil/")
    axe = Axe()
    for width in (1280, 360):
        tab.set_viewport_size({"width": width, "height": 800})
        results = axe.run(tab, options=WCAG_22_AA)
        report = "\n".join(f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}"
                           for v in results.response["violations"])
        assert results.violations_count == 0, f"/{lang}hasil/ at {width}px:\n{report}"
    context.close()
