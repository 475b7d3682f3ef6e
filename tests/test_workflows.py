"""The GitHub workflows: linted by actionlint and zizmor, and held to our own rules.

The rules come from the CI threats in the project's research: no pull_request_target
(the "pwn request"), no ${{ }} inside a script (script injection), every action
pinned to a full commit (tags can be moved), and a read-only token by default with
write access only on the jobs that publish.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
# Jobs that may hold a write permission, and which ones.
WRITERS = {
    ("publish.yml", "deploy"): {"pages", "id-token"},
    ("publish.yml", "release"): {"contents", "id-token", "attestations"},
}
PINNED_USES = re.compile(
    r"^\s*(?:-\s+)?uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>[0-9a-f]{40})"
    r"\s+#\s+v\d+\.\d+\.\d+\s*$"
)
IDS = [path.name for path in WORKFLOW_FILES]


def tool(name: str) -> str:
    """A linter installed by the test extra: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; run: pip install -e '.[test]'")
    return found


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key 'on' as true; give it its name back.
    if True in data:
        data["on"] = data.pop(True)
    return data  # type: ignore[no-any-return]


def steps(workflow: dict[Any, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def test_there_are_workflows() -> None:
    assert {"validate.yml", "publish.yml", "links.yml"} <= set(IDS)


def test_actionlint_finds_nothing() -> None:
    done = subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", *map(str, WORKFLOW_FILES)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr


def test_zizmor_finds_nothing() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GH_TOKEN", None)
    env.pop("GITHUB_TOKEN", None)
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", "--format", "plain", str(WORKFLOWS)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False, env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=IDS)
def test_never_pull_request_target(path: Path) -> None:
    triggers = load(path)["on"]
    assert "pull_request_target" not in triggers and "workflow_run" not in triggers
    code = [line.split("#")[0] for line in path.read_text(encoding="utf-8").splitlines()]
    assert not any("pull_request_target" in line for line in code)


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=IDS)
def test_no_expressions_inside_scripts(path: Path) -> None:
    for job_id, step in steps(load(path)):
        script = step.get("run", "")
        assert "${{" not in script, (
            f"{path.name}, job {job_id}, step {step.get('name')!r}: pass the value "
            "through env: and quote \"$VARIABLE\" in the script"
        )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=IDS)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^\s*(?:-\s+)?uses:", line) and "uses: ./" not in line:
            assert PINNED_USES.match(line), (
                f"{path.name}:{number}: pin the action to a full 40-character commit and "
                f"name its version in a comment, e.g. 'uses: owner/action@<sha> # v1.2.3'"
            )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=IDS)
def test_checkouts_do_not_keep_the_token(path: Path) -> None:
    for job_id, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, (path.name, job_id)


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=IDS)
def test_token_is_read_only_unless_a_job_publishes(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") in ({}, {"contents": "read"}), (
        f"{path.name}: top-level permissions must be {{}} or contents: read"
    )
    for job_id, job in workflow["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{path.name}: job {job_id} must list its permissions"
        writes = {scope for scope, access in permissions.items() if access == "write"}
        assert writes == WRITERS.get((path.name, job_id), set()), (path.name, job_id, writes)
        assert set(permissions.values()) <= {"read", "write", "none"}


def test_pull_requests_are_validated_and_never_publish() -> None:
    validate, publish, links = (load(WORKFLOWS / name) for name in ("validate.yml", "publish.yml", "links.yml"))
    assert "pull_request" in validate["on"]
    assert "pull_request" not in publish["on"] and "pull_request" not in links["on"]
    assert not any(job.get("permissions", {}).get("contents") == "write"
                   for job in validate["jobs"].values())
    assert "${{ secrets." not in (WORKFLOWS / "validate.yml").read_text(encoding="utf-8")


def test_validate_runs_every_check_and_summarises_the_diff() -> None:
    scripts = [step.get("run", "") for _, step in steps(load(WORKFLOWS / "validate.yml"))]
    for command in ("is3c validate --format github", "is3c fmt --check", "is3c forms --check",
                    "is3c build", "python -m pytest",
                    'is3c diff "$BASE_SHA" HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"'):
        assert any(command in script for script in scripts), command
    summary = next(step for _, step in steps(load(WORKFLOWS / "validate.yml")) if "is3c diff" in step.get("run", ""))
    assert summary["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}


def test_publish_deploys_pages_and_releases_tags_with_provenance() -> None:
    publish = load(WORKFLOWS / "publish.yml")
    assert publish["on"]["push"] == {"branches": ["main"], "tags": ["v*"]}
    deploy, release = publish["jobs"]["deploy"], publish["jobs"]["release"]
    assert deploy["environment"]["name"] == "github-pages"
    assert release["if"] == "startsWith(github.ref, 'refs/tags/')"
    uses = [step.get("uses", "").split("@")[0] for _, step in steps(publish)]
    for action in ("actions/upload-pages-artifact", "actions/deploy-pages",
                   "actions/attest-build-provenance"):
        assert action in uses
    scripts = "\n".join(step.get("run", "") for _, step in steps(publish))
    assert 'is3c diff "$previous" "$TAG" --format markdown' in scripts
    assert "sha256sum" in scripts and "gh release create" in scripts


def test_link_check_is_weekly_manual_and_not_on_forks() -> None:
    links = load(WORKFLOWS / "links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    job = links["jobs"]["links"]
    assert job["if"] == "${{ !github.event.repository.fork }}"
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "is3c links --format markdown" in script and "--strict" not in script
