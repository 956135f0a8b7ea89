"""The real guide at a moment inside each phase: what the home page says, and
when the output next changes because of time."""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
import types
from collections.abc import Mapping

import pytest

from panduan.builder import make_site
from panduan.timeline import parse_now
from sites import REPO, run_build


def home_text(files: Mapping[str, bytes], page: str = "index.html") -> str:
    html = files[page].decode("utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@functools.cache
def built_at(moment: str) -> Mapping[str, bytes]:
    """The default guide's files as of `moment`, without the search index (made from those pages
    alone); built once per test process, as several tests read the same moment, and read-only."""
    return types.MappingProxyType(make_site(REPO, parse_now(moment, "Asia/Jakarta"), strict=True, search=False).files)


PHASES = [
    # moment, phase label, what the home page says, what it must not say
    ("2023-06-01T10:00+07:00", "Sebelum masa kampanye",
     ["Pastikan Anda terdaftar sebagai pemilih", "Cek DPT online", "258 hari lagi"],
     ["Masa kampanye sedang berlangsung"]),
    ("2024-01-10T10:00+07:00", "Masa kampanye",
     ["Masa kampanye sedang berlangsung", "boleh berkampanye sampai 10 Februari 2024", "35 hari lagi",
      "Kenali hoaks politik"],
     ["Pastikan Anda terdaftar sebagai pemilih", "tidak ada lagi kampanye"]),
    ("2024-02-12T09:00+07:00", "Masa tenang",
     ["Masa tenang: tidak ada lagi kampanye", "formulir C pemberitahuan", "2 hari lagi"],
     ["Masa kampanye sedang berlangsung"]),
    ("2024-02-14T08:00+07:00", "Hari pemungutan suara",
     ["Hari ini hari pemungutan suara", "07.00 sampai 13.00 waktu setempat (WIB, WITA, atau WIT)", "e-KTP",
      "Kelima surat suara harus sudah ditandatangani Ketua KPPS", "Di mana TPS saya?"],
     ["hari lagi", "Suara sedang dihitung"]),
    ("2024-03-01T12:00+07:00", "Penghitungan dan rekapitulasi suara",
     ["Suara sedang dihitung dan direkapitulasi", "KPU menetapkan hasil resmi pada 20 Maret 2024"],
     ["hari lagi", "Hari ini hari pemungutan suara", "58,59%"]),
    ("2024-03-25T12:00+07:00", "Setelah penetapan hasil",
     ["Hasil Pemilu 2024 sudah ditetapkan", "Prabowo Subianto dan Gibran Rakabuming Raka: 58,59% suara sah",
      "24,95%", "16,47%", "Sumber hasil resmi"],
     ["hari lagi", "Sumber putusan"]),     # the message 'putusan-mk' (its button), not yet published
]


@pytest.mark.parametrize("moment,label,says,never", PHASES, ids=[p[1] for p in PHASES])
def test_home_page_follows_the_phase(moment, label, says, never):
    files = built_at(moment)
    home = home_text(files)
    assert f"Tahap sekarang: {label}" in home
    for words in says:
        assert words in home, words
    for words in never:
        assert words not in home, words


ENGLISH = [
    # moment, the phase's English name, what the English home page says
    ("2023-06-01T10:00+07:00", "Before the campaign period", ["Make sure you are registered to vote", "258 days"]),
    ("2024-02-12T09:00+07:00", "Quiet period (masa tenang)",
     ["Quiet period: no more campaigning", "form C pemberitahuan", "2 days to go until voting day."]),
    ("2024-02-14T08:00+07:00", "Voting day", ["Today is voting day", "07.00 to 13.00 local time"]),
    ("2024-03-25T12:00+07:00", "After the results are declared",
     ["Prabowo Subianto and Gibran Rakabuming Raka: 58.59% of valid votes", "Source of the official results"]),
]


@pytest.mark.parametrize("moment,name,says", ENGLISH, ids=[p[1] for p in ENGLISH])
def test_english_home_page_follows_the_phase_in_english(moment, name, says):
    home = home_text(built_at(moment), "en/index.html")
    assert f"Current phase: {name}" in home
    for words in says:
        assert words in home, words
    assert "Tahap sekarang" not in home and "hari lagi" not in home


def test_banner_shows_on_every_page_during_the_quiet_period_only():
    banner = "Masa tenang, 11–13 Februari 2024: tidak ada kampanye."
    quiet = built_at("2024-02-11T00:00+07:00")
    for name in ("jadwal/index.html", "cara-mencoblos/index.html", "cek-fakta/index.html"):
        assert banner in home_text(quiet, name), name
    # the home page shows the message itself, which says it: its banner line would repeat it
    assert banner not in home_text(quiet) and "Masa tenang: tidak ada lagi kampanye" in home_text(quiet)
    assert banner not in home_text(built_at("2024-02-10T23:59+07:00"), "jadwal/index.html")
    assert "Quiet period, 11–13 February 2024: no campaigning." in home_text(quiet, "en/jadwal/index.html")


def test_message_with_publish_at_appears_from_its_moment():
    assert "Sumber putusan" not in home_text(built_at("2024-04-21T23:59+07:00"))   # the message's button
    assert "Sumber putusan" in home_text(built_at("2024-04-22T00:00+07:00"))


def test_days_change_at_midnight_in_the_guides_time_zone():
    # 00:30 WITA on 15 February is still 14 February, 23:30, in WIB (the guide's zone)
    assert "Hari ini hari pemungutan suara" in home_text(built_at("2024-02-15T00:30+08:00"))
    assert "Suara sedang dihitung" in home_text(built_at("2024-02-15T01:00+08:00"))


def test_countdown_is_gone_after_voting_day():
    files = built_at("2024-02-16T10:00+07:00")
    assert "hari lagi" not in home_text(files)
    assert b"hitung-mundur" not in files["index.html"]      # the countdown script is not loaded either


@pytest.mark.parametrize("moment", ["2023-06-01T10:00+07:00", "2024-01-10T10:00+07:00", "2024-02-14T08:00+07:00",
                                    "2024-03-01T12:00+07:00", "2024-04-23T12:00+07:00", "2025-01-01T00:00+07:00"])
def test_the_site_is_the_same_until_the_reported_next_change(moment):
    """Compared without the search index, which Pagefind makes from the pages alone."""
    now = parse_now(moment, "Asia/Jakarta")
    built = make_site(REPO, now, search=False)
    report = json.loads(built.files["next-change.json"])
    since = dt.datetime.fromisoformat(report["since"])
    assert since <= now
    assert make_site(REPO, since, search=False).files == built.files
    if report["next_change"] is None:
        assert make_site(REPO, now + dt.timedelta(days=3000), search=False).files == built.files
        return
    following = dt.datetime.fromisoformat(report["next_change"])
    assert following > now and report["reasons"]
    assert make_site(REPO, following - dt.timedelta(seconds=1), search=False).files == built.files
    assert make_site(REPO, following, search=False).files != built.files


def test_next_change_names_the_phase_boundary():
    report = json.loads(built_at("2024-03-01T12:00+07:00")["next-change.json"])
    assert report == {"phase": "rekapitulasi", "since": "2024-02-16T00:00:00+07:00",
                      "next_change": "2024-03-20T00:00:00+07:00",
                      "reasons": ["phase 'hasil' begins", "stage 'penetapan-hasil' starts"]}


def test_console_reports_the_phase_and_next_change(tmp_path):
    result = run_build(REPO, "--out", str(tmp_path / "site"), "--now", "2024-02-12T09:00+07:00")
    assert result.returncode == 0, result.stderr
    assert "phase: masa-tenang; next change: 2024-02-13T00:00:00+07:00 (the countdown to voting day)" \
        in result.stdout


def test_schedule_says_since_when_its_statuses_hold():
    page = home_text(built_at("2024-01-10T10:00+07:00"), "jadwal/index.html")
    assert "Status ini berlaku sejak 8 Januari 2024." in page     # the day after the 7 January debate
    assert "Tambahkan semua tahapan ke kalender Anda" in page


def test_a_preview_of_the_past_shows_no_update_from_its_future():
    """--now in 2024 on a tree committed later: no "Terakhir diperbarui" or sitemap date after the
    copy's next change of time; a build after the last commit shows them all."""
    def dates(files: dict[str, bytes]) -> set[str]:
        shown = set()
        for name, data in files.items():
            if name.endswith(".html"):
                shown |= set(re.findall(r'(?:diperbarui|updated): <time datetime="([\d-]+)"', data.decode("utf-8")))
        return shown | set(re.findall(r"<lastmod>([\d-]+)<", files["sitemap.xml"].decode("utf-8")))

    preview = dates(built_at("2024-01-10T10:00+07:00"))
    assert preview and all(day < "2024-01-11" for day in preview), sorted(preview)
    later = dates(built_at("2099-01-01T10:00+07:00"))
    assert max(later) > "2024-12-31" and len(later) > len(preview)     # the tree's own commits (a clone's too)


def test_a_preview_of_the_past_shows_no_fact_check_dated_after_it():
    """A fact check checked in 2026 shows no "Diperiksa 23 November 2026" (page, list, ClaimReview)
    in a 2024 preview; the day it is dated is a change of time, after which it shows."""
    dates = [re.search(r"^checked: (\d{4}-\d\d-\d\d)", path.read_text(encoding="utf-8"), re.M)
             for path in (REPO / "content/hoaxes").glob("*.md")]
    latest = max(found.group(1) for found in dates if found)
    assert latest > "2024-06-01"            # else this test checks nothing

    def shown(files: dict[str, bytes]) -> set[str]:
        text = "".join(files[name].decode("utf-8") for name in files
                       if name.startswith(("cek-fakta/", "en/cek-fakta/")) and name.endswith(".html"))
        return set(re.findall(r'<time datetime="([\d-]+)"', text)) | set(re.findall(r'"datePublished":"([\d-]+)"', text))

    preview = shown(built_at("2024-06-01T10:00+07:00"))
    assert all(day < "2024-06-02" for day in preview), sorted(preview)
    assert latest in shown(built_at(f"{latest}T10:00+07:00"))
