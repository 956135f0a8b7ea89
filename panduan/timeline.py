"""Timeline: where "now" falls in the election's schedule.

`now` is always passed in (the CLI reads the clock once, in the guide's time
zone); nothing here reads the clock, so a preview of voting day, a test of the
quiet period and a reproducible CI build run the same code.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .problems import excerpt
from .schema import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:   # only named in annotations: an unchanged build never imports it
    from .model import Guide, Stage


class BadMoment(ValueError):
    """--now could not be read."""


def parse_now(text: str, timezone: str) -> dt.datetime:
    """Read an ISO date or date-time; a time without an offset is in the guide's zone."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadMoment(f"--now: '{excerpt(text)}' is not an ISO date-time, e.g. 2024-02-14T08:00+07:00") from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise BadMoment(f"--now: the year {moment.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(ZoneInfo(timezone))


def clock_now(timezone: str) -> dt.datetime:
    """The current moment in the guide's time zone, to the second (for the CLI only)."""
    return dt.datetime.now(ZoneInfo(timezone)).replace(microsecond=0)


@dataclass(frozen=True)
class StageStatus:
    stage: Stage
    status: str        # "done", "now" or "upcoming"


@dataclass(frozen=True)
class Timeline:
    now: dt.datetime
    today: dt.date
    stages: tuple[StageStatus, ...]
    days_to_vote: int               # negative once voting day has passed

    @property
    def current(self) -> tuple[Stage, ...]:
        return tuple(s.stage for s in self.stages if s.status == "now")

    @property
    def next(self) -> Stage | None:
        return next((s.stage for s in self.stages if s.status == "upcoming"), None)


def status_of(stage: Stage, today: dt.date) -> str:
    if stage.end < today:
        return "done"
    if stage.start <= today:
        return "now"
    return "upcoming"


def timeline(guide: Guide, now: dt.datetime) -> Timeline:
    today = now.astimezone(ZoneInfo(guide.config.timezone)).date()
    stages = tuple(StageStatus(stage, status_of(stage, today)) for stage in guide.stages)
    return Timeline(now, today, stages, (guide.config.election.voting_day - today).days)
