"""The living-document parts of one build, gathered for the renderer.

`phases` says where "now" falls and what is shown; `history` says when each
output last changed and which change notes are public; `ical` makes the
calendar files. This module joins them for one build: the names templates
see (`clock`, `last_updated()`, `updates`, ...), the files made in code
(calendars, /next-change.json), and the check that every call to action of
a message shown now leads somewhere.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from . import urls
from .history import History, git_dates, updates
from .ical import calendar_files
from .model import Guide
from .phases import Clock
from .plan import NUMBERS, SCHEDULE, SOURCES, TICKETS, Output, Plan
from .problems import Report

MESSAGES = "content/messages.yaml"
NEXT_CHANGE = "next-change.json"


def check_message_links(guide: Guide, plan: Plan, hidden: dict[str, str], report: Report) -> None:
    known = plan.urls() | plan.static_urls()
    for message in guide.messages:
        for action in message.actions:
            link = action.link
            if link.startswith(("https://", "http://")):
                continue
            if not link.startswith("/"):
                report.add(MESSAGES, action.line, 0, f"message '{message.id}': link '{link}' cannot be followed",
                           "write a site path such as /jadwal/ or a full address starting with https://")
            elif link.partition("#")[0] in hidden:
                report.add(MESSAGES, action.line, 0, f"message '{message.id}' links to {link}, which is not built "
                           f"now: {hidden[link.partition('#')[0]]}", "link elsewhere, or show the message only "
                           "when the page is published (phases, publish_at, expire_at)")
            elif link.partition("#")[0] not in known:
                report.add(MESSAGES, action.line, 0, f"message '{message.id}' links to {link}, which does not exist",
                           "use the address of a page, e.g. /jadwal/ or /cara-mencoblos/")


class Living:
    def __init__(self, root: Path, guide: Guide, clock: Clock, plan: Plan):
        self.guide, self.clock, self.plan = guide, clock, plan
        self.zone = ZoneInfo(guide.config.timezone)
        self.history = History(git_dates(root, guide.config.timezone))
        self.updates = updates(guide)

    def last_updated(self, output: Output) -> dt.date | None:
        """The date shown as "Terakhir diperbarui" (None: unknown, shown as nothing)."""
        if output.page is not None:
            return self.history.updated((output.page.path,), output.page, None)
        if output.url == "/pembaruan/":
            return self.updates[0].date if self.updates else None
        inputs = {"/": (SCHEDULE, NUMBERS, TICKETS, MESSAGES), "/sumber/": (SOURCES,)}.get(output.url) or tuple(
            i for i in output.inputs if i not in ("*", SOURCES))
        since = self.clock.schedule_since if output.url == "/jadwal/" else self.clock.since
        since = since.astimezone(self.zone).date() if since and output.uses_now else None
        return self.history.updated(inputs, None, since)

    def day_start(self, day: dt.date) -> str:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.zone).isoformat()

    def context(self) -> dict:
        """The names every template sees, besides the renderer's own."""
        found = self.updates
        feed_updated = found[0].date if found else max(
            filter(None, (self.last_updated(o) for o in self.plan.outputs)),
            default=self.guide.config.election.voting_day)
        return {
            "clock": self.clock,
            "phase": self.clock.phase,
            "messages": self.guide.messages,
            "last_updated": self.last_updated,
            "updates": found,
            "sitemap": tuple(o for o in self.plan.outputs if o.file.endswith(".html") and o.url != "/404.html"),
            "feed_updated": feed_updated,
            "day_start": self.day_start,
            "absolute": lambda path: urls.absolute(self.guide.config.base_url, path),
        }

    def files(self) -> dict[str, bytes]:
        made = calendar_files(self.guide, self.history.last_commit.get(SCHEDULE))
        made[NEXT_CHANGE] = self.clock.report()
        return made
