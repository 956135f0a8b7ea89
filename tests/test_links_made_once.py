"""Links from pages are made once and shared between pages (render._Links): every link so made
is the one urls.relative makes for that page, whichever pages asked first."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from panduan import urls
from panduan.render import _Links

SEGMENT = st.sampled_from(["a", "b", "en", "jadwal", "x.html", "..", ".", ""])
PAGE = st.lists(st.sampled_from(["a", "b", "en"]), max_size=2).flatmap(lambda parts: st.sampled_from([
    "/" + "/".join(parts) + "/" if parts else "/", "/" + "/".join(parts + ["x.html"])]))
PATH = st.lists(SEGMENT, max_size=3).flatmap(lambda parts: st.sampled_from([
    "/" + "/".join(parts), "/" + "/".join(parts) + "/", "/" + "/".join(parts) + "#f", "/".join(parts)]))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.one_of(PAGE, PATH), PATH), min_size=1, max_size=40))
def test_a_shared_link_is_the_link_urls_relative_makes(pairs):
    links = _Links()
    for page, path in pairs:
        if not page.startswith("/"):
            continue   # pages are at site paths
        try:
            expected = urls.relative(page, path)
        except ValueError:   # no link at all (an empty path): made the same failing way
            with pytest.raises(ValueError):
                links.maker(page, None)(path)
            continue
        assert links.maker(page, None)(path) == expected, (page, path)
