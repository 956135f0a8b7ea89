"""Any bytes and any nesting in any content file: the build ends with exit 0 or 1, a
problem list and no traceback, and within a bounded time (issue 14 §2).

Bounded by the number of examples and by a per-run timeout (SIGALRM), never by a
timing assertion. More examples: PANDUAN_HOSTILE_EXAMPLES=500.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal

from hypothesis import HealthCheck, given, settings, strategies as st

from panduan import cli
from sites import FIXTURES, NOW, assemble

EXAMPLES = int(os.environ.get("PANDUAN_HOSTILE_EXAMPLES", "25"))
TIMEOUT = 120   # seconds for one build of the small guide, however hostile the input
FILES = ("guide.yaml", "content/sources.yaml", "content/schedule.yaml", "content/parties.yaml",
         "content/tickets.yaml", "content/numbers.yaml", "content/messages.yaml", "content/pages/tentang.md",
         "content/pages/tentang.en.md", "content/hoaxes/tps-didenda.md", "i18n/en.yaml")


def block_nesting(depth: int) -> bytes:
    return "".join("  " * level + "k:\n" for level in range(depth)).encode() + b"  " * depth + b"v\n"


NESTING = st.one_of(
    st.builds(lambda unit, depth: unit * depth,
              st.sampled_from([b"[", b"{", b"- ", b"> ", b"    - ", b"* ", b"1. ", b"<div>", b"**", b"[a](", b"&a: "]),
              st.integers(1, 6000)),
    st.builds(block_nesting, st.integers(1, 1200)),
)
EDITS = st.one_of(
    st.tuples(st.just("replace"), st.binary(max_size=3000), st.just(0.0)),
    st.tuples(st.just("insert"), st.binary(min_size=1, max_size=300), st.floats(0, 1)),
    st.tuples(st.just("insert"), NESTING, st.floats(0, 1)),
)


class TookTooLong(Exception):
    pass


def _alarm(signum, frame):
    raise TookTooLong(f"a build took more than {TIMEOUT} s")


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(target=st.sampled_from(FILES), edit=EDITS)
def test_any_bytes_in_any_content_file_give_a_problem_list_not_a_crash(tmp_path_factory, target, edit):
    root = assemble(tmp_path_factory.mktemp("hostile") / "guide", FIXTURES / "mini")
    kind, data, where = edit
    path = root / target
    old = path.read_bytes()
    at = int(len(old) * where)
    path.write_bytes(data if kind == "replace" else old[:at] + data + old[at:])
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(["check", "--quiet", "--root", str(root), "--now", NOW])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        shutil.rmtree(root.parent, ignore_errors=True)
    assert code in (0, 1), stderr.getvalue()
    assert "failed unexpectedly" not in stderr.getvalue(), (target, kind, data[:200])
    if code == 1:
        assert stderr.getvalue().startswith("The guide was not built: "), stderr.getvalue()
        assert all(line.isprintable() for line in stderr.getvalue().splitlines())
