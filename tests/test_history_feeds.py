"""Last-updated dates from git, change notes, the updates page, the Atom feed,
the sitemap, robots.txt and the calendar files, read back by independent parsers."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import vobject

from sites import NOW, REPO, commit_all, git, run_build, tree_bytes

UPDATED = re.compile(r'<p class="updated" data-pagefind-ignore>Terakhir diperbarui: <time datetime="([0-9-]+)">([^<]+)</time></p>')


def updated(out: Path, page: str) -> tuple[str, str] | None:
    found = UPDATED.findall((out / page).read_text(encoding="utf-8"))
    return found[0] if found else None


def build(root: Path, now: str = NOW) -> Path:
    result = run_build(root, "--now", now, "--strict")
    assert result.returncode == 0, result.stderr
    return root / "_site"


def test_no_git_no_date(mini):
    out = build(mini)
    assert updated(out, "cara-mencoblos/index.html") is None
    assert updated(out, "jadwal/index.html") is None


def test_last_updated_from_git_front_matter_or_nothing(mini):
    commit_all(mini)
    lapor = mini / "content/pages/lapor-hoaks.md"
    lapor.write_text(lapor.read_text(encoding="utf-8") + "\nSatu kalimat lagi.\n", encoding="utf-8")
    git(mini, "commit", "-q", "-am", "second", when="2024-01-08T23:30:00+07:00")
    out = build(mini)
    assert updated(out, "cara-mencoblos/index.html") == ("2024-01-05", "5 Januari 2024")
    assert updated(out, "lapor-hoaks/index.html") == ("2024-01-08", "8 Januari 2024")
    assert updated(out, "partai/index.html") == ("2024-01-05", "5 Januari 2024")
    # the schedule page follows the clock, but its statuses last changed before the commit (28 November)
    assert updated(out, "jadwal/index.html") == ("2024-01-05", "5 Januari 2024")
    assert "Status ini berlaku sejak 28 November 2023." in (out / "jadwal/index.html").read_text(encoding="utf-8")
    # an English page changes with its own file and with the original it shares fields with
    assert '<p class="updated" data-pagefind-ignore>Last updated: <time datetime="2024-01-08">8 January 2024</time></p>' in \
        (out / "en/lapor-hoaks/index.html").read_text(encoding="utf-8")

    # an uncommitted edit has no true date yet: nothing is shown rather than a wrong one
    lapor.write_text(lapor.read_text(encoding="utf-8") + "\nBelum disimpan.\n", encoding="utf-8")
    out = build(mini)
    assert updated(out, "lapor-hoaks/index.html") is None
    assert updated(out, "cara-mencoblos/index.html") == ("2024-01-05", "5 Januari 2024")

    # front matter wins
    text = (mini / "content/pages/cara-mencoblos.md").read_text(encoding="utf-8")
    (mini / "content/pages/cara-mencoblos.md").write_text(text.replace("order: 1\n", "order: 1\nupdated: 2024-01-09\n"),
                                                          encoding="utf-8")
    assert updated(build(mini), "cara-mencoblos/index.html") == ("2024-01-09", "9 Januari 2024")


def test_shallow_clone_shows_no_dates(mini, tmp_path):
    commit_all(mini)
    git(mini, "commit", "-q", "--allow-empty", "-m", "second", when="2024-01-09T10:00:00+07:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{mini}", str(clone)], check=True,
                   capture_output=True)
    assert updated(build(clone), "cara-mencoblos/index.html") is None


NOTES = """changes:
  - {date: 2024-01-03, note: {id: Menambahkan daftar yang perlu dibawa ke TPS., en: Added what to bring to the TPS.}}
  - date: 2024-01-07
    note:
      id: "Memperbaiki jam buka TPS: 07.00–13.00 waktu setempat."
      en: "Corrected the TPS opening hours: 07.00–13.00 local time."
  - {date: 2024-02-01, note: {id: Catatan yang belum terbit., en: A note not published yet.}}
