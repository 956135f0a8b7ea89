"""Calendar: the schedule as iCalendar (RFC 5545) files, made with the `icalendar` library.

`/jadwal.ics` holds every stage; `/hari-pemungutan-suara.ics` holds voting day
alone, for the "add to calendar" link. Stages are whole days across
Indonesia's three time zones, so they are all-day events (DATE values, no
time zone: 14 February is 14 February in WIB, WITA and WIT) whose DTEND is
the day after the last day, as RFC 5545 wants. Polling hours (local time
at each TPS) go in the description.

The files are byte-identical for identical content: each UID is the stage id
at the site's domain, so calendar apps update an event instead of adding a
copy, and DTSTAMP is the first moment (00:00 UTC) of the day the schedule was
last changed (its git date, see `history`), or, when that is unknown, of the
first stage's first day: a date taken from the content, never from the clock.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar

from . import urls
from .model import Citation, Guide

PRODUCT = "-//Panduan Pemilu//Jadwal Pemilu//ID"


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(guide: Guide, uid: str, first: dt.date, last: dt.date, summary: str, description: str,
           source: Citation, stamp: dt.datetime) -> icalendar.Event:
    domain = urlsplit(guide.config.base_url).hostname or "panduan-pemilu.invalid"
    event = icalendar.Event()
    event.add("uid", f"{uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description} Sumber: {source.title} ({source.publisher}).")
    event.add("url", urls.absolute(guide.config.base_url, "/jadwal/"))
    event.add("transp", "TRANSPARENT")
    return event


def _stamp(guide: Guide, schedule_changed: dt.date | None) -> dt.datetime:
    day = schedule_changed or min((s.start for s in guide.stages), default=guide.config.election.voting_day)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def calendar_files(guide: Guide, schedule_changed: dt.date | None) -> dict[str, bytes]:
    """File name -> bytes of both calendar files."""
    stamp = _stamp(guide, schedule_changed)
    election = guide.config.election
    everything = _calendar(f"Jadwal {election.name}")
    for stage in guide.stages:
        everything.add_component(_event(guide, stage.id, stage.start, stage.end, stage.title, stage.description,
                                        stage.source, stamp))
    voting = _calendar(f"Hari pemungutan suara {election.name}")
    voting.add_component(_event(
        guide, "hari-pemungutan-suara", election.voting_day, election.voting_day,
        f"Hari pemungutan suara {election.name}",
        f"TPS buka pukul {election.voting_hours} waktu setempat (WIB, WITA, atau WIT).", election.source, stamp))
    return {"jadwal.ics": everything.to_ical(), "hari-pemungutan-suara.ics": voting.to_ical()}
