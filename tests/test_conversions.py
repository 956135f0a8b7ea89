"""A cold build converts each Markdown body once, however many languages show it."""
from __future__ import annotations

from collections import Counter

import markdown
import pytest

from live import moment
from sites import assemble

from panduan.builder import make_site
from panduan.cache import Memo, new_store


@pytest.mark.parametrize("cache", [None, new_store], ids=["no cache", "empty cache"])
def test_each_distinct_body_is_converted_once(tmp_path, monkeypatch, cache):
    root = assemble(tmp_path / "guide")
    (root / "content/pages/tentang.en.md").unlink()   # English readers get the Indonesian text
    converted = []
    real = markdown.Markdown.convert
    monkeypatch.setattr(markdown.Markdown, "convert", lambda md, text: converted.append(text) or real(md, text))

    built = make_site(root, moment(), memo=Memo(cache()) if cache else None)

    shown = Counter(o.page.path for o in built.plan.outputs if o.page is not None)
    assert shown["content/pages/tentang.md"] == 2, "the untranslated page is shown in both languages"
    assert len(converted) == len(shown), "one conversion per page file, whichever languages show it"
    assert b"tentang" in built.files["en/tentang/index.html"]
