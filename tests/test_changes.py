"""Change history from real git repositories: entry pages, release pages, Atom feeds
(read back with feedparser, as feed readers do), the JSON API, the URL scheme."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import jsonschema
import pytest
from build_fixture import FIXTURE, fixture_build
from click.testing import CliRunner

from is3c.changes import NO_HISTORY, read
from is3c.cli import main
from is3c.render import absolute, api as api_render, feeds, site
from is3c.render.api import API_SCHEMAS

REPO = Path(__file__).resolve().parent.parent
DAY_ONE = "2026-03-02T10:00:00+00:00"
DAY_TWO = "2026-05-04T09:30:00+00:00"


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date or DAY_ONE, "GIT_COMMITTER_DATE": date or DAY_ONE}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return history_repo(tmp_path)


# The panel's decision behind the tier change of day two (a list changes only by one).
DECISION = "2026-01-21-dnssec-recommended"
DECISION_RECORD = """\
title: DNSSEC moves to recommended
date: 2026-01-21
question: Should DNSSEC stay on the urgent list?
decided_by: panel
chair: example-chair
changes:
  - entry: dnssec
    action: set-tier
    tier: recommended
positions:
  - member: example-chair
    position: support
  - member: example-engineer
    position: support
consensus_call: Both members present support the change; the panel has rough consensus.
outcome: consensus
"""


def history_repo(tmp_path: Path) -> Path:
    """The fixture registry in a git repository: committed and tagged v2026.1 on day
    one; on day two DNSSEC goes from urgent to recommended, tagged v2026.2."""
    top = tmp_path / "project"
    shutil.copytree(FIXTURE, top / "registry")
    shutil.copytree(REPO / "schemas", top / "schemas")
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.email", "test@example.org")
    git(top, "config", "user.name", "Test")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "first")
    git(top, "tag", "v2026.1")
    path = top / "registry" / "standards" / "dnssec.yaml"
    path.write_text(path.read_text().replace("  tier: urgent\n", "  tier: recommended\n")
                    .replace("decision: 2026-01-15-fixture-list", f"decision: {DECISION}"))
    (top / "registry" / "decisions" / f"{DECISION}.yaml").write_text(DECISION_RECORD)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "DNSSEC is recommended", date=DAY_TWO)
    git(top, "tag", "-a", "-m", "second", "v2026.2", date=DAY_TWO)
    return top


def built_with(history, base_url: str = ""):  # type: ignore[no-untyped-def]
    return dataclasses.replace(fixture_build(), history=history, base_url=base_url)


def test_entry_history_dates_each_change_from_its_commit(repo: Path) -> None:
    history = read(repo / "registry")
    dnssec = history.of("dnssec")
    assert [(e.date, e.kind, e.before, e.after) for e in dnssec.events] == [
        ("2026-05-04", "tier", "urgent", "recommended"),
        ("2026-03-02", "listed", "", "accepted"),
    ]
    assert (dnssec.listed, dnssec.changed) == ("2026-03-02", "2026-05-04")
    assert history.of("dane").events[0].kind == "listed"
    assert history == read(repo / "registry")  # same history, same events


def test_the_release_page_says_what_changed_in_words(repo: Path) -> None:
    history = read(repo / "registry")
    assert [r.tag for r in history.releases] == ["v2026.2", "v2026.1"]
    second = history.releases[0]
    assert second.previous == "v2026.1" and second.date == "2026-05-04"
    assert [(t.id, t.before, t.after) for t in second.diff.tier] == [("dnssec", "urgent", "recommended")]
    assert [e.id for e in second.diff.dropped] == ["dnssec"]
    page = site.render(built_with(history))["changes/v2026.2/index.html"].decode()
    assert "What changed in v2026.2" in page
    assert "No longer on the urgent list" in page
    assert "Priority changed" in page and "from Urgent to Recommended." in page
    index = site.render(built_with(history))["changes/index.html"].decode()
    assert 'href="../changes/v2026.2/index.html"' in index and "Follow changes" in index


def test_entry_page_shows_when_listed_and_what_changed(repo: Path) -> None:
    page = site.render(built_with(read(repo / "registry")))["standards/dnssec/index.html"].decode()
    assert 'On the list since <time datetime="2026-03-02">2026-03-02</time>.' in page
    assert 'Last changed <time datetime="2026-05-04">2026-05-04</time>.' in page
    assert "Priority changed from Urgent to Recommended." in page


def test_feeds_hold_an_item_for_a_tier_change(repo: Path) -> None:
    built = built_with(read(repo / "registry"))
    files = feeds.render(built)
    parsed = feedparser.parse(files["feeds/all.atom"])
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    first = parsed.entries[0]
    assert first.title == "DNSSEC: Priority changed from Urgent to Recommended."
    assert first.updated_parsed[:5] == (2026, 5, 4, 9, 30)
    assert first.id.startswith("urn:is3c:change:") and first.id.endswith(":dnssec:tier")
    assert first.link == "../standards/dnssec/index.html"
    assert parsed.feed.rights.startswith("Content licence: CC0 1.0")
    # DNSSEC applies to DNS hosting, not to IoT devices.
    assert any(e.id == first.id for e in feedparser.parse(files["feeds/dns-hosting.atom"]).entries)
    assert all(e.id != first.id for e in feedparser.parse(files["feeds/iot-device.atom"]).entries)
    assert files["feeds/all.atom"] == feeds.render(built)["feeds/all.atom"]  # same bytes
    # Entry text stays text: the hostile fixture's short name is a title, not markup.
    hostile = next(e for e in parsed.entries if e.id.endswith(":hostile-text:listed"))
    assert hostile.title.startswith('@SUM(1+1) <img src=x onerror=alert("short")>: ')
    assert b"<img" not in files["feeds/all.atom"]


def test_feeds_are_valid_and_empty_without_history() -> None:
    parsed = feedparser.parse(feeds.render(built_with(NO_HISTORY))["feeds/all.atom"])
    assert not parsed.bozo and parsed.entries == []


def test_without_git_there_is_no_history_and_one_clear_note(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "registry")
    assert read(tmp_path / "registry") is NO_HISTORY or not read(tmp_path / "registry").available
    page = site.render(built_with(NO_HISTORY))["standards/dnssec/index.html"].decode()
    assert "No change history: this site was built without the registry's git history." in page




def test_dnssec_api_file_validates_and_carries_licence_and_page_url(repo: Path) -> None:
    built = built_with(read(repo / "registry"), "https://example.org/is3c/")
    files = api_render.render(built)
    schema = json.loads(files["api/v1/standard.schema.json"])
    dnssec = json.loads(files["api/v1/standards/dnssec.json"])
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(dnssec)
    assert dnssec["licence"] == "CC0-1.0"
    assert dnssec["page_url"] == "https://example.org/is3c/standards/dnssec/"
    assert dnssec["requirement_id"] == "IS3C-DNSSEC"
    assert dnssec["entry"]["procurement"]["requirement"] == "must"
    assert dnssec["history"][0] == {"date": "2026-05-04", "kind": "tier", "before": "urgent",
                                    "after": "recommended", "fields": []}


def test_every_api_file_validates_against_the_schema_beside_it() -> None:
    files = api_render.render(fixture_build())
    schemas = {path.rsplit("/", 1)[1]: json.loads(files[path]) for path in API_SCHEMAS}
    checked = 0
    for path in files:
        if path.endswith(".schema.json"):
            continue
        name = ("standards.schema.json" if path == "api/v1/standards.json"
                else "standard.schema.json" if path.startswith("api/v1/standards/")
                else "product-type.schema.json")
        jsonschema.Draft202012Validator(schemas[name]).validate(json.loads(files[path]))
        checked += 1
    index = json.loads(files["api/v1/standards.json"])
    assert index["count"] == len(index["standards"]) == len(fixture_build().items)
    assert checked == 1 + len(fixture_build().items) + len(fixture_build().annexes)
    # Without a base URL, addresses are paths from the top of the site.
    dnssec = next(s for s in index["standards"] if s["id"] == "dnssec")
    assert dnssec["page_url"] == "standards/dnssec/index.html"
    assert dnssec["api_url"] == "api/v1/standards/dnssec.json"


def test_published_api_schemas_are_the_committed_ones() -> None:
    files = api_render.render(fixture_build())
    for path, schema_file in API_SCHEMAS.items():
        assert files[path] == (REPO / "schemas" / schema_file.filename).read_bytes(), \
            f"{schema_file.filename} is stale; run 'is3c schema --write'"


def test_addresses_follow_the_documented_scheme() -> None:
    hosted = built_with(NO_HISTORY, "https://example.org/is3c/")
    assert absolute(hosted, "index.html") == "https://example.org/is3c/"
    assert absolute(hosted, "standards/dnssec/index.html") == "https://example.org/is3c/standards/dnssec/"
    french = dataclasses.replace(hosted, language="fr", site_languages=("en", "fr"))
    assert absolute(french, "annex/website/index.html") == "https://example.org/is3c/fr/annex/website/"
    assert absolute(built_with(NO_HISTORY), "index.html") is None


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_build_with_base_url_adds_canonical_links_sitemap_and_robots(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    code, output = run("build", "--out", "site", "--formats", "site,api", "--lang", "en",
                       "--base-url", "https://example.org/is3c")
    assert code == 0, output
    page = (repo / "site" / "standards" / "dnssec" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/is3c/standards/dnssec/">' in page
    assert '<link rel="alternate" type="application/atom+xml" title="IS3C list changes" href="../../feeds/all.atom">' in page
    assert "Sitemap: https://example.org/is3c/sitemap.xml" in (repo / "site" / "robots.txt").read_text()
    assert "<loc>https://example.org/is3c/data/</loc>" in (repo / "site" / "sitemap.xml").read_text()
    parsed = feedparser.parse((repo / "site" / "feeds" / "all.atom").read_bytes())
    assert parsed.entries[0].link == "https://example.org/is3c/standards/dnssec/"
    assert parsed.feed.id == "https://example.org/is3c/feeds/all.atom"


def test_build_without_base_url_has_no_sitemap_and_relative_links(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    code, output = run("build", "--out", "site", "--formats", "site", "--lang", "en")
    assert code == 0, output
    assert not (repo / "site" / "sitemap.xml").exists() and not (repo / "site" / "robots.txt").exists()
    assert "canonical" not in (repo / "site" / "index.html").read_text()


def test_base_url_comes_from_is3c_toml_and_is_checked(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "is3c.toml").write_text('[site]\nbase_url = "https://lists.example.org"\n')
    code, output = run("build", "--out", "site", "--formats", "site", "--lang", "en")
    assert code == 0, output
    assert "https://lists.example.org/sitemap.xml" in (repo / "site" / "robots.txt").read_text()
    (repo / "is3c.toml").write_text('[site]\nbase_url = "javascript:alert(1)"\n')
    code, output = run("build", "--out", "site", "--formats", "site", "--lang", "en")
    assert code == 2
    assert "is3c.toml: [site] base_url 'javascript:alert(1)' must start with https://" in output
    (repo / "is3c.toml").write_text('[site]\nbaseurl = "https://x.example"\n')
    code, output = run("build", "--out", "site", "--formats", "site", "--lang", "en")
    assert code == 2 and "unknown setting site.baseurl" in output
    code, output = run("build", "--out", "site", "--formats", "site", "--lang", "en",
                       "--base-url", "https://user:pw@example.org/")
    assert code == 2 and "--base-url" in output and "user name or password" in output


def test_build_without_git_notes_it_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURE, tmp_path / "registry")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    monkeypatch.chdir(tmp_path)
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    result = CliRunner().invoke(main, ["build", "--out", "site", "--formats", "site", "--lang", "en"],
                                env=env)
    assert result.exit_code == 0, result.output
    assert result.output.count("no git history") == 1


def test_a_shallow_clone_has_no_history_rather_than_wrong_dates(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert read(clone / "registry") is NO_HISTORY
