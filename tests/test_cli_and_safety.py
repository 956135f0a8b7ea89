"""The command line as editors and CI use it, and content that must never be trusted."""
from __future__ import annotations

import re

import pytest

import sites
from panduan import copy_notice, urls, write
from sites import NOW, run_build, tree_bytes


@pytest.mark.parametrize("broken", [False, True], ids=["good", "broken"])
def test_run_build_gives_what_build_py_started_afresh_gives(mini, tmp_path, broken):
    """The tests' run_build (sites.py) forks from the test process: its exit code, standard output
    and error equal those of build.py started by a shell, for a good guide and for a broken one
    (only the time each build took differs)."""
    if broken:
        (mini / "content/numbers.yaml").write_text("- id: [rusak\n", encoding="utf-8")
    else:
        page = mini / "content/pages/tentang.md"   # a warning, on stderr
        page.write_text(page.read_text(encoding="utf-8") + "\n#### Lompat\n", encoding="utf-8")
    args = ("--now", NOW, "--no-cache", "--out")
    forked = run_build(mini, *args, str(tmp_path / "forked"))
    started = sites.run_build_afresh(mini, *args, str(tmp_path / "started"), hash_seed="random")
    assert forked.returncode == started.returncode == (1 if broken else 0), forked.stderr
    same = lambda text: re.sub(r"in [0-9.]+s", "in Ns", text.replace(str(tmp_path / "started"), "OUT"))  # noqa: E731
    assert same(forked.stdout.replace(str(tmp_path / "forked"), "OUT")) == same(started.stdout)
    assert forked.stderr == started.stderr
    assert ("content/numbers.yaml:2:1: YAML syntax error" if broken else "warning:") in forked.stderr


def test_run_build_prints_warnings_and_exits_as_a_new_python_does(tmp_path, monkeypatch):
    """pytest records Python's warnings in the test process; the forked build prints them, under
    Python's default filters (a DeprecationWarning only from the main script), as build.py would."""
    script = "import sys, warnings\nwarnings.warn('a')\nwarnings.warn('b', DeprecationWarning)\nprint('c')\nsys.exit(3)\n"
    (tmp_path / "build.py").write_text(script, encoding="utf-8")
    monkeypatch.setattr(sites, "REPO", tmp_path)
    forked, started = sites.run_build(tmp_path), sites.run_build_afresh(tmp_path, hash_seed="random")
    assert forked.returncode == started.returncode == 3 and forked.stdout == started.stdout == "c\n"
    assert forked.stderr == started.stderr and "UserWarning: a" in forked.stderr and "DeprecationWarning: b" in forked.stderr


def test_usage_errors_exit_2(mini, tmp_path):
    assert run_build(mini, "publish").returncode == 2
    bad_now = run_build(mini, "--now", "besok")
    assert bad_now.returncode == 2
    assert "--now: 'besok' is not an ISO date-time" in bad_now.stderr
    assert run_build(tmp_path).returncode == 2          # no guide.yaml here


def test_naive_now_is_read_in_the_guide_time_zone(mini, tmp_path):
    result = run_build(mini, "--out", str(tmp_path / "s"), "--now", "2024-02-13T23:30")
    assert result.returncode == 0 and "2024-02-13T23:30:00+07:00" in result.stdout
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Besok</strong> hari pemungutan suara" in home


def test_warnings_fail_only_in_strict_mode(mini, tmp_path):
    page = mini / "content" / "pages" / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n#### Terlalu dalam\n", encoding="utf-8")
    relaxed = run_build(mini, "--out", str(tmp_path / "a"), "--now", NOW)
    assert relaxed.returncode == 0
    assert "content/pages/tentang.md:9: warning: heading 'Terlalu dalam' skips from level 1 to 4" in relaxed.stderr
    strict = run_build(mini, "--out", str(tmp_path / "b"), "--now", NOW, "--strict")
    assert strict.returncode == 1 and not (tmp_path / "b").exists()
    assert "1. content/pages/tentang.md:9: heading 'Terlalu dalam' skips" in strict.stderr


def test_content_cannot_inject_script_or_template_code(mini, tmp_path):
    page = mini / "content" / "pages" / "tentang.md"
    page.write_text('---\ntitle: "<script>alert(1)</script> {{ config }}"\nsummary: "{% for x in y %}"\norder: 4\n---\n'
                    '<img src="https://img.example/x.png" alt="x" onerror="alert(1)"> <iframe src="https://evil.example"></iframe>\n'
                    '<a href="javascript:alert(1)">klik</a> {{ guide.config.base_url }}\n', encoding="utf-8")
    result = run_build(mini, "--out", str(tmp_path / "s"), "--now", NOW)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "s" / "tentang" / "index.html").read_text(encoding="utf-8")
    ours = f"<script>{copy_notice.SCRIPT}</script>"     # the one inline script, allowed by its digest
    assert html.count(ours) == 1
    html = html.replace(ours, "")
    assert "<script>" not in html and "onerror" not in html and "<iframe" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ config }}" in html     # the title, escaped and not evaluated
    assert "{{ guide.config.base_url }}" in html                            # template syntax shown as written
    assert "{% for x in y %}" in html


def test_a_javascript_link_in_markdown_is_a_problem(mini, tmp_path):
    page = mini / "content" / "pages" / "tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[klik](javascript:alert(1))\n", encoding="utf-8")
    result = run_build(mini, "--out", str(tmp_path / "s"), "--now", NOW)
    assert result.returncode == 1
    assert "content/pages/tentang.md:9: link 'javascript:alert(1)' cannot be followed" in result.stderr


def test_output_paths_cannot_leave_the_output_directory(tmp_path):
    for url in ("/../x/", "/a/../../b", "//etc/passwd"):
        with pytest.raises(urls.UnsafeUrl):
            urls.file_for(url)
    with pytest.raises(ValueError):
        write.write_site(tmp_path / "out", {"../escaped.html": b"x"}, ())
    assert not (tmp_path / "escaped.html").exists()


def test_failed_write_leaves_the_previous_site(tmp_path):
    out = tmp_path / "site"
    write.write_site(out, {"index.html": b"old"}, ())
    with pytest.raises(ValueError):
        write.write_site(out, {"index.html": b"new", "../x": b"!"}, ())
    assert tree_bytes(out) == {"index.html": b"old", write.MARKER: write.MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_build_replaces_stale_pages(mini, tmp_path):
    out = tmp_path / "site"
    assert run_build(mini, "--out", str(out), "--now", NOW).returncode == 0
    assert (out / "tentang" / "index.html").exists()
    (mini / "content" / "pages" / "tentang.md").unlink()
    (mini / "content" / "pages" / "tentang.en.md").unlink()   # and its translation
    (mini / "content" / "sources.yaml").write_text(
        (mini / "content" / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build(mini, "--out", str(out), "--now", NOW)
    assert result.returncode == 1   # the sources page links to /tentang/: the editor is told, nothing written
    assert "links to /tentang/, which does not exist" in result.stderr
    assert (out / "tentang" / "index.html").exists()
