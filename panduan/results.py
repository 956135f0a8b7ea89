"""Official results: content/results.yaml read into `Results`, and every check its numbers allow.

The file is optional (a guide before its election has none). What can be checked is:
each share recomputes from its count within the rounding it is written with, the counts add
up to the declared valid votes, the seats to the house's size, every ticket and party exists,
only parties over the threshold hold seats, and a ticket's `result:` in content/tickets.yaml
says what this file says. Problems carry the line of the offending value.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from . import schema
from .load import YamlMap
from .problems import Report

PATH = "content/results.yaml"


@dataclass(frozen=True)
class TicketVotes:
    number: int
    votes: int
    percent: float


@dataclass(frozen=True)
class PartyVotes:
    number: int
    votes: int
    percent: float
    seats: int


@dataclass(frozen=True)
class Turnout:
    race: str               # presidential or dpr
    year: int
    percent: float
    source: object          # model.Citation


@dataclass(frozen=True)
class Results:
    official_at: dt.datetime    # in the guide's time zone
    expected: dt.date
    stage: str | None
    decree: str
    source: object              # model.Citation
    valid_votes: int            # presidential
    tickets: tuple[TicketVotes, ...]
    presidential_source: object
    dpr_valid_votes: int
    threshold_percent: float
    seats_total: int
    parties: tuple[PartyVotes, ...]   # in ballot order
    dpr_source: object
    seats_source: object
    turnout: tuple[Turnout, ...] = ()


def read_results(data, report: Report, cite, zone: ZoneInfo, parties: dict, tickets: dict,
                 stage_ids: set[str]) -> Results | None:
    """`parties`/`tickets`: ballot number -> Party/Ticket of the guide; `cite(id, path, where)`."""
    if data is None:
        return None
    item = schema.validate(data, schema.RESULTS, PATH, report, (1, 1))
    if item is None or not all(item.get(k) is not None for k in ("official_at", "expected", "decree", "source")):
        return None
    if item["stage"] is not None and item["stage"] not in stage_ids:
        report.add(PATH, *item.value_where("stage"), f"stage '{item['stage']}' is not in content/schedule.yaml",
                   "use the id of the stage at which KPU declares the results, e.g. penetapan-hasil")
    official_at = item["official_at"]
    official_at = official_at.replace(tzinfo=zone) if official_at.tzinfo is None else official_at.astimezone(zone)
    president, dpr = item["presidential"], item["dpr"]
    if not schema.complete(president, schema.PRESIDENTIAL_RESULT) or not schema.complete(dpr, schema.DPR_RESULT):
        return None
    ticket_rows = _rows(president["tickets"], schema.TICKET_VOTES, tickets, "ticket", "content/tickets.yaml", report)
    party_rows = _rows(dpr["parties"], schema.PARTY_VOTES, parties, "party", "content/parties.yaml", report)
    _check_counts(president, ticket_rows, "tickets", report)
    _check_counts(dpr, party_rows, "parties", report)
    _check_seats(dpr, party_rows, report)
    _check_ticket_results(ticket_rows, tickets, report)
    turnout = tuple(Turnout(t["race"], t["year"], t["percent"], cite(t["source"], PATH, t.value_where("source")))
                    for t in item["turnout"] if schema.complete(t, schema.TURNOUT))
    return Results(
        official_at, item["expected"], item["stage"], item["decree"], cite(item["source"], PATH, item.value_where("source")),
        president["valid_votes"], tuple(TicketVotes(r["number"], r["votes"], r["percent"]) for r in ticket_rows),
        cite(president["source"], PATH, president.value_where("source")),
        dpr["valid_votes"], dpr["threshold_percent"], dpr["seats_total"],
        tuple(PartyVotes(r["number"], r["votes"], r["percent"], r["seats"]) for r in party_rows),
        cite(dpr["source"], PATH, dpr.value_where("source")), cite(dpr["seats_source"], PATH, dpr.value_where("seats_source")),
        turnout)


def _rows(items, schema_, known: dict, what: str, where_known: str, report: Report) -> list[YamlMap]:
    """Complete rows naming something that exists, once each, in ballot order."""
    rows, seen = [], {}
    for row in items or ():
        if not schema.complete(row, schema_):
            continue
        number = row["number"]
        if number in seen:
            report.add(PATH, *row.value_where("number"), f"{what} {number} is listed twice (also line {seen[number]})",
                       "keep one line per " + what)
            continue
        seen[number] = row.value_where("number")[0]
        if number not in known:
            report.add(PATH, *row.value_where("number"), f"{what} {number} is not in {where_known}",
                       f"use the {what}'s ballot number")
        rows.append(row)
    return sorted(rows, key=lambda r: r["number"])


def _check_counts(section: YamlMap, rows: list[YamlMap], key: str, report: Report) -> None:
    """The counts add up to the valid votes; each share recomputes from its count."""
    valid = section["valid_votes"]
    total = sum(row["votes"] for row in rows)
    if rows and total != valid:
        report.add(PATH, *section.value_where("valid_votes"),
                   f"the {key}' votes add up to {total}, not to valid_votes {valid}",
                   "check each count against the decree; a digit may be missing or swapped")
    for row in rows:
        computed = Decimal(row["votes"]) * 100 / Decimal(valid)
        written = Decimal(str(row["percent"]))
        # the rounding the figure is written with: 24.95 is right for anything in [24.945, 24.955]
        allowed = Decimal(1).scaleb(written.as_tuple().exponent) / 2
        if abs(computed - written) > allowed:
            report.add(PATH, *row.value_where("percent"),
                       f"percent {row['percent']} does not match {row['votes']} of {valid} votes "
                       f"({computed.quantize(Decimal('0.01'))}%)",
                       "recompute it: votes × 100 ÷ valid_votes, rounded as the source rounds it")


def _check_seats(dpr: YamlMap, rows: list[YamlMap], report: Report) -> None:
    """Seats add up to the house; only parties over the threshold hold any."""
    total = sum(row["seats"] for row in rows)
    if rows and total != dpr["seats_total"]:
        report.add(PATH, *dpr.value_where("seats_total"),
                   f"the parties' seats add up to {total}, not to seats_total {dpr['seats_total']}",
                   "check each party's seats against the seat decree")
    threshold = Decimal(str(dpr["threshold_percent"]))
    for row in rows:
        share = Decimal(row["votes"]) * 100 / Decimal(dpr["valid_votes"])
        if row["seats"] and share < threshold:
            report.add(PATH, *row.value_where("seats"),
                       f"party {row['number']} holds {row['seats']} seats with {share.quantize(Decimal('0.01'))}% "
                       f"of the votes, under the {dpr['threshold_percent']}% threshold",
                       "only parties over the threshold get DPR seats: check its votes and seats")


def _check_ticket_results(rows: list[YamlMap], tickets: dict, report: Report) -> None:
    """A ticket's result in content/tickets.yaml must say what this file says."""
    for row in rows:
        ticket = tickets.get(row["number"])
        if ticket is not None and ticket.result is not None and ticket.result.percent != row["percent"]:
            report.add(PATH, *row.value_where("percent"),
                       f"ticket {row['number']} has {row['percent']}% here but {ticket.result.percent}% "
                       "in content/tickets.yaml", "make both say what the decree says")


def official(results: Results | None, now: dt.datetime) -> bool:
    """Are the results official at `now`? Before, no figure of them is shown anywhere."""
    return results is not None and now >= results.official_at
