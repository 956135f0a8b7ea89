"""A real update history: on the real guide, each stage of content/schedule.yaml that has started
by "now" is an entry of /pembaruan/ and its Atom feed, in both languages, newest first, the same
bytes for any moment of one day; editors' change notes stay entries beside them."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from sites import REPO, run_build

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://panduan-pemilu.example"
STAGES = yaml.safe_load((REPO / "content" / "schedule.yaml").read_text(encoding="utf-8"))["stages"]
TITLES = {s["id"]: s["title"] for s in STAGES}
BEGAN = {lang: yaml.safe_load((REPO / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))["stage_updates"]["entry"]
         for lang in ("id", "en")}
MOMENTS = {   # name -> (now, the stage whose entry must come first)
    "campaign": ("2024-01-10T10:00:00+07:00", "debat-capres-2"),
    "quiet period": ("2024-02-12T09:00:00+07:00", "masa-tenang"),
    "voting day": ("2024-02-14T08:00:00+07:00", "pemungutan-suara"),
    "results": ("2024-03-20T15:00:00+07:00", "penetapan-hasil"),
}
COURT = [s["id"] for s in STAGES if s["start"] == dt.date(2024, 4, 22)]
if COURT:   # the Constitutional Court's ruling, once the schedule has it
    MOMENTS["court ruling"] = ("2024-04-22T18:00:00+07:00", COURT[0])


def _build(tmp_path: Path, now: str) -> Path:
    out = tmp_path / ("site-" + now[:19].replace(":", ""))
    result = run_build(REPO, "--out", str(out), "--now", now, "--no-cache")
    assert result.returncode == 0, result.stderr
    return out


def _entries(site: Path, lang: str) -> list[tuple[str, str, str]]:
    """(id, title, updated) of each entry of the feed in `lang`, in order."""
    feed = ET.parse(site / ("en/" if lang == "en" else "") / "pembaruan" / "atom.xml").getroot()
    return [(e.findtext(ATOM + "id"), e.findtext(ATOM + "title"), e.findtext(ATOM + "updated"))
            for e in feed.iter(ATOM + "entry")]


@pytest.mark.parametrize("moment", MOMENTS)
def test_every_started_stage_is_an_entry_as_of_now(tmp_path, moment):
    now, newest = MOMENTS[moment]
    today = dt.datetime.fromisoformat(now).date()
    site = _build(tmp_path, now)
    started = [s for s in STAGES if s["start"] <= today]
    for lang, root in (("id", ""), ("en", "en/")):
        entries = [e for e in _entries(site, lang) if "/jadwal/#mulai-" in e[0]]
        assert sorted(e[0] for e in entries) == sorted(f"{BASE}/{root}jadwal/#mulai-{s['id']}" for s in started)
        assert entries[0][0].endswith("#mulai-" + newest)
        titles = {s["id"]: BEGAN[lang].format(stage=s["title"][lang]) for s in started}
        assert [e[1] for e in entries] == [titles[e[0].rpartition("#mulai-")[2]] for e in entries]
        dates = [e[2] for e in entries]
        assert dates == sorted(dates, reverse=True) and dates[0].startswith(max(s["start"] for s in started).isoformat())
        page = (site / root / "pembaruan" / "index.html").read_text(encoding="utf-8")
        assert f'<a href="../jadwal/#{newest}">{BEGAN[lang].format(stage=TITLES[newest][lang])}' in page
        assert all(f'href="../jadwal/#{s["id"]}"' in page for s in started)
        upcoming = [s for s in STAGES if s["start"] > today]
        assert not any(f'#mulai-{s["id"]}<' in (site / root / "pembaruan" / "atom.xml").read_text() for s in upcoming)


def test_the_history_is_the_same_all_day_and_keeps_editors_notes(tmp_path):
    morning = _build(tmp_path, "2024-03-20T00:00:00+07:00")
    evening = _build(tmp_path, "2024-03-20T23:59:00+07:00")
    for name in ("pembaruan/atom.xml", "en/pembaruan/atom.xml", "pembaruan/index.html", "en/pembaruan/index.html"):
        assert (morning / name).read_bytes() == (evening / name).read_bytes(), name
    day_before = _entries(_build(tmp_path, "2024-03-19T23:59:00+07:00"), "id")
    assert f"{BASE}/jadwal/#mulai-penetapan-hasil" not in [e[0] for e in day_before]
    # an editor's change note is still an entry of its own, dated, beside the stages
    late = _build(tmp_path, "2026-11-29T10:00:00+07:00")
    notes = [e for e in _entries(late, "id") if "#perubahan-" in e[0]]
    pages = [p for p in (REPO / "content" / "pages").glob("*.md")
             if not p.name.endswith(".en.md") and "\nchanges:" in p.read_text(encoding="utf-8")]
    assert pages and len(notes) >= len(pages)