"""


def add_notes(mini: Path) -> None:
    page = mini / "content/pages/cara-mencoblos.md"
    page.write_text(page.read_text(encoding="utf-8").replace("order: 1\n", "order: 1\n" + NOTES), encoding="utf-8")


def test_change_notes_make_history_updates_page_and_feed(mini):
    add_notes(mini)
    out = build(mini)
    page = (out / "cara-mencoblos/index.html").read_text(encoding="utf-8")
    history = page[page.index('<h2 id="riwayat">'):]
    assert history.index("7 Januari 2024") < history.index("3 Januari 2024")
    assert "Catatan yang belum terbit" not in page            # dated after now
    updates = re.sub(r"<[^>]+>", "", (out / "pembaruan/index.html").read_text(encoding="utf-8"))
    assert ("7 Januari 2024 · Cara Mencoblos: Memperbaiki jam buka TPS: 07.00–13.00 waktu setempat.\n"
            "3 Januari 2024 · Cara Mencoblos: Menambahkan daftar yang perlu dibawa ke TPS.") in updates

    feed = feedparser.parse((out / "pembaruan/atom.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Pembaruan Panduan Mini"
    assert feed.feed.updated == "2024-01-07T00:00:00+07:00"
    assert [e.title for e in feed.entries] == [
        "Cara Mencoblos: Memperbaiki jam buka TPS: 07.00–13.00 waktu setempat.",
        "Cara Mencoblos: Menambahkan daftar yang perlu dibawa ke TPS.",
        "Tahapan pemilu: Masa kampanye"]     # the stage started on 28 November 2023 (test_stage_updates.py)
    assert [e.link for e in feed.entries] == ["https://mini.example/cara-mencoblos/"] * 2 + [
        "https://mini.example/jadwal/#masa-kampanye"]
    assert len({e.id for e in feed.entries}) == 3
    assert '<link rel="alternate" type="application/atom+xml"' in page

    # the English pages have their own updates page and feed, in English, linking to English pages
    english = (out / "en/cara-mencoblos/index.html").read_text(encoding="utf-8")
    assert '<h2 id="riwayat">Change history</h2>' in english
    assert "Added what to bring to the TPS." in english and "A note not published yet" not in english
    updates = re.sub(r"<[^>]+>", "", (out / "en/pembaruan/index.html").read_text(encoding="utf-8"))
    assert "7 January 2024 · How to Vote: Corrected the TPS opening hours: 07.00–13.00 local time." in updates
    feed = feedparser.parse((out / "en/pembaruan/atom.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert (feed.feed.title, feed.feed.language) == ("Updates to Mini Guide", "en")
    assert [e.link for e in feed.entries] == ["https://mini.example/en/cara-mencoblos/"] * 2 + [
        "https://mini.example/en/jadwal/#masa-kampanye"]
    assert not {e.id for e in feed.entries} & {e.id for e in feedparser.parse(
        (out / "pembaruan/atom.xml").read_bytes()).entries}
    assert 'href="../pembaruan/atom.xml"' in english

    # the note dated 1 February is published on that day, and the build said so
    result = run_build(mini, "--now", "2024-01-31T12:00+07:00")
    assert "a change note of content/pages/cara-mencoblos.md is published" in result.stdout
    later = feedparser.parse((build(mini, "2024-02-01T00:00+07:00") / "pembaruan/atom.xml").read_bytes())
    assert later.entries[0].title == "Cara Mencoblos: Catatan yang belum terbit."


def test_an_edit_without_a_note_publishes_nothing(mini):
    add_notes(mini)
    before = tree_bytes(build(mini))
    page = mini / "content/pages/lapor-hoaks.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nPerbaikan kecil.\n", encoding="utf-8")
    after = tree_bytes(build(mini))
    assert after["pembaruan/atom.xml"] == before["pembaruan/atom.xml"]
    assert after["pembaruan/index.html"] == before["pembaruan/index.html"]
    assert after["lapor-hoaks/index.html"] != before["lapor-hoaks/index.html"]


def test_empty_feed_is_still_valid(mini):
    # before the first stage starts and with no change notes, nothing has happened yet
    feed = feedparser.parse((build(mini, "2023-11-27T23:59+07:00") / "pembaruan/atom.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries == []




def test_sitemap_and_robots(default_site):
    tree = ET.parse(default_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    assert tree.getroot().tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = [u.findtext("s:loc", namespaces=ns) for u in tree.getroot().findall("s:url", ns)]
    built = sorted("https://panduan-pemilu.example/" + p.relative_to(default_site).as_posix()[:-len("index.html")]
                   for p in default_site.rglob("index.html"))
    assert sorted(locs) == built
    for url in tree.getroot().findall("s:url", ns):
        lastmod = url.findtext("s:lastmod", namespaces=ns)
        assert lastmod is None or dt.date.fromisoformat(lastmod)
        assert set(child.tag.split("}")[1] for child in url) <= {"loc", "lastmod", "link"}
        # every page of the default guide is translated: each lists its versions in both languages,
        # itself among them (hreflang)
        loc = url.findtext("s:loc", namespaces=ns)
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert set(alternates) == {"id", "en"} and loc in alternates.values()
    assert "https://panduan-pemilu.example/en/jadwal/" in locs
    robots = (default_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://panduan-pemilu.example/sitemap.xml" in robots.splitlines()
    home = (default_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://panduan-pemilu.example/">' in home


def test_calendar_has_every_stage_as_all_day_events(default_site):
    text = (default_site / "jadwal.ics").read_bytes().decode("utf-8")
    calendar = vobject.readOne(text)
    events = {event.uid.value: event for event in calendar.vevent_list}
    assert len(events) == len(calendar.vevent_list) == 23   # every stage of content/schedule.yaml
    vote = events["pemungutan-suara@panduan-pemilu.example"]
    assert vote.dtstart.value == dt.date(2024, 2, 14) and vote.dtend.value == dt.date(2024, 2, 15)
    campaign = events["masa-kampanye@panduan-pemilu.example"]
    assert (campaign.summary.value, campaign.dtstart.value, campaign.dtend.value) == \
        ("Masa kampanye", dt.date(2023, 11, 28), dt.date(2024, 2, 11))    # DTEND: the day after the last
    for event in events.values():
        assert isinstance(event.dtstamp.value, dt.datetime) and event.dtstamp.value.utcoffset() == dt.timedelta(0)
        assert type(event.dtstart.value) is dt.date and event.dtend.value > event.dtstart.value
    assert "\r\n" in text and all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))

    one = vobject.readOne((default_site / "hari-pemungutan-suara.ics").read_text(encoding="utf-8"))
    (event,) = one.vevent_list
    assert event.dtstart.value == dt.date(2024, 2, 14)
    assert "07.00–13.00 waktu setempat (WIB, WITA, atau WIT)" in event.description.value
    (alarm,) = event.valarm_list           # a reminder at 19:00 the evening before, on the reader's clock
    assert alarm.action.value == "DISPLAY" and alarm.trigger.value == -dt.timedelta(hours=5)
    assert alarm.description.value.startswith("Besok hari pemungutan suara Pemilihan Umum (Pemilu) 2024")
    assert 'href="hari-pemungutan-suara.ics"' in (default_site / "index.html").read_text(encoding="utf-8")
    assert 'href="../jadwal.ics"' in (default_site / "jadwal/index.html").read_text(encoding="utf-8")


def test_english_calendars_are_in_english_with_their_own_uids(default_site):
    calendar = vobject.readOne((default_site / "en/jadwal.ics").read_text(encoding="utf-8"))
    events = {event.uid.value: event for event in calendar.vevent_list}
    assert len(events) == 23
    campaign = events["masa-kampanye@en.panduan-pemilu.example"]
    assert (campaign.summary.value, campaign.dtstart.value) == ("Campaign period", dt.date(2023, 11, 28))
    assert campaign.url.value == "https://panduan-pemilu.example/en/jadwal/"
    (event,) = vobject.readOne((default_site / "en/hari-pemungutan-suara.ics").read_text(encoding="utf-8")).vevent_list
    assert event.dtstart.value == dt.date(2024, 2, 14)
    assert "local time (WIB, WITA or WIT)" in event.description.value
    assert event.valarm.description.value.startswith("Tomorrow is voting day")
    assert 'href="hari-pemungutan-suara.ics">Add voting day to your calendar' in \
        (default_site / "en/index.html").read_text(encoding="utf-8")


def test_calendar_is_the_same_whatever_the_moment(default_site, tmp_path):
    out = tmp_path / "later"
    assert run_build(REPO, "--out", str(out), "--now", "2024-06-01T00:00+07:00").returncode == 0
    for name in ("jadwal.ics", "hari-pemungutan-suara.ics", "en/jadwal.ics", "robots.txt"):
        assert (out / name).read_bytes() == (default_site / name).read_bytes(), name


def test_voting_day_home_does_not_offer_to_add_the_day_to_a_calendar(tmp_path):
    out = tmp_path / "site"
    assert run_build(REPO, "--out", str(out), "--now", "2024-02-14T08:00:00+07:00").returncode == 0
    for home in ("index.html", "en/index.html"):
        assert "hari-pemungutan-suara.ics" not in (out / home).read_text(encoding="utf-8")
