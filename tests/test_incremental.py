"""Incremental rebuilds are a cache of the build: any edit sequence ends byte-identical to a clean build.

The property test edits the mini guide (tests/fixtures/mini): every kind of edit it makes
reaches the same stages there as in the default guide, at a fraction of the build time."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from live import clean_build, moment
from sites import FIXTURES, assemble, commit_all, git, tree_bytes

from panduan.builder import build
from panduan.cache import Memo, new_store
from panduan.problems import ContentError
from panduan.watch import Session

PAGES = "content/pages"
NEW_PAGE = "---\ntitle: {title}\nsummary: Ringkasan.\norder: {order}\nsources: [{source}]\n---\n{body}\n"
WORDS = st.sampled_from(["Pemilu", "suara", "TPS", "coblos", "sah", "KPU", "hoaks"])
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)

edits = st.one_of(
    st.tuples(st.just("body"), st.integers(0, 20), TEXT),
    st.tuples(st.just("body"), st.integers(0, 20), TEXT),   # the commonest edit, and quick.py's
    st.tuples(st.just("body"), st.integers(0, 20), st.sampled_from(["[rusak](/tidak-ada/)", "## Judul", "#### Lompat"])),
    st.tuples(st.just("blank"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("title"), st.integers(0, 20), TEXT),
    st.tuples(st.just("summary"), st.integers(0, 20), TEXT),
    st.tuples(st.just("add"), st.integers(0, 20), TEXT),
    st.tuples(st.just("delete"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("rename"), st.integers(0, 20), st.sampled_from(["pindah", "baru-lagi", "lain"])),
    st.tuples(st.just("data"), st.integers(0, 20), st.sampled_from(["1234567", "1234568", "1"])),
    st.tuples(st.just("break"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("fix"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("commit"), st.integers(6, 9), st.just("")),
)


def apply(root: Path, edit: tuple) -> set[Path]:
    """Make the edit; the paths a watcher would report."""
    kind, index, text = edit
    pages = sorted((root / PAGES).glob("*.md"))
    page = pages[index % len(pages)] if pages else None
    broken = root / "content/numbers.yaml.good"
    numbers = root / "content/numbers.yaml"
    if kind == "body" and page:
        page.write_text(page.read_text() + f"\n{text}\n")
    elif kind == "blank" and page:
        text = page.read_text()
        page.write_text(text[: text.index("---\n", 4) + 4])
    elif kind in ("title", "summary") and page:
        lines = page.read_text().split("\n")
        page.write_text("\n".join(f"{kind}: {text}" if line.startswith(f"{kind}:") else line for line in lines))
    elif kind == "add":
        page = root / PAGES / f"tambah-{index}.md"
        page.write_text(NEW_PAGE.format(title=text, order=index, body=text, source="aturan"))
    elif kind == "delete" and page and len(pages) > 1:
        page.unlink()
    elif kind == "rename" and page and not (root / PAGES / f"{text}.md").exists():
        page.rename(root / PAGES / f"{text}.md")
        return {page, root / PAGES / f"{text}.md"}
    elif kind == "data" and not broken.exists():
        numbers.write_text(numbers.read_text().replace("value: 1234567", f"value: {text}", 1))
        return {numbers}
    elif kind == "break" and not broken.exists():
        shutil.copy(numbers, broken)
        numbers.write_text(numbers.read_text() + "  - id: [rusak\n")
        return {numbers, broken}
    elif kind == "fix" and broken.exists():
        broken.replace(numbers)
        return {numbers, broken}
    else:
        return set()
    return {page}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """One folder for every example (emptied for each), so that they share compiled templates."""
    return tmp_path_factory.mktemp("example")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits, min_size=1, max_size=6))
def test_any_edit_sequence_ends_equal_to_a_clean_build(folder, sequence):
    """After every edit the output equals a clean build of the tree (or, if that fails, the last good site).
    The guide is a git repository, so edits move "last updated" dates, and so do commits between them.
    Watch mode writes a site without its search index first: each step is compared so, and the
    search index made after the last edit is compared with a clean build's once at the end
    (when the final tree builds)."""
    shutil.rmtree(folder, ignore_errors=True)
    root = commit_all(assemble(folder / "guide", FIXTURES / "mini"))
    session = Session(root, folder / "out", moment)
    assert session.rebuild().ok
    last_good = tree_bytes(session.out)
    for step, edit in enumerate(sequence):
        if edit[0] == "commit":   # in a terminal: the watcher sees nothing, the next edit must notice
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", "edit", when=f"2024-01-0{edit[1]}T09:00:00+07:00")
            continue
        outcome = session.rebuild(apply(root, edit))
        expected, warnings = _clean_build_and_warnings(root, folder / f"clean-{step}")
        if expected is None:
            assert not outcome.ok
            assert tree_bytes(session.out) == last_good, "a failed build must leave the output alone"
        else:
            assert outcome.ok, outcome.problems
            last_good = tree_bytes(session.out)
            assert last_good == expected, f"differs from a clean build after {edit} ({outcome.rendered} outputs rendered)"
            assert outcome.warnings == warnings
    expected = clean_build(root, folder / "clean")
    if expected is not None:
        assert session.rebuild().ok   # after a last commit (the watcher saw nothing) too
        session.refresh_search()
        assert tree_bytes(session.out) == expected, "the search index differs from a clean build's"


def _clean_build_and_warnings(root: Path, out: Path) -> tuple[dict[str, bytes] | None, tuple]:
    """What a clean build without the search index writes and warns (None and no warnings on problems)."""
    try:
        built = build(root, out, moment(), search=False)
    except ContentError:
        return None, ()
    return tree_bytes(out), tuple(built.warnings)


def test_the_cache_on_disk_survives_damage_and_changes_nothing(tmp_path):
    root = assemble(tmp_path / "guide")
    fresh = clean_build(root, tmp_path / "fresh")
    folder = tmp_path / "cache"
    for damage in (None, b"not a cache", b""):
        if damage is not None:
            (folder / "cache.txt").write_bytes(damage)
        cache = new_store(folder)
        build(root, tmp_path / "out", moment(), memo=Memo(cache))
        cache.save(folder)
        assert tree_bytes(tmp_path / "out") == fresh
    warm = new_store(folder)
    build(root, tmp_path / "out", moment(), memo=Memo(warm))
    assert set(warm.misses) == {"parse", "model"}, \
        "an unchanged tree should be built from the cache (parsed files and the model, objects, are not kept)"
    assert set(warm.hits) == {"prose", "render", "trace", "links", "search"}
    assert tree_bytes(tmp_path / "out") == fresh


def test_the_cache_notices_a_template_change(tmp_path):
    root = assemble(tmp_path / "guide")
    cache = new_store()
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    base = root / "templates/partials/footer.html"   # the footer, rendered once per language and folder
    base.write_text(base.read_text().replace("</footer>", "<p>Lompat ke isi</p></footer>"))
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert tree_bytes(tmp_path / "out") == clean_build(root, tmp_path / "clean")
    assert "Lompat ke isi" in (tmp_path / "out/index.html").read_text()


def test_build_py_twice_with_a_cache_and_a_damaged_cache(tmp_path):
    from sites import run_build
    root = assemble(tmp_path / "guide")
    outputs = []
    for step in ("cold", "warm", "damaged"):
        if step == "damaged":
            (tmp_path / "cache/cache.txt").write_bytes(b"\x80\x05garbage")
        result = run_build(root, "--now", "2024-01-10T10:00:00+07:00", "--cache-dir", str(tmp_path / "cache"),
                           "--out", str(tmp_path / step))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "cache/cache.txt").is_file()
        outputs.append(tree_bytes(tmp_path / step))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0] == clean_build(root, tmp_path / "clean")


def test_a_changed_git_date_rerenders_only_the_outputs_that_show_it(tmp_path, monkeypatch):
    """Editing a committed page removes its 'last updated' date: its own pages and the
    sitemap change, every other rendering is reused, and the result equals a clean build."""
    from panduan.render import Renderer

    root = commit_all(assemble(tmp_path / "guide"))
    cache = new_store()
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert "2024-01-05" in (tmp_path / "out/sitemap.xml").read_text()
    rendered = []
    plain = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, output: rendered.append(output.url) or plain(self, output))
    page = root / "content/pages/tentang.md"
    page.write_text(page.read_text() + "\nKalimat yang belum di-commit.\n")
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert "/tentang/" in rendered and "/en/tentang/" in rendered and "/sitemap.xml" in rendered
    assert not {"/", "/jadwal/", "/cara-mencoblos/", "/en/cara-mencoblos/"} & set(rendered), rendered
    assert len(rendered) < 12, rendered   # the page, /sumber/, /pembaruan/ and its feed (which list every page), the sitemap
    assert tree_bytes(tmp_path / "out") == clean_build(root, tmp_path / "clean")
    git(root, "commit", "-qam", "kalimat", when="2024-01-08T09:00:00+07:00")   # a new date for the page
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert "2024-01-08" in (tmp_path / "out/sitemap.xml").read_text()
    assert tree_bytes(tmp_path / "out") == clean_build(root, tmp_path / "clean-after-commit")


def test_a_title_or_summary_edit_rerenders_only_the_outputs_that_show_it(tmp_path, monkeypatch):
    """A page's title is shown on its own pages, the home page, /cari/ and in the footer (the
    first twelve pages); its summary on the home page and /cari/. Nothing else is redone."""
    from panduan.render import Renderer

    root = assemble(tmp_path / "guide")
    for number in range(12):   # more pages than the footer lists
        (root / PAGES / f"tambah-{number}.md").write_text(NEW_PAGE.format(title=f"Tambahan {number}", order=100 + number,
                                                                         body="Isi.", source="pkpu-3-2022"))
    cache = new_store()
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    rendered = []
    plain = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, output: rendered.append(output.url) or plain(self, output))
    page = root / PAGES / "tambah-11.md"
    for before, after in (("title: Tambahan 11", "title: Tambahan Sebelas"),
                          ("summary: Ringkasan.", "summary: Ringkasan baru.")):
        rendered.clear()
        page.write_text(page.read_text().replace(before, after))
        build(root, tmp_path / "out", moment(), memo=Memo(cache))
        assert sorted(rendered) == ["/", "/cari/", "/en/", "/en/cari/", "/en/tambah-11/", "/tambah-11/"]
        assert tree_bytes(tmp_path / "out") == clean_build(root, tmp_path / f"clean-{after}")
    shown = root / PAGES / "tentang.md"   # in the footer: every Indonesian page shows its title
    rendered.clear()
    shown.write_text(shown.read_text().replace("title: Tentang", "title: Tentang Kami"))
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert {"/jadwal/", "/partai/", "/cara-mencoblos/", "/tambah-3/"} <= set(rendered)
    assert "/en/jadwal/" not in rendered   # the English footer shows tentang.en.md's title
    assert tree_bytes(tmp_path / "out") == clean_build(root, tmp_path / "clean-footer")


def test_a_template_reading_summaries_through_a_filter_is_traced(tmp_path):
    """`map(attribute='summary')` reads items, not attributes: still traced, still equal to a clean build."""
    root = assemble(tmp_path / "guide")
    template = root / "templates/page.html"
    template.write_text(template.read_text().replace(
        "{{ body }}", "{{ body }}<p>{{ pages|map(attribute='summary')|join('; ') }}</p>"))
    cache = new_store()
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    page = root / PAGES / "tentang.md"
    page.write_text(page.read_text().replace("summary: Apa panduan ini", "summary: Inilah panduan ini"))
    build(root, tmp_path / "out", moment(), memo=Memo(cache))
    assert "Inilah panduan ini" in (tmp_path / "out/cara-mencoblos/index.html").read_text()
    assert tree_bytes(tmp_path / "out") == clean_build(root, tmp_path / "clean")
