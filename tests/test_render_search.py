"""render/search.py: the site's search index holds every entry's text, in the build's
language, as a static JSON document and the same document as a script file."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from build_fixture import HOSTILE_ID, fixture_build
from is3c.render import render_all
from is3c.render.search import FIELDS, INDEX_JSON, INDEX_SCRIPT, index_json, index_script

PREFIX = b"window.IS3C_SEARCH_INDEX = "


def documents(language: str = "en") -> dict[str, dict[str, object]]:
    index = json.loads(index_json(fixture_build(language)))
    return {d["id"]: d for d in index["documents"]}


def test_every_entry_listed_or_not_with_every_field_an_officer_reads() -> None:
    built = fixture_build()
    docs = documents()
    assert list(docs) == [item.id for item in built.items]
    dnssec = docs["dnssec"]
    entry = next(i for i in built.items if i.id == "dnssec").entry
    assert entry.procurement is not None
    assert dnssec["short_name"] == "DNSSEC" and dnssec["title"] == entry.title
    assert dnssec["summary"] == entry.summary and dnssec["benefit"] == entry.benefit
    assert dnssec["clause"] == entry.procurement.tender_clause
    assert dnssec["evidence"] == " ".join(entry.procurement.evidence)
    assert dnssec["tags"] == "dns"
    # Specification ids as written and without the space; the requirement id.
    assert str(dnssec["ids"]).split(" ")[:4] == ["dnssec", "IS3C-DNSSEC", "RFC", "4033"]
    assert "RFC4033" in str(dnssec["ids"]).split()
    assert dnssec["url"] == "standards/dnssec/index.html"
    assert (dnssec["badge"], dnssec["badge_label"], dnssec["tier"]) == ("tier-urgent", "Urgent", "urgent")
    assert set(FIELDS) <= set(dnssec)


def test_an_entry_not_on_the_list_carries_its_status_and_the_rfc_its_text_cites() -> None:
    old = documents()["tls-1-0"]
    assert (old["badge"], old["badge_label"], old["tier"]) == ("status-deprecated", "Deprecated", "")
    assert "RFC 8996 deprecates TLS 1.0." in str(old["more"])  # the lifecycle reason
    assert "RFC8996" in str(old["ids"]).split()  # found as "RFC 8996" and "rfc8996"


def test_in_another_language_with_what_is_still_english_marked() -> None:
    french = documents("fr")
    assert str(french["dnssec"]["summary"]).startswith("Ajoute des signatures")
    assert "summary_lang" not in french["dnssec"]
    assert french["tls"]["summary_lang"] == "en"  # not translated in the fixture
    assert french["dnssec"]["badge_label"] == "Urgente"


def test_the_script_is_the_json_document_and_both_are_in_the_site() -> None:
    built = fixture_build()
    script = index_script(built)
    assert script.startswith(PREFIX) and script.endswith(b";\n")
    assert json.loads(script[len(PREFIX):-2]) == json.loads(index_json(built))
    files = render_all(built)
    assert files[INDEX_JSON] == index_json(built) and files[INDEX_SCRIPT] == script
    assert index_json(built) == index_json(fixture_build())  # the same bytes every build


def test_hostile_text_is_data() -> None:
    script = index_script(fixture_build()).decode("utf-8")
    hostile = documents()[HOSTILE_ID]
    assert hostile["short_name"] == '@SUM(1+1) <img src=x onerror=alert("short")>'
    # The document is one JSON value: no text closes the string it sits in.
    assert script.count("\n") == 1
    assert json.loads(script[len(PREFIX):-2])["documents"][-1]["id"] == list(documents())[-1]


def test_the_vendored_library_is_the_published_one() -> None:
    """minisearch@7.2.0's dist/umd/index.js as npm serves it ('npm pack minisearch@7.2.0'),
    unchanged, beside its licence; a new version is a new file name and a new hash."""
    assets = resources.files("is3c") / "templates" / "assets"
    code = (assets / "minisearch-7.2.0.js").read_bytes()
    assert hashlib.sha256(code).hexdigest() == (
        "03c27931eb603af1d3358579e9885eafdb6a2f5fa9929557b3e77d7e99d06d03")
    assert b"eval(" not in code and b"new Function" not in code and b"XMLHttpRequest" not in code
    assert (assets / "minisearch-LICENSE.txt").read_text().startswith("Copyright 2022 Luca Ongaro")
    files = render_all(fixture_build())
    assert "assets/minisearch-7.2.0.js" in files and "assets/minisearch-LICENSE.txt" in files
