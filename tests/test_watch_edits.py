"""Edits in watch mode: the ordinary build, told which files changed, redoes only what read them,
and equals a clean build.

Each test checks both how much the session rendered again (`Outcome.rendered`: the outputs not
reused from the last build as they were) and, more importantly, that the result is what a clean
build of the tree gives: the same files, byte for byte, and the same warnings.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from live import moment
from sites import assemble, commit_all, git, tree_bytes

from panduan.builder import build
from panduan.watch import Session

PAGE = "content/pages/tentang.md"
TRANSLATION = "content/pages/tentang.en.md"
SHOWING_A_BODY = 1   # a template sees the body of its own output's page alone


@pytest.fixture
def session(tmp_path):
    root = assemble(tmp_path / "guide")
    session = Session(root, tmp_path / "out", moment)
    assert session.rebuild().ok
    session.refresh_search()
    return session


def outputs(session: Session) -> int:
    """How many outputs the build renders from templates: a build that reuses nothing renders them all."""
    return sum(1 for output in session.built.plan.outputs if output.template)


def edit(session: Session, relative: str, change) -> object:
    path = session.root / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    outcome = session.rebuild({path})
    session.refresh_search()
    return outcome


def assert_same_as_clean(session: Session, tmp_path: Path) -> dict[str, bytes]:
    """The session's site and warnings are a clean build's (which raises ContentError if the tree has problems)."""
    clean = build(session.root, tmp_path / "clean", moment())
    assert session.outcome.ok, session.outcome.problems
    site = tree_bytes(session.out)
    assert site == tree_bytes(tmp_path / "clean")
    assert session.outcome.warnings == tuple(clean.warnings)
    return site


def test_a_text_edit_renders_what_shows_it_and_equals_a_clean_build(session, tmp_path):
    outcome = edit(session, PAGE, lambda text: text + "\nKalimat baru tentang TPS.\n")
    assert outcome.ok and outcome.rendered == SHOWING_A_BODY
    site = assert_same_as_clean(session, tmp_path)
    assert "Kalimat baru tentang TPS." in site["tentang/index.html"].decode()
    assert "Kalimat baru tentang TPS." not in site["en/tentang/index.html"].decode()   # it has its own text


def test_a_translation_text_edit_renders_what_shows_it(session, tmp_path):
    outcome = edit(session, TRANSLATION, lambda text: text + "\nA new sentence.\n")
    assert outcome.ok and outcome.rendered == SHOWING_A_BODY
    site = assert_same_as_clean(session, tmp_path)
    assert "A new sentence." in site["en/tentang/index.html"].decode()


def test_the_search_index_follows_the_edit(session):
    edit(session, PAGE, lambda text: text + "\nKata Zyxwvutsrq hanya di sini.\n")
    index = b"".join(data for name, data in tree_bytes(session.out).items() if name.startswith("pagefind/"))
    before = dict(session.search)
    edit(session, PAGE, lambda text: text.replace("Zyxwvutsrq", "Qrstuvwxyz"))
    assert session.search != before and not session.search_stale
    assert index != b"".join(data for name, data in tree_bytes(session.out).items() if name.startswith("pagefind/"))


def test_the_first_save_of_a_committed_page_drops_its_date(tmp_path):
    """Saving a committed page makes its "last updated" date unknown (its text is no longer
    the commit's): its pages, the sitemap and the feed show that, quickly, as a clean build does."""
    root = commit_all(assemble(tmp_path / "guide"))
    session = Session(root, tmp_path / "out", moment)
    assert session.rebuild().ok
    committed = (root / PAGE).read_text(encoding="utf-8")
    assert 'datetime="2024-01-05"' in (session.out / "tentang/index.html").read_text()
    outcome = edit(session, PAGE, lambda text: text + "\nBelum di-commit.\n")
    assert outcome.ok and SHOWING_A_BODY < outcome.rendered < outputs(session)   # and what shows its date
    site = assert_same_as_clean(session, tmp_path / "first")
    assert 'datetime="2024-01-05"' not in site["tentang/index.html"].decode()
    assert 'datetime="2024-01-05"' in site["cara-mencoblos/index.html"].decode()
    outcome = edit(session, PAGE, lambda text: committed)   # back to the committed text: the date returns
    assert outcome.ok and SHOWING_A_BODY < outcome.rendered < outputs(session)
    site = assert_same_as_clean(session, tmp_path / "back")
    assert 'datetime="2024-01-05"' in site["tentang/index.html"].decode()


def test_a_change_to_git_alone_is_seen_by_the_next_save(tmp_path):
    """A save asks git only about the saved file while HEAD and git's index are as they were
    (history.AskedGit). Untracking a page (`git rm --cached`) changes git's index alone: no event,
    no rebuild, and the next save, of another page, must still drop that page's date."""
    root = commit_all(assemble(tmp_path / "guide"))
    session = Session(root, tmp_path / "out", moment)
    assert session.rebuild().ok
    assert edit(session, "content/pages/cara-mencoblos.md", lambda text: text + "\nDisimpan.\n").ok
    git(root, "rm", "-q", "--cached", PAGE)   # the file stays; git no longer tracks it
    assert edit(session, "content/pages/cara-mencoblos.md", lambda text: text + "\nLagi.\n").ok
    site = assert_same_as_clean(session, tmp_path)
    assert 'datetime="2024-01-05"' not in site["tentang/index.html"].decode()


def test_a_commit_between_saves_rerenders_what_shows_the_new_dates(tmp_path):
    """A commit made in a terminal triggers no rebuild; the next save shows its dates too."""
    root = commit_all(assemble(tmp_path / "guide"))
    session = Session(root, tmp_path / "out", moment)
    assert session.rebuild().ok
    assert edit(session, "content/pages/cara-mencoblos.md", lambda text: text + "\nDi-commit.\n").ok
    git(root, "commit", "-qam", "lain", when="2024-01-08T09:00:00+07:00")   # no event, no rebuild
    outcome = edit(session, PAGE, lambda text: text + "\nLalu ini.\n")
    assert outcome.ok and SHOWING_A_BODY < outcome.rendered < outputs(session)
    site = assert_same_as_clean(session, tmp_path)
    assert 'datetime="2024-01-08"' in site["cara-mencoblos/index.html"].decode()


def test_a_commit_of_a_date_read_outside_the_templates_is_shown(tmp_path):
    """The calendars (made in code, not traced per rendering) show the schedule's commit date."""
    root = commit_all(assemble(tmp_path / "guide"))
    session = Session(root, tmp_path / "out", moment)
    assert session.rebuild().ok
    schedule = root / "content/schedule.yaml"
    schedule.write_text(schedule.read_text(encoding="utf-8") + "\n# dicek ulang\n", encoding="utf-8")
    assert session.rebuild({schedule}).ok
    git(root, "commit", "-qam", "jadwal", when="2024-01-08T09:00:00+07:00")
    outcome = edit(session, PAGE, lambda text: text + "\nLalu ini.\n")
    assert outcome.ok
    site = assert_same_as_clean(session, tmp_path)
    assert b"DTSTAMP:20240108" in site["jadwal.ics"]


def test_a_title_edit_renders_what_shows_the_title(session, tmp_path):
    """The footer lists tentang.md's title on every Indonesian page; nothing else is rendered again."""
    outcome = edit(session, PAGE, lambda text: text.replace("title: Tentang", "title: Tentang Kami"))
    assert outcome.ok and SHOWING_A_BODY < outcome.rendered < outputs(session)
    site = assert_same_as_clean(session, tmp_path)
    assert "Tentang Kami" in site["cara-mencoblos/index.html"].decode()


@pytest.mark.parametrize("change", [
    pytest.param(lambda text: re.sub(r"(?m)^order: .*$", "order: 99", text, count=1), id="order"),
    pytest.param(lambda text: text.split("---\n")[0] + "---\n" + "---\n".join(text.split("---\n")[1:2]) + "---\n",
                 id="blank body"),
])
def test_an_edit_of_what_every_output_reads_renders_everything(session, tmp_path, change):
    outcome = edit(session, PAGE, change)
    if outcome.ok:
        assert outcome.rendered == outputs(session)
        assert_same_as_clean(session, tmp_path)


def test_a_broken_link_in_the_text_is_reported_and_its_fix_builds_on_the_last_good_build(session, tmp_path):
    outcome = edit(session, PAGE, lambda text: text + "\nLihat [halaman](/tidak-ada/).\n")
    assert not outcome.ok
    assert [p.path for p in outcome.problems] == [PAGE]
    assert "/tidak-ada/" in outcome.problems[0].message
    outcome = edit(session, PAGE, lambda text: text.replace("(/tidak-ada/)", "(/cara-mencoblos/)"))
    assert outcome.ok and outcome.rendered == SHOWING_A_BODY
    assert_same_as_clean(session, tmp_path)
    outcome = edit(session, PAGE, lambda text: text + "\nLagi.\n")
    assert outcome.ok and outcome.rendered == SHOWING_A_BODY


def test_fixing_a_warning_in_the_text_drops_it(session, tmp_path):
    outcome = edit(session, PAGE, lambda text: text + "\n#### Lompatan\n\nIsi.\n")
    assert outcome.ok and any("skips from level" in p.message for p in outcome.warnings)
    outcome = edit(session, PAGE, lambda text: text.replace("#### Lompatan", "## Lompatan"))
    assert outcome.ok and outcome.rendered == SHOWING_A_BODY
    assert not any("skips from level" in p.message for p in outcome.warnings)
    assert_same_as_clean(session, tmp_path)


def test_a_new_stretch_of_time_renders_everything(tmp_path):
    root = assemble(tmp_path / "guide")
    now = [moment()]
    session = Session(root, tmp_path / "out", lambda: now[0])
    assert session.rebuild().ok
    now[0] = session.built.clock.next_change
    outcome = edit(session, PAGE, lambda text: text + "\nEsok hari.\n")
    assert outcome.ok and outcome.rendered == outputs(session)
