"""Editors' help in their editor: JSON Schemas of the content files, and new files from skeletons.

`./run schema` writes one JSON Schema per kind of content file into
schemas/ (and the VS Code settings that apply them to the YAML files), all
derived from schema.py: a field added there appears here at the next run, and
tests/test_editors.py fails while the committed files are out of date.
`./run new page SLUG` and `new factcheck SLUG` write a file in both
languages that the editor fills in.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from . import content, schema
from .i18n import LANGUAGES
from .load import PAGES_DIR

SCHEMAS_DIR = "schemas"
DIALECT = "http://json-schema.org/draft-07/schema#"   # what VS Code's YAML extension reads
HOAXES_DIR = "content/hoaxes"


def schema_file(pattern: str) -> str:
    """schemas/ file of a content-file pattern: guide.yaml -> guide.schema.json,
    content/pages/*.en.md -> pages.en.schema.json."""
    name = pattern.removeprefix("content/").replace("/*", "").replace(".yaml", "").replace(".md", "")
    return f"{name}.schema.json"


def json_schema(pattern: str) -> dict:
    """The JSON Schema of the content files matching `pattern` (for Markdown: their front matter)."""
    record, key = content.SCHEMAS[pattern]
    found = record.json_schema()
    if key is not None:
        found = {"type": "object", "title": pattern, "properties": {key: {
            "description": f"the list of {record.name}s", "type": "array", "items": found}},
            "required": [key], "additionalProperties": False}
    what = "the front matter of " if pattern.endswith(".md") else ""
    return {"$schema": DIALECT, "$id": f"panduan:{schema_file(pattern)}",
            "description": f"{what}{pattern} (generated from panduan/schema.py by `./run schema`)",
            **found}


def generated() -> dict[str, str]:
    """Every generated file, by path relative to the guide's root: its text."""
    files = {f"{SCHEMAS_DIR}/{schema_file(pattern)}": json.dumps(json_schema(pattern), indent=2,
                                                                 ensure_ascii=False) + "\n"
             for pattern in content.SCHEMAS}
    yaml_schemas = {f"./{SCHEMAS_DIR}/{schema_file(pattern)}": pattern
                    for pattern in content.SCHEMAS if pattern.endswith(".yaml")}
    settings = {"yaml.schemas": yaml_schemas, "yaml.validate": True, "yaml.completion": True,
                "yaml.hover": True}
    files[".vscode/settings.json"] = json.dumps(settings, indent=2) + "\n"
    files[".vscode/extensions.json"] = json.dumps({"recommendations": ["redhat.vscode-yaml"]}, indent=2) + "\n"
    return files


def write_schemas(root: Path) -> list[str]:
    """Write every generated file under `root`; the paths that changed."""
    changed = []
    for relative, text in generated().items():
        path = root / relative
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(relative)
    return changed


class Refused(Exception):
    """`new` cannot write what was asked; the message says why."""


def new_files(root: Path, kind: str, slug: str, today: dt.date) -> dict[str, str]:
    """The files `new page SLUG` or `new factcheck SLUG` writes, by path relative to `root`."""
    if kind not in ("page", "factcheck"):
        raise Refused(f"'new {kind}': say 'new page SLUG' or 'new factcheck SLUG'")
    if not schema.SLUG.match(slug or ""):
        raise Refused(f"'{slug}' is not a slug: use lowercase letters, digits and hyphens, e.g. cara-lapor")
    folder = PAGES_DIR if kind == "page" else HOAXES_DIR
    files = {f"{folder}/{slug}.md": (_page if kind == "page" else _fact_check)(root, today)}
    for lang in LANGUAGES[1:]:
        files[f"{folder}/{slug}.{lang}.md"] = _page_translation() if kind == "page" else _fact_check_translation()
    taken = [path for path in files if (root / path).exists()]
    if taken:
        raise Refused(f"{taken[0]} exists already; choose another slug")
    return files


def write_new(root: Path, kind: str, slug: str, today: dt.date) -> list[str]:
    files = new_files(root, kind, slug, today)
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return list(files)


def _next_order(root: Path) -> int:
    """One more than the largest `order:` of the pages, so the new page comes last."""
    orders = [0]
    for path in (root / PAGES_DIR).glob("*.md"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:40]:
            if line.startswith("order:") and line[6:].strip().lstrip("-").isdigit():
                orders.append(int(line[6:].strip()))
    return max(orders) + 1


def _page(root: Path, today: dt.date) -> str:
    return f"""---
title: Judul halaman            # {schema.PAGE.fields["title"].doc}
summary: Satu kalimat ringkasan.  # {schema.PAGE.fields["summary"].doc}
order: {_next_order(root)}                      # {schema.PAGE.fields["order"].doc}
sources: []                     # {schema.PAGE.fields["sources"].doc}, e.g. [pkpu-3-2022]
draft: true                     # remove this line to publish the page
---
<!-- Tulis isi halaman di sini, dalam Markdown. Judul bagian mulai dari ##. -->
Isi halaman.
"""


def _page_translation() -> str:
    return """---
title: Page title
summary: One sentence summary.
---
<!-- The English text of the page, in Markdown; order, sources and draft are set in the Indonesian file. -->
Page text.
"""


def _fact_check(root: Path, today: dt.date) -> str:
    fields = schema.FACT_CHECK.fields
    return f"""---
claim: Klaim seperti yang beredar.   # {fields["claim"].doc}
verdict:                             # {fields["verdict"].doc}
summary: Apa yang benar, dalam satu kalimat.   # {fields["summary"].doc}
checked: {today.isoformat()}                  # {fields["checked"].doc}
sources: []                          # {fields["sources"].doc}: at least one, e.g. [pkpu-3-2022]
---
<!-- Jelaskan apa yang benar, dengan sumbernya. The build refuses this file until verdict and sources are set. -->
Penjelasan.
"""


def _fact_check_translation() -> str:
    return """---
claim: The claim as it circulated.
summary: What is true, in one sentence.
---
<!-- The English explanation; verdict, checked and sources are set in the Indonesian file. -->
Explanation.
"""
