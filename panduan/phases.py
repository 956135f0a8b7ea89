"""Phases: which period of the election "now" is in, what is shown in it, and
when the output will next change because of time alone.

The periods are declared in `schema.PHASES`. guide.yaml names, for every phase
after the first, the schedule stage whose first day starts it
(`election: phases: {masa-tenang: masa-tenang, ...}`); a phase lasts until
the next declared one starts. Days begin at midnight in the guide's time zone.

Pages and messages carry a `Window` (phases, publish_at, expire_at, draft);
`publish` keeps the ones shown at `now` and says why each other page is not
built, so links to it can be reported clearly. `changes_over_time` lists every
moment at which the rendered site changes (stage and phase boundaries, the
countdown's midnights, publish and expire times, dated change notes): the
site is the same for any `now` between two of them, which is what CI's
scheduled rebuilds rely on.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .model import Guide, Page, Stage, Window
from .problems import Report, did_you_mean
from .schema import PHASES


def name_key(phase: str) -> str:
    """The catalogue key of a phase's name for readers, e.g. phase.masa_tenang."""
    return "phase." + phase.replace("-", "_")


COUNTDOWN = "the countdown to voting day"   # a daily change the reader's browser redoes itself
NAME_KEYS = tuple(name_key(phase) for phase in PHASES)


@dataclass(frozen=True)
class PhaseSpan:
    id: str
    stage: Stage | None          # the stage that starts it (None for the first phase)
    start: dt.datetime | None    # midnight of the stage's first day, guide's zone

    @property
    def name_key(self) -> str:
        return name_key(self.id)


