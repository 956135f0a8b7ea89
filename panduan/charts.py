"""Charts: the geometry of the pictures drawn at build time from the official results.

Python computes where every mark goes (fixed decimals, so identical input gives identical
bytes); `templates/partials/charts.html` writes the SVG, its words and the table beside it.
Every picture is sized in a 340-unit-wide box, so at a 360 px phone one unit is about one
pixel and text written at 13-14 units stays legible; wider screens and print scale it up.
Nothing here is shown before the results are official (`ResultsView.official`).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .phases import name_key
from .results import Results, official
from .schema import PHASES

WIDTH = 340
# presidential bars: 100% is this long, after no label column (names sit above each bar)
TICKET_SCALE = 3.5
TICKET_ROW = 80
# DPR vote shares: a label column, then 9 units per percentage point (PDI-P's 16.72% is 150 long)
PARTY_LABEL = 96
PARTY_SCALE = 9.0
PARTY_ROW = 20
PARTY_TOP = 26
# turnout: 100% is 220 long, after a year label
TURNOUT_LABEL = 44
TURNOUT_SCALE = 2.2
# the hemicycle: rows of seats between two radii
SEAT_ROWS = 12
OUTER, INNER = 160.0, 62.0
SEAT_DOT = 6.2
# seat colours, dark enough for 3:1 against white; a party's own `colour` wins
PALETTE = ("#1f4e79", "#b03a2e", "#1e7b45", "#6c3483", "#9a5b00", "#0e6e6e", "#4d5656", "#a0307a")


def fixed(value: float) -> str:
    """A coordinate in the SVG: two decimals at most, never '-0'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class TicketBar:
    ticket: object          # model.Ticket
    votes: int
    percent: float
    y: float                # top of the row
    width: str              # the bar's length
    label_x: str            # where its percentage is written, after the bar


@dataclass(frozen=True)
class PartyBar:
    party: object           # model.Party
    votes: int
    percent: float
    seats: int
    passed: bool            # over the threshold
    y: float
    width: str
    colour: str
    label_x: str            # where its percentage is written: after the bar, and clear of the threshold line


@dataclass(frozen=True)
class SeatGroup:
    party: object
    seats: int
    colour: str
    path: str               # one 'M x y h0' per seat (one decimal: 7 KB for 580), drawn with round caps


@dataclass(frozen=True)
class TurnoutBar:
    race: str
    year: int
    percent: float
    source: object
    width: str
    label_x: str


@dataclass(frozen=True)
class ResultsView:
    """What templates get as `results`: the figures only once they are official."""
    official: bool
    results: Results
    tickets: tuple[TicketBar, ...] = ()
    parties: tuple[PartyBar, ...] = ()
    seats: tuple[SeatGroup, ...] = ()
    turnout: tuple[TurnoutBar, ...] = ()

    width = WIDTH
    ticket_row = TICKET_ROW
    party_row = PARTY_ROW
    party_top = PARTY_TOP
    party_label = PARTY_LABEL
    turnout_label = TURNOUT_LABEL
    seat_dot = SEAT_DOT

    @property
    def threshold_x(self) -> str:
        return fixed(PARTY_LABEL + self.results.threshold_percent * PARTY_SCALE)

    @property
    def seats_height(self) -> int:
        return int(OUTER) + 14

    @property
    def legend_rows(self) -> int:
        return math.ceil(len(self.seats) / 2)


