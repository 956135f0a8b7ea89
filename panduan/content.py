"""Content: the registry of the guide's content files, which load, model and plan iterate over.

Each kind of content file is one `ContentFile` in `FILES`: where it is (a
file, or a folder's Markdown files), the schema its records follow, the
reader that turns them into the model's objects (the `Guide` field it
fills), and, for kinds whose records get pages of their own, the planner
that adds their outputs. `load.load_tree` reads the files of every entry,
`build_guide` runs every reader (the sources first: every other file cites
them), `plan.plan_site` runs every planner, and the editors' JSON Schemas
(`./run schema`) are made from `SCHEMAS`. Adding a kind of content is one
entry here, a reader, a `Guide` field and a template (README.md, "Adding a
kind of content").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from zoneinfo import ZoneInfo

from . import model, schema
from .i18n import LANGUAGES
from .load import SourceTree
from .model import Config, Guide
from .plan import Output, Planning, plan_fact_checks, plan_pages
from .problems import Report


@dataclass(frozen=True)
class ContentFile:
    pattern: str                  # a file ("content/parties.yaml") or a folder's files ("content/pages/*.md")
    schema: schema.Schema         # what each record holds (for Markdown: its front matter)
    key: str | None               # the key of the file's list of records; None: the file is one record
    field: str                    # the Guide field its reader fills
    read: Callable[[Reading], object]
    required: bool = True         # a missing file is a problem; else it is read when present
    translation: schema.Schema | None = None   # Markdown: what a translation (x.en.md) gives
    plan: Callable[[Planning], list[Output]] | None = None   # the outputs of its records, per language

    @property
    def folder(self) -> str | None:
        """The folder of a Markdown kind ("content/pages"); None for a single file."""
        return self.pattern.removesuffix("/*.md") if self.pattern.endswith("/*.md") else None


@dataclass
class Reading:
    """What the readers of one build share: the tree, the report, the citer, and what the readers
    before them found, by Guide field."""
    tree: SourceTree
    report: Report
    cite: model.Citer | None = None
    found: dict[str, object] = field(default_factory=dict)
    party_numbers: set[int] | None = None   # numbers written in parties.yaml (None: unreadable)
    source_lines: dict[str, tuple[int, int]] = field(default_factory=dict)   # where each source is

    @property
    def config(self) -> Config | None:
        return self.found.get("config")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.config.timezone if self.config is not None else "Asia/Jakarta")

    @property
    def default(self) -> str:
        return self.config.language if self.config is not None else LANGUAGES[0]


# In the order editors' tools list them (SCHEMAS); the readers run in this order too, sources first.
FILES = (
    ContentFile("guide.yaml", schema.GUIDE, None, "config", model.read_config),
    ContentFile("content/sources.yaml", schema.SOURCE, "sources", "sources", model.read_sources),
    ContentFile("content/schedule.yaml", schema.STAGE, "stages", "stages", model.read_stages),
    ContentFile("content/parties.yaml", schema.PARTY, "parties", "parties", model.read_parties),
    ContentFile("content/tickets.yaml", schema.TICKET, "tickets", "tickets", model.read_tickets),
    ContentFile("content/numbers.yaml", schema.NUMBER, "numbers", "numbers", model.read_numbers),
    ContentFile("content/messages.yaml", schema.MESSAGE, "messages", "messages", model.read_messages),
    ContentFile("content/results.yaml", schema.RESULTS, None, "results", model.read_results, required=False),
    ContentFile("content/pages/*.md", schema.PAGE, None, "pages", model.read_pages,
                translation=schema.TRANSLATED_PAGE, plan=plan_pages),
    ContentFile("content/hoaxes/*.md", schema.FACT_CHECK, None, "fact_checks", model.read_fact_checks,
                translation=schema.TRANSLATED_FACT_CHECK, plan=plan_fact_checks),
)

# Which schema each content file follows, and the key holding its list of records (None: the
# file is one record), for editors' tools (editors.py); translations before originals.
SCHEMAS = {
    name: found for entry in FILES for name, found in (
        *((f"{entry.folder}/*.{lang}.md", (entry.translation, None)) for lang in LANGUAGES[1:]
          if entry.translation is not None),
        (entry.pattern, (entry.schema, entry.key)))
}


def build_guide(tree: SourceTree, report: Report, files=FILES) -> Guide | None:
    """Build the Guide: each content file's reader fills its field, the sources' first (every other
    file cites them). None when the settings file is unusable."""
    reading = Reading(tree, report)
    for entry in sorted(files, key=lambda entry: entry.field != "sources"):
        reading.found[entry.field] = entry.read(reading)
    for source_id, where in reading.source_lines.items():
        if source_id not in reading.cite.cited:
            report.warn("content/sources.yaml", *where, f"source '{source_id}' is never cited",
                        "cite it where its fact is used, or remove it")
    if reading.config is None:
        return None
    citations = {key: tuple(sorted(places)) for key, places in sorted(reading.cite.cited.items())}
    return Guide(**reading.found, citations=citations)