@dataclass(frozen=True)
class Clock:
    """Where `now` falls: the phase, and the moments the output last and next changes."""
    now: dt.datetime
    phase: PhaseSpan
    since: dt.datetime | None            # last change at or before now (None: nothing before)
    next_change: dt.datetime | None      # None: nothing will change with time
    reasons: tuple[str, ...]             # what changes at next_change
    schedule_since: dt.datetime | None   # when the stages' statuses last changed
    # When a copy of the site stops being true, leaving out the countdown's midnights
    # (static/js/hitung-mundur.js counts the days on the reader's clock): panduan/copy_notice.py
    # flags a copy read at or after it (templates/partials/copy.html).
    valid_until: dt.datetime | None = None

    def report(self) -> bytes:
        """The small JSON file CI reads; deterministic for any now in [since, next_change)."""
        data = {
            "phase": self.phase.id,
            "since": self.since.isoformat() if self.since else None,
            "next_change": self.next_change.isoformat() if self.next_change else None,
            "reasons": list(self.reasons),
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def holds(self, now: dt.datetime) -> bool:
        """Is `now` in [since, next_change), where the output is the same as at this clock's moment?"""
        return (self.since is None or self.since <= now) and (self.next_change is None or now < self.next_change)

    def knows(self, day: dt.date) -> bool:
        """Can this copy show `day` (an update, a check)? Not on or after its next change: a preview
        of the past (--now) could not know of later edits, and the output must stay the same for any
        now in [since, next_change). A build on the real clock has no such date."""
        return self.next_change is None or day < self.next_change.date()

    def describe(self) -> str:
        if self.next_change is None:
            return "next change: none (nothing in the guide changes with time any more)"
        return f"next change: {self.next_change.isoformat()} ({'; '.join(self.reasons)})"


def midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def resolve_phases(guide: Guide, report: Report) -> tuple[PhaseSpan, ...]:
    """The declared phases in order, each with its start; problems name guide.yaml's lines."""
    zone = ZoneInfo(guide.config.timezone)
    stages = {stage.id: stage for stage in guide.stages}
    spans = [PhaseSpan(PHASES[0], None, None)]
    declared = {start.phase: start for start in guide.config.election.phase_starts}
    for phase in PHASES[1:]:
        start = declared.get(phase)
        if start is None:
            continue
        stage = stages.get(start.stage_id)
        if stage is None:
            report.add("guide.yaml", start.line, 0,
                       f"phase '{phase}' starts with stage '{start.stage_id}', which is not in content/schedule.yaml",
                       did_you_mean(start.stage_id, stages) or "use the id of a stage in content/schedule.yaml")
            continue
        previous = spans[-1]
        if previous.stage is not None and stage.start <= previous.stage.start:
            report.add("guide.yaml", start.line, 0,
                       f"phase '{phase}' starts on {stage.start} (stage '{stage.id}'), not after phase "
                       f"'{previous.id}' ({previous.stage.start}, stage '{previous.stage.id}')",
                       "phases follow each other in the order " + ", ".join(PHASES) +
                       "; pick stages that start on later days")
            continue
        spans.append(PhaseSpan(phase, stage, midnight(stage.start, zone)))
    return tuple(spans)


def check_phases_used(guide: Guide, report: Report) -> None:
    """Warn about pages and messages shown in a phase that guide.yaml never starts."""
    declared = {PHASES[0]} | {start.phase for start in guide.config.election.phase_starts}
    items = [(p.path, p.window, "this page") for p in guide.pages] + \
        [("content/messages.yaml", m.window, f"message '{m.id}'") for m in guide.messages]
    for path, window, what in items:
        for phase in window.phases:
            if phase not in declared:
                report.warn(path, window.line, 0, f"{what} is shown in phase '{phase}', which guide.yaml does not "
                            "start, so it never shows there", f"add '{phase}: <stage id>' under election: phases "
                            "in guide.yaml, or remove the phase here")


def phase_at(spans: tuple[PhaseSpan, ...], now: dt.datetime) -> PhaseSpan:
    current = spans[0]
    for span in spans[1:]:
        if span.start <= now:
            current = span
    return current


def hidden_because(window: Window, now: dt.datetime, phase: str, drafts: bool) -> str | None:
    """Why an item with this window is not shown at `now`, or None when it is shown."""
    if window.draft and not drafts:
        return "it is a draft (draft: true)"
    if window.publish_at is not None and now < window.publish_at:
        return f"it is published from {window.publish_at.isoformat()} (publish_at)"
    if window.expire_at is not None and now >= window.expire_at:
        return f"it expired at {window.expire_at.isoformat()} (expire_at)"
    if window.phases and phase not in window.phases:
        return f"it is shown only in the phases {', '.join(window.phases)}, and now is '{phase}'"
    return None


def changes_over_time(guide: Guide, spans: tuple[PhaseSpan, ...], now: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """Every moment at which the site changes because of time alone, with why."""
    zone = ZoneInfo(guide.config.timezone)
    moments = []
    for span in spans[1:]:
        moments.append((span.start, f"phase '{span.id}' begins"))
    for stage in guide.stages:
        moments.append((midnight(stage.start, zone), f"stage '{stage.id}' starts"))
        moments.append((midnight(stage.end + dt.timedelta(days=1), zone), f"stage '{stage.id}' ends"))
    voting_day = guide.config.election.voting_day
    today = now.astimezone(zone).date()
    if today <= voting_day:   # the countdown changes every midnight, and disappears after voting day
        moments.append((midnight(today, zone), COUNTDOWN))
        moments.append((midnight(today + dt.timedelta(days=1), zone), COUNTDOWN))
    moments.append((midnight(voting_day + dt.timedelta(days=1), zone), "the countdown ends"))
    for item, name in [(p, p.path) for p in guide.pages] + [(m, f"message '{m.id}'") for m in guide.messages]:
        if item.window.publish_at is not None:
            moments.append((item.window.publish_at, f"{name} is published"))
        if item.window.expire_at is not None:
            moments.append((item.window.expire_at, f"{name} expires"))
    if guide.results is not None:
        moments.append((guide.results.official_at, "the official results are published"))
    for check in guide.fact_checks:   # its date shows from then on (Clock.knows)
        moments.append((midnight(check.checked, zone), f"fact check {check.path} is dated"))
    for page in guide.pages:
        for change in page.changes:
            moments.append((midnight(change.date, zone), f"a change note of {page.path} is published"))
    return moments


def clock(guide: Guide, spans: tuple[PhaseSpan, ...], now: dt.datetime) -> Clock:
    moments = changes_over_time(guide, spans, now)
    before = [moment for moment, _ in moments if moment <= now]
    schedule = [moment for moment, why in moments if moment <= now and why.startswith("stage ")]
    after = sorted(moment for moment, _ in moments if moment > now)
    next_change = after[0] if after else None
    reasons = tuple(sorted({why for moment, why in moments if moment == next_change}))
    valid_until = min((moment for moment, why in moments if moment > now and why != COUNTDOWN), default=None)
    return Clock(now, phase_at(spans, now), max(before) if before else None, next_change, reasons,
                 max(schedule) if schedule else None, valid_until)


def publish(guide: Guide, clock_: Clock, drafts: bool) -> tuple[Guide, dict[str, str]]:
    """The guide as shown at the clock's moment, and why each page left out (and its
    translations, by source path) is not built."""
    now, phase = clock_.now, clock_.phase.id
    hidden: dict[str, str] = {}
    pages: list[Page] = []
    today = now.astimezone(ZoneInfo(guide.config.timezone)).date()

    def dated(page: Page) -> Page:   # its change notes published by today
        return dataclasses.replace(page, changes=tuple(c for c in page.changes if c.date <= today))

    for page in guide.pages:
        why = hidden_because(page.window, now, phase, drafts)
        if why is None:
            pages.append(dataclasses.replace(dated(page), translations=tuple(map(dated, page.translations))))
        else:
            hidden.update({version.path: why for version in (page, *page.translations)})
    messages = tuple(m for m in guide.messages if hidden_because(m.window, now, phase, drafts) is None)
    return dataclasses.replace(guide, pages=tuple(pages), messages=messages), hidden
