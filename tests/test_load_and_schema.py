"""Load and check stages on tiny inputs: positions, conversions, messages."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from panduan import schema
from panduan.load import YamlSyntaxError, load_markdown, parse_yaml
from panduan.problems import Report
from panduan.snapshot import Snapshot


def test_yaml_remembers_lines_and_columns_of_keys_and_items():
    data = parse_yaml("parties:\n  - number: 1\n    abbr: PKB\n  - number: 2\n")
    assert data.where("parties") == (1, 1)
    assert data["parties"].where(1) == (4, 5)
    assert data["parties"][0].where("abbr") == (3, 5)
    assert data["parties"][0].value_where("abbr") == (3, 11)


def test_yaml_syntax_error_names_line_in_plain_words():
    with pytest.raises(YamlSyntaxError) as error:
        parse_yaml("a: 1\nb:\n\t- 2\n")
    assert (error.value.line, error.value.message) == (3, "YAML syntax error: a tab is used for indenting; use spaces")


def test_yaml_impossible_date_stays_text_for_the_schema():
    assert parse_yaml("d: 2023-02-29")["d"] == "2023-02-29"
    assert parse_yaml("d: 2024-02-29")["d"] == dt.date(2024, 2, 29)


def test_front_matter_lines_match_the_file(tmp_path: Path):
    (tmp_path / "p.md").write_text("---\ntitle: A\nsummary: B\norder: 1\n---\n\nBody\n", encoding="utf-8")
    report = Report()
    source = load_markdown(Snapshot(tmp_path), "p.md", report)
    assert report.problems == []
    assert source.data.where("order") == (4, 1)
    assert source.body.strip() == "Body"
    assert source.body_line + source.body[:source.body.index("Body")].count("\n") == 7   # "Body" is on line 7


def check(record: str, kind_schema: schema.Schema) -> list[str]:
    report = Report()
    schema.validate(parse_yaml(record), kind_schema, "f.yaml", report)
    return [str(p) for p in report.problems]


def test_schema_reports_every_problem_of_a_record():
    problems = check("number: satu\nabbr: PKB\nnmae: X\nscope: nasional\nsource: kpu\n", schema.PARTY)
    assert problems == [
        "f.yaml:3:1: unknown key 'nmae' in party\n   hint: did you mean 'name'?",
        "f.yaml:1:9: number: expected a whole number, got 'satu'",
        "f.yaml:4:8: scope: must be one of national, aceh, got 'nasional'\n   hint: did you mean 'national'?",
    ]


def test_schema_converts_quoted_dates_and_fills_defaults():
    report = Report()
    item = schema.validate(parse_yaml("title: T\nsummary: S\norder: 2\n"), schema.PAGE, "p.md", report)
    assert report.problems == [] and item["sources"] == () and item["slug"] is None
    stage = schema.validate(parse_yaml("id: a\ntitle: A\nstart: '2024-02-14'\nend: 2024-02-14\n"
                                       "description: D\nsource: s\n"), schema.STAGE, "s.yaml", Report())
    assert stage["start"] == dt.date(2024, 2, 14)


@pytest.mark.parametrize("slug", ["../etc", "Jadwal", "a/b", "a--b-", ""])
def test_slugs_cannot_leave_the_site_or_vary_in_case(slug):
    problems = check(f"title: T\nsummary: S\norder: 1\nslug: '{slug}'\n", schema.PAGE)
    assert problems and "expected a slug" in problems[0]


def test_editor_backup_and_swap_files_beside_pages_are_not_sources(tmp_path: Path):
    from sites import assemble, run_build
    root = assemble(tmp_path / "guide")
    pages = root / "content/pages"
    for name in ("tentang.md~", "#tentang.md#", "tentang.md.tmp", ".tentang.md.swp"):
        (pages / name).write_text("bukan halaman")
    result = run_build(root, "--now", "2024-01-10T10:00:00+07:00", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "tentang.md" not in result.stderr
