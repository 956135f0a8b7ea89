"""Editors' help in their editor: generated JSON Schemas (kept up to date, and agreeing with
the build on the default guide and the broken-site corpus), and `new page` / `new factcheck`."""
from __future__ import annotations

import fnmatch
import json
import shutil
from pathlib import Path

import frontmatter
import jsonschema
import pytest
import yaml

from sites import FIXTURES, NOW, REPO, assemble, run_build

from panduan import content, editors, schema

BROKEN = Path(__file__).resolve().parent / "broken"
# the broken sites whose problem is one a schema can see: a key, a type, a value not allowed, a missing field
SCHEMA_CASES = {
    "bad-publish-at": "content/pages/uji.md", "change-note-without-note": "content/pages/uji.md",
    "fact-check-problems": "content/hoaxes/golput.md", "missing-required": "content/schedule.yaml",
    "phase-unknown-key": "guide.yaml", "several-problems": "content/parties.yaml",
    "unknown-key": "content/parties.yaml", "unknown-phase": "content/pages/uji.md",
    "unquoted-time": "guide.yaml", "wrong-type": "content/parties.yaml",
    "invalid-date": None,   # 2024-02-30 has the shape of a date: only the build knows February
}


def test_the_committed_schemas_are_up_to_date():
    for relative, text in editors.generated().items():
        assert (REPO / relative).is_file(), f"{relative} is missing: run ./run schema"
        assert (REPO / relative).read_text(encoding="utf-8") == text, \
            f"{relative} is out of date: run ./run schema and commit it"


class EditorYaml(yaml.SafeLoader):
    """YAML as editors' tools read it (YAML 1.2: a date is the text the editor wrote)."""


EditorYaml.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def schema_errors(root: Path) -> dict[str, list[str]]:
    """Each content file of the guide in `root` that its JSON Schema rejects, with the reasons."""
    found = {}
    files = [path.relative_to(root).as_posix() for path in [root / "guide.yaml", *(root / "content").rglob("*")]]
    for relative in sorted(files):
        pattern = next((p for p in content.SCHEMAS if fnmatch.fnmatch(relative, p)), None)
        if pattern is None:
            continue
        text = (root / relative).read_text(encoding="utf-8")
        if relative.endswith(".md"):
            if not frontmatter.YAMLHandler().detect(text):
                continue   # no front matter: the build says so when loading, before any schema
            text = frontmatter.YAMLHandler().split(text)[0]
        data = yaml.load(text, EditorYaml)
        validator = jsonschema.Draft7Validator(editors.json_schema(pattern))
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
        if errors:
            found[relative] = errors
    return found


def test_every_generated_schema_is_a_valid_json_schema():
    for pattern in content.SCHEMAS:
        jsonschema.Draft7Validator.check_schema(editors.json_schema(pattern))


@pytest.mark.parametrize("guide", [REPO, FIXTURES / "mini"], ids=["default", "mini"])
def test_the_guides_content_files_fit_their_schemas(guide):
    assert schema_errors(guide) == {}


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_the_schemas_reject_a_broken_site_where_the_build_does(case, tmp_path):
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    overlay = BROKEN / case
    for path in overlay.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            shutil.copyfile(path, root / path.relative_to(overlay))
    rejected = schema_errors(root)
    assert list(rejected) == ([SCHEMA_CASES[case]] if SCHEMA_CASES[case] else []), rejected


def test_a_new_schema_field_appears_in_the_generated_schema(monkeypatch):
    fields = dict(schema.PARTY.fields, motto=schema.Field(schema.Text(), "the party's motto", required=False))
    monkeypatch.setitem(content.SCHEMAS, "content/parties.yaml", (schema.Schema("party", fields), "parties"))
    generated = json.loads(editors.generated()["schemas/parties.schema.json"])
    assert generated["properties"]["parties"]["items"]["properties"]["motto"]["description"] == "the party's motto"


def test_new_page_writes_a_draft_in_both_languages_that_builds(tmp_path):
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    made = run_build(root, "new", "page", "cara-lapor")
    assert made.returncode == 0, made.stderr
    assert (root / "content/pages/cara-lapor.md").is_file() and (root / "content/pages/cara-lapor.en.md").is_file()
    assert schema_errors(root) == {}
    built = run_build(root, "--now", NOW, "--drafts", "--strict")
    assert built.returncode == 0, built.stderr
    assert (root / "_site/cara-lapor/index.html").is_file() and (root / "_site/en/cara-lapor/index.html").is_file()
    again = run_build(root, "new", "page", "cara-lapor")
    assert again.returncode == 2 and "exists already" in again.stderr
    assert run_build(root, "new", "page", "Bukan Slug").returncode == 2


def test_new_factcheck_is_refused_until_its_verdict_and_sources_are_set(tmp_path):
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    made = run_build(root, "new", "factcheck", "klaim-baru")
    assert made.returncode == 0, made.stderr
    page = root / "content/hoaxes/klaim-baru.md"
    source = yaml.safe_load((root / "content/sources.yaml").read_text())["sources"][0]["id"]
    for missing, fix in (("missing 'verdict'", ("verdict:  ", "verdict: hoaks  ")),
                         ("at least one source", ("sources: []", f"sources: [{source}]"))):
        refused = run_build(root, "--now", NOW)
        assert refused.returncode == 1
        problems = [line for line in refused.stderr.splitlines() if line[:1].isdigit()]
        assert len(problems) == 1 and "content/hoaxes/klaim-baru.md" in problems[0], refused.stderr
        assert missing in problems[0]
        page.write_text(page.read_text().replace(*fix))
    built = run_build(root, "--now", NOW, "--strict")
    assert built.returncode == 0, built.stderr
    assert (root / "_site/cek-fakta/klaim-baru/index.html").is_file()
    assert (root / "_site/en/cek-fakta/klaim-baru/index.html").is_file()