def results_view(results: Results | None, guide, now: dt.datetime) -> ResultsView | None:
    """The view of the guide's results at `now` (None: the guide has no results file)."""
    if results is None:
        return None
    if not official(results, now):
        return ResultsView(False, results)
    tickets = {t.number: t for t in guide.tickets}
    parties = {p.number: p for p in guide.parties}
    ticket_bars = tuple(
        TicketBar(tickets[row.number], row.votes, row.percent, index * TICKET_ROW, fixed(row.percent * TICKET_SCALE),
                  fixed(row.percent * TICKET_SCALE + 6))
        for index, row in enumerate(r for r in results.tickets if r.number in tickets))
    shown = [row for row in results.parties if row.number in parties]
    colours = {row.number: parties[row.number].colour or PALETTE[index % len(PALETTE)]
               for index, row in enumerate(r for r in shown if r.seats)}
    threshold_end = PARTY_LABEL + results.threshold_percent * PARTY_SCALE
    party_bars = tuple(
        PartyBar(parties[row.number], row.votes, row.percent, row.seats,
                 row.votes * 100 >= results.threshold_percent * results.dpr_valid_votes,
                 PARTY_TOP + index * PARTY_ROW, fixed(row.percent * PARTY_SCALE), colours.get(row.number, "#6e6e6e"),
                 fixed(PARTY_LABEL + row.percent * PARTY_SCALE + 5 if row.percent * PARTY_SCALE + PARTY_LABEL
                       > threshold_end + 3 else threshold_end + 5))
        for index, row in enumerate(shown))
    seated = [(parties[row.number], row.seats, colours[row.number]) for row in shown if row.seats]
    turnout = tuple(TurnoutBar(t.race, t.year, t.percent, t.source, fixed(t.percent * TURNOUT_SCALE),
                               fixed(TURNOUT_LABEL + t.percent * TURNOUT_SCALE + 5))
                    for t in sorted(results.turnout, key=lambda t: (t.race != "presidential", t.year)))
    return ResultsView(True, results, ticket_bars, party_bars, hemicycle(seated, results.seats_total), turnout)


def seat_positions(total: int) -> list[tuple[float, float]]:
    """Where each of `total` seats sits, left to right: rows of a half ring, each row's seats
    in proportion to its length (largest remainders), then all seats ordered by angle."""
    radii = [INNER + (OUTER - INNER) * row / (SEAT_ROWS - 1) for row in range(SEAT_ROWS)]
    shares = [total * r / sum(radii) for r in radii]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(SEAT_ROWS), key=lambda row: (-(shares[row] - counts[row]), row))
    for row in by_remainder[: total - sum(counts)]:
        counts[row] += 1
    seats = []
    for radius, count in zip(radii, counts):
        for k in range(count):
            angle = math.pi * (1 - k / (count - 1)) if count > 1 else math.pi / 2
            seats.append((angle, radius))
    seats.sort(key=lambda seat: (-round(seat[0], 9), seat[1]))
    centre_x, centre_y = WIDTH / 2, OUTER + 4
    return [(centre_x + radius * math.cos(angle), centre_y - radius * math.sin(angle)) for angle, radius in seats]


def hemicycle(seated: list[tuple[object, int, str]], total: int) -> tuple[SeatGroup, ...]:
    """Each party's seats as one path, the parties in ballot order from left to right."""
    positions = seat_positions(total)
    groups, start = [], 0
    for party, seats, colour in seated:
        dots = positions[start:start + seats]
        start += seats
        groups.append(SeatGroup(party, seats, colour, "".join(f"M{x:.1f} {y:.1f}h0" for x, y in dots)))
    return tuple(groups)


PHASE_ROW = 44


@dataclass(frozen=True)
class PhaseMark:
    phase: str
    name_key: str           # the catalogue key naming it
    start: dt.date | None   # None: the first phase, before any stage
    status: str             # done, now or upcoming
    y: int                  # its circle's centre


def phase_timeline(guide, phase_id: str) -> tuple[PhaseMark, ...]:
    """The phases guide.yaml starts, in order, each with its first day and where `now` is."""
    stages = {stage.id: stage for stage in guide.stages}
    starts = {start.phase: stages[start.stage_id].start for start in guide.config.election.phase_starts
              if start.stage_id in stages}
    shown = [phase for phase in PHASES if phase == PHASES[0] or phase in starts]
    current = shown.index(phase_id) if phase_id in shown else -1
    return tuple(PhaseMark(phase, name_key(phase), starts.get(phase),
                           "done" if index < current else "now" if index == current else "upcoming",
                           14 + index * PHASE_ROW)
                 for index, phase in enumerate(shown))
