"""Layers 2 and 3: schema violations and cross-entry rules, each reported at the
line of the field at fault, with a stable code and a fix an expert can act on."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from conftest import VALID_ENTRY, WriteEntry, entry_text

from is3c.findings import show
from is3c.validate import validate

X = "registry/standards/x.yaml"


def findings(registry: Path) -> list[tuple[str, int, int, str, str]]:
    return [(f.file, f.line, f.column, f.code, f.path) for f in validate(registry).findings]


def one(registry: Path):  # type: ignore[no-untyped-def]
    result = validate(registry).findings
    assert len(result) == 1, result
    return result[0]


# --- schema -------------------------------------------------------------------


def test_a_misspelled_field_is_one_finding(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"summary:": "sumary:"}))
    # Not also "required field 'summary' is missing": that is the same mistake.
    unknown = one(registry)
    assert (unknown.file, unknown.line, unknown.column, unknown.code, unknown.path) == (
        X, 7, 1, "IS3C202", "sumary")
    assert unknown.message == "unknown field 'sumary'"
    assert unknown.hint == "did you mean 'summary'? (it is required, and missing here)"


def test_a_missing_field_without_a_look_alike_is_still_reported(
    registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", entry_text("x", **{"summary: A short plain-language summary.\n": "",
                                            "kind: standard": "kind: standard\ncolour: blue"}))
    assert findings(registry) == [(X, 2, 1, "IS3C201", ""), (X, 6, 1, "IS3C202", "colour")]
    missing, unknown = validate(registry).findings
    assert missing.hint == "add 'summary:' at the top level"
    assert unknown.hint.startswith("allowed fields here: applies_to, benefit, category, id, kind, ")


def test_unknown_nested_field_lists_the_allowed_ones(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"  rationale:": "  colour: blue\n  rationale:"}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code, finding.path) == (19, 3, "IS3C202", "priority.colour")
    assert finding.hint == "allowed fields here: rationale, target_date, tier"


def test_enum_typo_gets_did_you_mean(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"tier: recommended": "tier: urgnt"}))
    finding = one(registry)
    assert (finding.file, finding.line, finding.column, finding.code) == (X, 18, 9, "IS3C204")
    assert finding.path == "priority.tier"
    assert finding.message == "'urgnt' is not one of: urgent, recommended, emerging"
    assert finding.hint == "did you mean 'urgent'?"


def test_number_where_text_is_expected_shows_how_to_quote(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"    publisher: IETF": "    publisher: IETF\n    version: 1.10"}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code) == (14, 14, "IS3C203")
    assert finding.path == "specifications[0].version"
    assert finding.message == "expected text, found a number"
    assert finding.hint == 'put the value in quotes: "1.10"'


def test_yes_is_text_so_a_bool_field_typo_is_an_enum_error(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"kind: standard": "kind: yes"}))
    assert findings(registry) == [(X, 5, 7, "IS3C204", "kind")]


def test_string_where_a_list_is_expected(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"applies_to:\n  - website": "applies_to: website"}))
    finding = one(registry)
    assert (finding.line, finding.code, finding.path) == (20, "IS3C203", "applies_to")
    assert finding.hint.startswith("write a list")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/", "https://user@example.org/", "https://еxample.org/",
     "//example.org/x", "https://example.org/a b", "data:text/html,hi"],
)
def test_urls_must_be_absolute_http_with_ascii_host(registry: Path, write_entry: WriteEntry, url: str) -> None:
    write_entry("x.yaml", entry_text("x", **{"url: https://www.ietf.org/": f'url: "{url}"'}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code, finding.path) == (16, 8, "IS3C205", "maintainer.url")


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13-01", "24-01-01", "yesterday"])
def test_dates_must_be_real_iso_dates(registry: Path, write_entry: WriteEntry, date: str) -> None:
    write_entry("x.yaml", entry_text("x", **{"status: proposed": f"status: proposed\n  listed_since: {date}"}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code) == (24, 17, "IS3C205")


def test_summary_over_300_characters(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"summary: A short": "summary: " + "word " * 70 + "A short"}))
    finding = one(registry)
    assert (finding.line, finding.code, finding.path) == (7, "IS3C206", "summary")
    assert finding.message == "is 381 characters long; the limit is 300"


def test_title_must_stay_on_one_line(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"title: Example Standard": "title: |\n  Example\n  Standard"}))
    finding = one(registry)
    assert (finding.line, finding.code, finding.path) == (3, "IS3C205", "title")


def test_hostile_long_values_are_checked_in_bounded_time(registry: Path, write_entry: WriteEntry) -> None:
    long = "a-" * 10_000 + "!"
    text = entry_text("x", **{"category: dns": f"category: {long}", "- website": f"- {long}",
                                "url: https://www.ietf.org/": f"url: https://{'a.' * 10_000}/ x"})
    write_entry("x.yaml", text)
    started = time.perf_counter()
    codes = sorted(f.code for f in validate(registry).findings)
    assert time.perf_counter() - started < 2
    assert codes == ["IS3C205", "IS3C205", "IS3C205"]


def test_hostile_value_is_escaped_in_messages(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"kind: standard": 'kind: "x\\n::error::forged"'}))
    finding = one(registry)
    assert "\n" not in finding.message
    assert finding.message.startswith("'x\\n::error::forged' is not one of")


# --- rules ----------------------------------------------------------------------


def test_id_must_equal_file_name(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("y"))
    finding = one(registry)
    assert (finding.file, finding.line, finding.column, finding.code) == (X, 2, 5, "IS3C301")
    assert finding.hint == "rename the file to y.yaml, or set id: x"


def test_ids_are_unique(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("a.yaml", entry_text("a"))
    write_entry("b.yaml", entry_text("a"))
    assert findings(registry) == [
        ("registry/standards/b.yaml", 2, 5, "IS3C301", "id"),
        ("registry/standards/b.yaml", 2, 5, "IS3C302", "id"),
    ]


def test_unknown_category_and_product_type(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"category: dns": "category: dsn", "- website": "- websites"}))
    result = validate(registry).findings
    assert [(f.line, f.column, f.code, f.path, f.hint) for f in result] == [
        (6, 11, "IS3C303", "category", "did you mean 'dns'?"),
        (21, 5, "IS3C304", "applies_to[0]", "did you mean 'website'?"),
    ]


def test_related_and_superseded_by_must_resolve(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("dane.yaml", entry_text("dane"))
    text = entry_text("x", **{"lifecycle:\n  status: proposed": "related:\n  - id: dnssec\n    relation: requires\n"
                             "  - id: dan\n    relation: requires\n  - id: x\n    relation: extends\n"
                             "lifecycle:\n  status: deprecated\n  superseded_by: nope"})
    write_entry("x.yaml", text)
    assert [(f[1], f[3], f[4]) for f in findings(registry)] == [
        (23, "IS3C305", "related[0].id"),
        (25, "IS3C305", "related[1].id"),
        (27, "IS3C311", "related[2].id"),
        (30, "IS3C611", "lifecycle.status"),  # deprecated without a decision
        (31, "IS3C306", "lifecycle.superseded_by"),
    ]
    hints = [f.hint for f in validate(registry).findings]
    assert hints[1] == "did you mean 'dane'?"


def test_references_to_a_broken_file_are_not_reported_twice(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("dnssec.yaml", "id: dnssec\n\tbroken\n")
    write_entry("x.yaml", entry_text("x", **{"lifecycle:": "related:\n  - id: dnssec\n    relation: requires\nlifecycle:"}))
    assert [f[3] for f in findings(registry)] == ["IS3C105"]


def test_supersession_cycle(registry: Path, write_entry: WriteEntry) -> None:
    for this, other in (("a", "b"), ("b", "c"), ("c", "a")):
        write_entry(f"{this}.yaml", entry_text(this, **{"status: proposed": f"status: withdrawn\n  superseded_by: {other}"}))
    # (each also lacks the decision that withdrew it: IS3C611, tested in test_decisions.py)
    result = [f for f in validate(registry).findings if f.code != "IS3C611"]
    assert [(f.file, f.line, f.code) for f in result] == [
        ("registry/standards/a.yaml", 24, "IS3C307")]
    assert "a -> b -> c -> a" in result[0].message


def test_urgent_needs_procurement_and_verification(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"tier: recommended": "tier: urgent"}))
    result = validate(registry).findings
    assert [(f.line, f.code, f.message) for f in result] == [
        (18, "IS3C308", "an urgent entry needs 'procurement'"),
        (18, "IS3C308", "an urgent entry needs 'verification'"),
    ]


def test_accepted_needs_a_decision(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"status: proposed": "status: accepted"}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code, finding.path) == (23, 11, "IS3C309", "lifecycle.status")


def test_accepted_decision_must_name_a_record(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"status: proposed": "status: accepted",
                                            "proposed_by: Test Suite": "proposed_by: Test Suite\n"
                                            "  decision: 2026-01-01-nowhere"}))
    finding = one(registry)
    assert (finding.line, finding.code, finding.path) == (26, "IS3C611", "review.decision")
    assert finding.message == "no decision record has the id '2026-01-01-nowhere'"


def test_vocabulary_ids_are_unique(registry: Path) -> None:
    path = registry / "categories.yaml"
    path.write_text(path.read_text() + "  - id: dns\n    title: Again\n    description: Twice.\n")
    result = validate(registry).findings
    assert [(f.file, f.code) for f in result] == [("registry/categories.yaml", "IS3C310")]


def test_vocabulary_file_is_schema_checked(registry: Path) -> None:
    (registry / "product-types.yaml").write_text("product_types:\n  - id: Web Site\n    title: x\n")
    assert [(f[0], f[1], f[3]) for f in findings(registry)] == [
        ("registry/product-types.yaml", 2, "IS3C201"),
        ("registry/product-types.yaml", 2, "IS3C205"),
    ]


def test_date_order_and_stale_status_are_warnings(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("y.yaml", entry_text("y"))
    write_entry("x.yaml", entry_text("x", **{"status: proposed": "status: proposed\n  superseded_by: y\n"
                                            "  last_reviewed: 2026-05-01\n  next_review_due: 2026-01-01"}))
    result = validate(registry)
    assert [(f.code, f.severity) for f in result.findings] == [("IS3C313", "warning"), ("IS3C312", "warning")]
    assert result.ok and result.registry is not None


def test_clean_registry_yields_the_model(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("b.yaml", entry_text("b"))
    write_entry("a.yaml", entry_text("a"))
    result = validate(registry)
    assert result.findings == [] and result.files_checked == 4
    assert result.registry is not None
    assert [e.id for e in result.registry.entries] == ["a", "b"]
    assert result.registry.categories[0].id == "dns"


def test_only_reports_given_files_plus_rules(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("a.yaml", "id: a\n\tbroken\n")
    target = write_entry("x.yaml", entry_text("x", **{"category: dns": "category: nope"}))
    result = validate(registry, only=[target])
    assert [(f.file, f.code) for f in result.findings] == [(X, "IS3C303")]


def test_stale_committed_schema_is_reported(registry: Path, write_entry: WriteEntry, tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "entry.schema.json").write_text("{}\n")
    codes = {(f.file, f.code) for f in validate(registry, schema_dir=tmp_path / "schemas").findings}
    assert ("schemas/entry.schema.json", "IS3C001") in codes


# --- one run, every problem ------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data" / "validate"


def test_one_problem_of_every_layer_is_reported_in_one_run(registry: Path) -> None:
    target = registry / "standards" / "every-layer.yaml"
    shutil.copy(DATA / "every-layer.yaml", target)
    E = "registry/standards/every-layer.yaml"
    result = validate(registry).findings
    assert [(f.file, f.line, f.code, f.path) for f in result] == [
        (E, 4, "IS3C106", "title"),  # loader: a tag
        (E, 6, "IS3C204", "kind"),  # schema: a value not allowed
        (E, 8, "IS3C202", "sumary"),  # schema: a misspelled field (and nothing about 'summary')
        (E, 13, "IS3C316", "specifications[0].url"),  # rule: http where https is used
        (E, 21, "IS3C112", "priority.tier"),  # loader: a duplicate key
        (E, 23, "IS3C304", "applies_to[0]"),  # rule: an unknown product type
        (E, 26, "IS3C205", "lifecycle.listed_since"),  # schema: no such date
    ]
    # The rule about listed_since on a proposed entry waits for a real date.
    assert [f.hint for f in result] == [
        "remove the tag; write the value as plain text",
        "did you mean 'standard'?",
        "did you mean 'summary'? (it is required, and missing here)",
        "write 'https://www.rfc-editor.org/rfc/rfc1'",
        "keep one of the two and delete the other",
        "did you mean 'website'?",
        "write an existing date as YYYY-MM-DD, e.g. 2024-02-29",
    ]


def test_an_unknown_product_type_and_a_misspelled_field_in_one_run(
    registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", entry_text("x", **{"benefit:": "benfit:", "- website": "- web-site",
                                            "kind: standard": "kind: protocol"}))
    assert findings(registry) == [
        (X, 5, 7, "IS3C204", "kind"),
        (X, 8, 1, "IS3C202", "benfit"),
        (X, 21, 5, "IS3C304", "applies_to[0]"),
    ]
    kind = validate(registry).findings[0]
    assert kind.hint == "did you mean 'standard'?"  # 'protocol' means a standard


def test_rules_skip_only_the_facts_that_failed(registry: Path, write_entry: WriteEntry) -> None:
    """A bad category value is not also an unknown category; the rest of the entry
    still meets the rules (here: an urgent entry without a tender clause)."""
    write_entry("x.yaml", entry_text("x", **{"category: dns": "category: Not A Slug",
                                            "tier: recommended": "tier: urgent"}))
    assert findings(registry) == [
        (X, 6, 11, "IS3C205", "category"),
        (X, 18, 9, "IS3C308", "priority.tier"),
        (X, 18, 9, "IS3C308", "priority.tier"),
    ]
    assert validate(registry).findings[0].hint == (
        "write it as 'not-a-slug': lowercase letters, digits and single hyphens")


# --- every finding says how to fix it --------------------------------------------


def test_a_date_that_does_not_exist_names_the_form_with_an_example(
    registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", entry_text("x", **{"status: proposed": "status: proposed\n"
                                            "  last_reviewed: 2023-02-29\n  next_review_due: 2026-1-5\n"
                                            "  facts_checked: 2026"}))
    result = validate(registry).findings
    assert [(f.line, f.code, f.message, f.hint) for f in result] == [
        (24, "IS3C205", "'2023-02-29' is not a real date: February 2023 has 28 days",
         "write an existing date as YYYY-MM-DD, e.g. 2023-02-28"),
        (25, "IS3C205", "'2026-1-5' has the wrong form", "write the date as YYYY-MM-DD, e.g. 2024-05-01"),
        (26, "IS3C203", "expected text, found a number", "write the date as YYYY-MM-DD, e.g. 2024-05-01"),
    ]


def test_a_value_outside_the_allowed_set_names_them_all(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"tier: recommended": "tier: whenever"}))
    finding = one(registry)
    assert finding.message == "'whenever' is not one of: urgent, recommended, emerging"
    assert finding.hint == "replace it with one of: urgent, recommended, emerging"


@pytest.mark.parametrize(("written", "meant"), [("needs", "requires"), ("depends-on", "requires"),
                                                ("require", "requires"), ("Complements", "complements"),
                                                ("part_of", "part-of"), ("extension", "extends")])
def test_did_you_mean_when_close_in_spelling_or_meaning(
    registry: Path, write_entry: WriteEntry, written: str, meant: str
) -> None:
    write_entry("dane.yaml", entry_text("dane"))
    write_entry("x.yaml", entry_text("x", **{"lifecycle:": f"related:\n  - id: dane\n    relation: {written}\n"
                                                          "lifecycle:"}))
    assert one(registry).hint == f"did you mean '{meant}'?"


@pytest.mark.parametrize("written", ["xyz", "opposite", "re"])
def test_no_far_fetched_suggestion(registry: Path, write_entry: WriteEntry, written: str) -> None:
    write_entry("dane.yaml", entry_text("dane"))
    write_entry("x.yaml", entry_text("x", **{"lifecycle:": f"related:\n  - id: dane\n    relation: {written}\n"
                                                          "lifecycle:"}))
    assert one(registry).hint == "replace it with one of: requires, complements, alternative-to, extends, part-of"


@pytest.mark.parametrize(("field", "line", "hint"), [
    ("  rationale: Because it is an example.", 19, "fill in the rationale: the field is required"),
    ("title: Example Standard", 3, "fill in the title: the field is required"),
])
def test_an_empty_required_field_says_to_fill_it_in(
    registry: Path, write_entry: WriteEntry, field: str, line: int, hint: str
) -> None:
    for empty in ("~", "", "null"):
        name = field.split(":")[0]
        write_entry("x.yaml", entry_text("x", **{field: f"{name}: {empty}".rstrip()}))
        finding = one(registry)
        assert (finding.line, finding.code, finding.message, finding.hint) == (
            line, "IS3C203", "is empty", hint), empty
        assert "quotes" not in finding.hint


def test_an_empty_optional_field_says_to_fill_it_in_or_delete_it(
    registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", entry_text("x", **{"    publisher: IETF": "    publisher: IETF\n    version: ~"}))
    assert one(registry).hint == "fill in a value, or delete the 'version:' line"


MANY_PROBLEMS = {
    "id: {id}": "id: Bad Id",
    "title: Example Standard": "title: |\n  two\n  lines",
    "short_name: EXS": "short_name: [a, b]",
    "kind: standard": "kind: standrd",
    "category: dns": "category: dsn",
    "summary: A short": "summary: " + "long " * 70 + "A short",
    "    url: https://www.rfc-editor.org/rfc/rfc1": "    url: ftp://x\n    version: 1.10",
    "  url: https://www.ietf.org/": "  url: https://example.org/a b",
    "  rationale: Because it is an example.": "  rationale: ~\n  colour: blue",
    "applies_to:\n  - website": "applies_to: website",
    "  status: proposed": "  status: accepted\n  listed_since: 2024-02-30\n  last_reviewed: 24-1-1",
    "  proposed_by: Test Suite": "  proposed_by: TODO say who",
}


def test_every_finding_of_a_very_broken_entry_has_a_fix(registry: Path, write_entry: WriteEntry) -> None:
    text = VALID_ENTRY
    for old, new in MANY_PROBLEMS.items():
        assert old in text, old
        text = text.replace(old, new)
    write_entry("x.yaml", text + "tags: [a, a]\nrelated:\n  - id: nothing\n    relation: needs\n")
    result = validate(registry).findings
    assert {f.code for f in result} == {"IS3C202", "IS3C203", "IS3C204", "IS3C205", "IS3C206",
                                        "IS3C303", "IS3C305", "IS3C309", "IS3C315"}
    assert [f for f in result if not f.hint] == []
    assert [f for f in result if "put the value in quotes" in f.hint] == [
        f for f in result if f.path == "specifications[0].version"]


def test_every_code_is_documented_once_with_its_severity() -> None:
    from is3c.findings import CODES, WARNING_CODES

    doc = (Path(__file__).resolve().parent.parent / "docs" / "findings.md").read_text()
    rows = [line.split("|")[1].strip() for line in doc.splitlines() if line.startswith("| IS3C")]
    assert sorted(rows) == sorted(CODES)
    for code in WARNING_CODES:
        row = next(line for line in doc.splitlines() if line.startswith(f"| {code} "))
        assert "| warning |" in row, code


# --- the new rules ---------------------------------------------------------------


def test_http_where_the_registry_reaches_the_host_over_https(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("a.yaml", entry_text("a", **{"url: https://www.ietf.org/": "url: http://www.ietf.org/"}))
    write_entry("b.yaml", entry_text("b", **{"url: https://www.rfc-editor.org/rfc/rfc1":
                                            "url: http://only-http.example/rfc1"}))
    finding = one(registry)  # rfc-editor and ietf are reached over https by the other entry
    assert (finding.file, finding.line, finding.column, finding.code, finding.severity) == (
        "registry/standards/a.yaml", 16, 8, "IS3C316", "warning")
    assert finding.message == ("'http://www.ietf.org/' is not encrypted, while the registry "
                               "reaches 'www.ietf.org' over https")
    assert finding.hint == "write 'https://www.ietf.org/'"


def test_a_proposed_entry_has_no_listed_since(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"status: proposed": "status: proposed\n  listed_since: 2026-01-01"}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code, finding.path, finding.severity) == (
        24, 17, "IS3C317", "lifecycle.listed_since", "error")


@pytest.mark.parametrize(("maturity", "reported"), [
    ("Experimental", True), ("Informational", True), ("Informational (obsoleted by RFC 9989)", True),
    ("Historic", True), ("Proposed Standard", False), ("Internet Standard", False)])
def test_an_urgent_entry_citing_an_unsettled_specification(
    registry: Path, write_entry: WriteEntry, maturity: str, reported: bool
) -> None:
    write_entry("x.yaml", entry_text("x", **{"    publisher: IETF": f"    publisher: IETF\n    maturity: {maturity}",
                                            "lifecycle:": URGENT_SECTIONS + "lifecycle:",
                                            "tier: recommended": "tier: urgent"}))
    assert findings(registry) == ([(X, 14, 15, "IS3C318", "specifications[0].maturity")] if reported else [])
    write_entry("y.yaml", entry_text("y", **{"    publisher: IETF": f"    publisher: IETF\n    maturity: {maturity}"}))
    assert [f for f in validate(registry).findings if f.file.endswith("y.yaml")] == []  # not urgent


URGENT_SECTIONS = """procurement:
  requirement: must
  tender_clause: The supplier MUST do it for the whole contract term.
  evidence:
    - A report.
