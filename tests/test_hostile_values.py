"""Values are checked where they enter, and control characters never reach the output (issue 14 §3).

The cases with a message are folders in tests/broken/ (control-characters,
newline-in-a-name, ballot-number-too-large, number-with-too-many-digits,
date-out-of-range, slug-with-a-newline, yaml-alias-bomb, yaml-too-deep-*,
markdown-too-deep); here: --now, and what is handled rather than refused.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import icalendar
import pytest
import yaml

from panduan import load

from sites import NOW, run_build, tree_bytes

CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")


@pytest.mark.parametrize("now, message", [
    ("0001-01-01", "--now: the year 1 is not between 1900 and 2199"),
    ("9999-12-31T23:59-12:00", "--now: the year 9999 is not between 1900 and 2199"),
    ("2024-02-14\x01", "--now: '2024-02-14\\x01' is not an ISO date-time, e.g. 2024-02-14T08:00+07:00"),
    ("x" * 500, f"--now: '{'x' * 39}…' is not an ISO date-time, e.g. 2024-02-14T08:00+07:00"),
])
def test_a_moment_outside_the_calendar_is_a_usage_error(mini, tmp_path, now, message):
    result = run_build(mini, "--out", str(tmp_path / "site"), "--now", now)
    assert result.returncode == 2
    assert result.stderr == f"build.py: {message}\n"


def test_character_references_to_control_characters_never_reach_the_output(mini, tmp_path):
    page = mini / "content/pages/tentang.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "order: 4\n", "order: 4\nchanges:\n  - {date: 2024-01-09, note: 'Catatan &#1; &#0; baru'}\n")
        + "\nBunyi &#7; lonceng &#0; dan &#x1b;[31m merah &#xFFFF; &#128; &#x85;.\n", encoding="utf-8")
    result = run_build(mini, "--out", str(tmp_path / "site"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    site = tree_bytes(tmp_path / "site")
    assert "Bunyi  lonceng \ufffd dan [31m merah  € …." in site["tentang/index.html"].decode()
    for name, data in site.items():
        if name.endswith((".html", ".xml", ".ics", ".json", ".js", ".txt")):
            assert not CONTROL.search(data), name
        if name.endswith(".xml"):
            ElementTree.fromstring(data)          # well-formed
        if name.endswith(".ics"):
            icalendar.Calendar.from_ical(data)    # parses
    assert "Catatan &amp;#1; &amp;#0; baru" in site["pembaruan/atom.xml"].decode()   # text, shown as written


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("text, message", [
    ("a: &x [lol, lol]\nb: [*x, *x]\n", "an alias (*name) is not allowed"),
    ("a: " + "[" * 500 + "]" * 500 + "\n", "nested more than 40 levels deep"),
    ("".join("  " * i + "k:\n" for i in range(60)) + "  " * 60 + "v\n", "nested more than 40 levels deep"),
])
def test_the_limits_hold_with_libyaml_composing(text, message):
    """A loader built on CSafeLoader composes in C, past compose_node: the limits hold while building."""
    fast = type("Fast", (yaml.CSafeLoader, load._LocatingLoader), {})(text)
    try:
        with pytest.raises(yaml.MarkedYAMLError, match=re.escape(message)):
            fast.get_single_data()
    finally:
        fast.dispose()
