"""An old copy never presents the past as now: read after the moment it stops being true
(the real guide's phase boundaries), a page says so with its date and a reload link and hides
what it said about "now"; without JavaScript it reads as a dated copy."""
from __future__ import annotations

import datetime as dt
import json
import time
from zoneinfo import ZoneInfo

import pytest
import yaml

from sites import REPO, run_build

ZONE = ZoneInfo("Asia/Jakarta")


def phase_boundaries() -> list[tuple[str, dt.datetime]]:
    """Each phase of the real guide after the first, with the midnight it begins."""
    settings = yaml.safe_load((REPO / "guide.yaml").read_text())
    stages = {s["id"]: s for s in yaml.safe_load((REPO / "content/schedule.yaml").read_text())["stages"]}
    return [(phase, dt.datetime.combine(dt.date.fromisoformat(str(stages[stage]["start"])), dt.time(), ZONE))
            for phase, stage in settings["election"]["phases"].items()]


BOUNDARIES = phase_boundaries()


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """The real guide built the evening before each phase begins."""
    built = {}
    for phase, start in BOUNDARIES:
        out = tmp_path_factory.mktemp("copy") / phase
        result = run_build(REPO, "--out", str(out), "--now", (start - dt.timedelta(hours=6)).isoformat())
        assert result.returncode == 0, result.stderr
        built[phase] = out
    return built


def read(browser, base: str, path: str, moment: dt.datetime, javascript: bool = True) -> dict:
    context = browser.new_context(java_script_enabled=javascript, service_workers="block")
    tab = context.new_page()
    tab.clock.set_fixed_time(moment)
    tab.goto(base + path)
    seen = {
        "notice": tab.locator("#salinan-lama").is_visible() and " ".join(tab.locator("#salinan-lama").inner_text().split()),
        "as_of": tab.locator(".as-of").is_visible() and tab.locator(".as-of").inner_text(),
        "now_shown": [el.is_visible() for el in tab.locator("[data-kini]").all()],
        "reload": tab.locator("#salinan-lama a").get_attribute("href") if tab.locator("#salinan-lama a").count() else None,
    }
    context.close()
    return seen


@pytest.mark.parametrize("phase", [phase for phase, _ in BOUNDARIES])
def test_a_copy_read_after_the_phase_begins_says_it_is_old(browser, static_server, copies, phase):
    start = dict(BOUNDARIES)[phase]
    base = static_server(copies[phase])
    since = dt.datetime.fromisoformat(json.loads((copies[phase] / "next-change.json").read_text())["since"])
    day = f"{since.day} "                # the copy's state dates from the site's last change before it
    before = read(browser, base, "", start - dt.timedelta(minutes=5))
    assert before["notice"] is False and all(before["now_shown"])
    after = read(browser, base, "", start + dt.timedelta(hours=1))
    assert after["notice"].startswith(f"Salinan halaman ini menunjukkan keadaan per {day}")
    assert f"keadaan berubah sejak {start.day} " in after["notice"] and after["notice"].endswith("Muat ulang halaman")
    assert after["reload"] == "" and after["now_shown"] and not any(after["now_shown"])   # phase, messages, banner
    schedule = read(browser, base, "jadwal/", start + dt.timedelta(days=3))
    assert schedule["notice"] and not any(schedule["now_shown"])
    english = read(browser, base, "en/", start + dt.timedelta(hours=1))
    assert english["notice"].startswith(f"This copy of the page shows the situation as of {day}")


def test_without_javascript_an_old_copy_reads_as_dated(browser, static_server, copies):
    phase, start = BOUNDARIES[2]          # voting day, read the day after
    seen = read(browser, static_server(copies[phase]), "", start + dt.timedelta(days=1), javascript=False)
    evening = start - dt.timedelta(hours=6)
    assert seen["as_of"] == f"Keadaan per {evening.day} Februari 2024."
    assert seen["notice"] is False
    english = read(browser, static_server(copies[phase]), "en/", start + dt.timedelta(days=1), javascript=False)
    assert english["as_of"] == f"As of {evening.day} February 2024."


def test_pages_that_do_not_follow_the_clock_carry_no_date(browser, static_server, copies):
    phase, start = BOUNDARIES[0]         # before the campaign: no banner on ordinary pages
    seen = read(browser, static_server(copies[phase]), "partai/", start + dt.timedelta(days=30))
    assert seen["notice"] is False and seen["as_of"] is False


LAYOUT_SHIFT = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => { for (const shift of list.getEntries()) total += shift.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 300);
})"""


@pytest.mark.parametrize("path", ["", "jadwal/"])
def test_the_notice_of_an_old_copy_moves_nothing_already_shown(browser, static_server, copies, path):
    """On a slow network the page is painted before its scripts arrive: the notice must not
    push painted text down (Lighthouse measured a layout shift of 0.27 on the home page)."""
    phase, start = BOUNDARIES[2]
    context = browser.new_context(service_workers="block", viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.clock.set_fixed_time(start + dt.timedelta(days=1))

    def slow_script(route):
        time.sleep(0.6)
        route.continue_()
    tab.route("**/js/*.js", slow_script)
    tab.goto(static_server(copies[phase]) + path)
    assert tab.locator("#salinan-lama").is_visible()
    assert tab.evaluate(LAYOUT_SHIFT) == 0
    context.close()
