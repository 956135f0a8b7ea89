"""Sources without clutter, on the real guide: one visible source line per block (a table, a
ticket, the schedule) naming the document ("Sumber: KPU, PKPU 3/2022"), never two links that read
alike but lead to different documents, and every fact still one link away from its source."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from sites import NOW, REPO

ROOT = {"id": "", "en": "en/"}
LABEL = {"id": ("Sumber:",), "en": ("Source:", "Sources:")}


def _yaml(name: str) -> dict:
    return yaml.safe_load((REPO / "content" / name).read_text(encoding="utf-8"))


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


def _lines(fragment: str) -> list[str]:
    return re.findall(r'<p class="source"[^>]*>.*?</p>', fragment, re.S)


def _cited(fragment: str) -> list[str]:
    return re.findall(r'class="cite" href="[^"#]*sumber/#([a-z0-9-]+)"', fragment)


@pytest.mark.parametrize("lang", ROOT)
def test_parties_have_one_source_line_per_table(default_site: Path, lang):
    page = (default_site / ROOT[lang] / "partai" / "index.html").read_text(encoding="utf-8")
    main = page[page.index("<main"):page.index("</main>")]
    tables = re.findall(r"<table.*?</table>\s*(<p class=\"source\".*?</p>)?", main, re.S)
    assert len(tables) == 2 and all(tables)
    assert len(_cited(main)) <= len(tables) + sum(1 for p in _yaml("parties.yaml")["parties"]
                                                   if p["source"] != _yaml("parties.yaml")["parties"][0]["source"])
    sources = {s["id"]: s for s in _yaml("sources.yaml")["sources"]}
    for line in _lines(main):
        assert _text(line).startswith(LABEL[lang])
        for cited in _cited(line):   # the line names the document, not just "KPU"
            short = sources[cited].get("short")
            if short:
                assert (short[lang] if isinstance(short, dict) else short) in _text(line)
    # every party is one link away from its own source: the line under its table, or its row
    for party in _yaml("parties.yaml")["parties"]:
        row = re.search(rf'<tr id="partai-{party["number"]}">.*?</tr>', main, re.S).group(0)
        table_end = main.index("</table>", main.index(row))
        under = _lines(main[table_end:])[0]
        assert party["source"] in _cited(row) + _cited(under), party["abbr"]


@pytest.mark.parametrize("lang", ROOT)
def test_each_ticket_has_one_source_line_naming_both_documents(default_site: Path, lang):
    page = (default_site / ROOT[lang] / "paslon" / "index.html").read_text(encoding="utf-8")
    tickets = re.findall(r'<li id="paslon-\d+">.*?</li>', page, re.S)
    assert len(tickets) == len(_yaml("tickets.yaml")["tickets"])
    for ticket, data in zip(tickets, _yaml("tickets.yaml")["tickets"]):
        lines = _lines(ticket)
        assert len(lines) == 1 and _text(lines[0]).startswith(LABEL[lang])
        supporters = [supporter["source"] for supporter in data.get("supporters", [])]   # cited beside each
        official = data.get("result") and str(_yaml("results.yaml")["official_at"])[:10] <= NOW[:10]   # shown from then
        expected = [data["source"]] + ([data["result"]["source"]] if official else [])
        assert _cited(ticket) == supporters + list(dict.fromkeys(expected))   # each document once, all in the line
        names = [_text(a) for a in re.findall(r'<a class="cite"[^>]*>.*?</a>', lines[0], re.S)]
        assert len(set(names)) == len(names)


@pytest.mark.parametrize("lang", ROOT)
def test_schedule_cites_its_common_source_once(default_site: Path, lang):
    page = (default_site / ROOT[lang] / "jadwal" / "index.html").read_text(encoding="utf-8")
    stages = _yaml("schedule.yaml")["stages"]
    others = [s for s in stages if s["source"] != stages[0]["source"]]
    assert len(_cited(page[page.index("<main"):page.index("</main>")])) == 1 + len(others)
    for stage in others:
        block = re.search(rf'<li class="stage[^"]*" id="{stage["id"]}">.*?</li>', page, re.S).group(0)
        assert _cited(block) == [stage["source"]]


def test_no_two_source_links_read_alike_but_lead_apart(default_site: Path):
    for page in default_site.rglob("*.html"):
        seen: dict[str, str] = {}
        for href, text in re.findall(r'<a class="cite" href="([^"]+)"[^>]*>(.*?)</a>', page.read_text(encoding="utf-8")):
            text = _text(text).split(":", 1)[-1].strip()   # the document's name, with or without "Sumber:"
            assert seen.setdefault(text, href) == href, f"{page}: '{text}' leads to {href} and {seen[text]}"
