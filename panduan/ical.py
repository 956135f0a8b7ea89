"""Calendar: the schedule as iCalendar (RFC 5545) files, made with the `icalendar` library.

`/jadwal.ics` holds every stage; `/hari-pemungutan-suara.ics` holds voting day
alone, for the "add to calendar" link. Stages are whole days across
Indonesia's three time zones, so they are all-day events (DATE values, no
time zone: 14 February is 14 February in WIB, WITA and WIT) whose DTEND is
the day after the last day, as RFC 5545 wants. Polling hours (local time
at each TPS) go in the description. Voting day carries a reminder (VALARM)
the evening before, so the reader has the evening to find the invitation and KTP.

Every language has its own files (/jadwal.ics, /en/jadwal.ics), their words
from the interface catalogue (`calendar.*` keys) and the translated schedule.
The files are byte-identical for identical content: each UID is the stage id
at the site's domain (at `<lang>.<domain>` outside the default language: the
English event is another text of the event, and an app holding both keeps
both), so calendar apps update an event instead of adding a copy, and
DTSTAMP is the first moment (00:00 UTC) of the day the schedule was last
changed (its git date, see `history`), or, when that is unknown, of the
first stage's first day: a date taken from the content, never from the clock.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable
from urllib.parse import urlsplit

import icalendar

from .model import Citation, Guide

PRODUCT = "-//Panduan Pemilu//Jadwal Pemilu//{}"   # the last field: the language of the texts
CALENDAR_KEYS = ("calendar.schedule", "calendar.voting_day", "calendar.voting_hours", "calendar.source",
                 "copy.calendar_reminder")
# Voting day's reminder: the evening before, at 19:00 wherever the reader is (DTSTART is a
# floating date, so the trigger counts back from the reader's own midnight)
REMINDER_BEFORE = dt.timedelta(hours=5)
Text = Callable[..., str]   # a catalogue key and its values -> plain text in the calendar's language


def _calendar(name: str, lang: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT.format(lang.upper()))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(guide: Guide, uid: str, first: dt.date, last: dt.date, summary: str, description: str,
           source: Citation, stamp: dt.datetime, text: Text, schedule_url: str, lang: str) -> icalendar.Event:
    domain = urlsplit(guide.config.base_url).hostname or "panduan-pemilu.invalid"
    event = icalendar.Event()
    event.add("uid", f"{uid}@{lang}.{domain}" if lang else f"{uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", f"{description} {text('calendar.source', title=source.title, publisher=source.publisher)}")
    event.add("url", schedule_url)
    event.add("transp", "TRANSPARENT")
    return event


def _stamp(guide: Guide, schedule_changed: dt.date | None) -> dt.datetime:
    day = schedule_changed or min((s.start for s in guide.stages), default=guide.config.election.voting_day)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


def calendar_files(guide: Guide, schedule_changed: dt.date | None, text: Text, schedule_url: str,
                   lang: str) -> dict[str, bytes]:
    """File name -> bytes of both calendar files, for `guide` as read in `lang`."""
    uid_lang = "" if lang == guide.config.language else lang
    stamp = _stamp(guide, schedule_changed)
    election = guide.config.election
    everything = _calendar(text("calendar.schedule", election=election.name), lang)
    for stage in guide.stages:
        everything.add_component(_event(guide, stage.id, stage.start, stage.end, stage.title, stage.description,
                                        stage.source, stamp, text, schedule_url, uid_lang))
    voting_day = text("calendar.voting_day", election=election.name)
    voting = _calendar(voting_day, lang)
    event = _event(guide, "hari-pemungutan-suara", election.voting_day, election.voting_day, voting_day,
                   text("calendar.voting_hours", hours=election.voting_hours), election.source, stamp,
                   text, schedule_url, uid_lang)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text("copy.calendar_reminder", election=election.name))
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    voting.add_component(event)
    return {"jadwal.ics": everything.to_ical(), "hari-pemungutan-suara.ics": voting.to_ical()}
