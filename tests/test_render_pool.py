"""Rendering on every core (panduan/render_pool.py) gives what rendering one by one gives:
the same files, problems in the same order, and the same cache entries, whose traces of what
each rendering read key the next, incremental build."""
from __future__ import annotations

import pytest

from live import moment
from sites import assemble

from panduan import render
from panduan.builder import make_site
from panduan.cache import Memo, new_store
from panduan.problems import ContentError


def built(root, forked: bool, monkeypatch, memo=None):
    # decided here, not by the number of outputs and threads: in the whole suite the browser
    # tests' static servers (idle daemon threads) run in this process, and the engine, rightly,
    # does not fork once threads run
    monkeypatch.setattr(render, "worth_forking", lambda count: forked)
    return make_site(root, moment(), memo=memo, search=False)


def test_forked_rendering_equals_rendering_one_by_one(tmp_path, monkeypatch):
    root = assemble(tmp_path / "guide")
    (root / "content/pages/tentang.en.md").unlink()   # an untranslated page: shown in English from Indonesian
    alone, forked = new_store(), new_store()
    alone_memo, forked_memo = Memo(alone), Memo(forked)
    scanned = []   # the links each pool found in its workers' renderings
    pool = render.render_forked

    def spied(*args):
        found = pool(*args)
        scanned.append(found[1])
        return found

    monkeypatch.setattr(render, "render_forked", spied)
    one_by_one = built(root, False, monkeypatch, alone_memo)
    assert not scanned
    pooled = built(root, True, monkeypatch, forked_memo)

    assert scanned and scanned[0], "the renderings were made by the pool's workers"
    assert pooled.files == one_by_one.files
    assert pooled.warnings == one_by_one.warnings
    dates_read = [memo.kept.results["render"].read for memo in (forked_memo, alone_memo)]
    assert dates_read[0] == dates_read[1]
    assert forked.entries.keys() == alone.entries.keys()
    traces = {key: value for key, value in alone.entries.items() if key[0] == "trace"}
    assert traces and all(forked.entries[key] == value for key, value in traces.items())
    assert any(shown for (_, shown), _ in traces.values()), "renderings were seen reading other pages' titles"

    # the next build, after a title edit, re-renders what read the title, with either cache
    page = root / "content/pages/tentang.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: ", "title: Baru ", 1), encoding="utf-8")
    again = built(root, False, monkeypatch, Memo(forked))
    clean = built(root, False, monkeypatch)
    assert again.files == clean.files
    assert b"Baru " in again.files["index.html"]


def test_forked_rendering_reports_template_problems_in_order(tmp_path, monkeypatch):
    root = assemble(tmp_path / "guide")
    page = root / "templates/page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ body }}", "{{ body }}{{ no_such_name }}"),
                    encoding="utf-8")
    found = []
    for forked in (False, True):
        with pytest.raises(ContentError) as failed:
            built(root, forked, monkeypatch)
        found.append(failed.value.problems)
    assert found[0] == found[1]
    assert len(found[0]) > 1 and "no_such_name" in found[0][0].message
    assert found[0][0].path == "templates/page.html" and found[0][0].line > 0