verification:
  methods:
    - audit
"""


@pytest.mark.parametrize(("host", "message"), [
    ("xn--e1afmkfd.org", "has the punycode host 'xn--e1afmkfd.org', which reads 'пример.org'"),
    ("www.xn--pple-43d.com", "has the punycode host 'www.xn--pple-43d.com', which reads 'www.аpple.com'"),
    ("192.0.2.7", "has the numeric host '192.0.2.7', which is the IP address 192.0.2.7"),
    ("0xc0000207", "has the numeric host '0xc0000207', which is the IP address 192.0.2.7"),
    ("3221225991", "has the numeric host '3221225991', which is the IP address 192.0.2.7"),
    ("0300.0.02.07", "has the numeric host '0300.0.02.07', which is the IP address 192.0.2.7"),
])
def test_addresses_name_their_host(registry: Path, write_entry: WriteEntry, host: str, message: str) -> None:
    write_entry("x.yaml", entry_text("x", **{"url: https://www.ietf.org/": f"url: https://{host}/x"}))
    finding = one(registry)
    assert (finding.line, finding.column, finding.code, finding.path) == (16, 8, "IS3C319", "maintainer.url")
    assert finding.message == f"'https://{host}/x' {message}"


@pytest.mark.parametrize(("url", "message", "hint"), [
    ("https://example.org/a b", "holds a space, which RFC 3986 does not allow in an address",
     "write it percent-encoded, as %20"),
    ("https://example.org/?q=<b>", "holds '<', which RFC 3986 does not allow in an address",
     "write it percent-encoded, as %3C"),
    ('https://example.org/"x"', "holds '\"', which RFC 3986 does not allow in an address",
     "write it percent-encoded, as %22"),
    ("https://example.org/a>", "holds '>', which RFC 3986 does not allow in an address",
     "write it percent-encoded, as %3E"),
])
def test_addresses_with_characters_rfc_3986_does_not_allow(
    registry: Path, write_entry: WriteEntry, url: str, message: str, hint: str
) -> None:
    write_entry("x.yaml", entry_text("x", **{"url: https://www.ietf.org/": f"url: '{url}'"}))
    finding = one(registry)
    assert (finding.line, finding.code, finding.message, finding.hint) == (
        16, "IS3C205", f"{show(url)} {message}", hint)


def test_a_file_outside_the_registry_is_checked_as_an_entry(
    registry: Path, write_entry: WriteEntry, tmp_path: Path
) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "my-draft.yaml").write_text(entry_text("dnssec", **{"- website": "- websites"}))
    (drafts / "Draft Two.yaml").write_text(entry_text("two"))
    result = validate(registry, only=[drafts])
    assert [(f.file, f.line, f.code) for f in result.findings] == [
        ("drafts/Draft Two.yaml", 1, "IS3C102"),  # and not also "id differs from the file name"
        ("drafts/my-draft.yaml", 2, "IS3C301"),
        ("drafts/my-draft.yaml", 21, "IS3C304"),
    ]
    assert result.files_checked == 2
    assert result.findings[1].message == "id 'dnssec' differs from the file name 'my-draft.yaml'"
