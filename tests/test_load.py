"""Layer 1: every hazard a hostile or careless entry file can carry is refused with
the file, line and stable code, in bounded time, and without a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import WriteEntry, entry_text

from is3c.load import MAX_FILE_BYTES, load, parse
from is3c.validate import validate

F = "registry/standards/x.yaml"


def reported(registry: Path) -> list[tuple[str, int, int, str]]:
    return [(f.file, f.line, f.column, f.code) for f in validate(registry).findings]


def only_finding(registry: Path) -> tuple[str, int, int, str]:
    findings = reported(registry)
    assert len(findings) == 1, findings
    return findings[0]


def test_valid_entry_loads_with_positions(registry: Path, write_entry: WriteEntry) -> None:
    path = write_entry("example.yaml", entry_text())
    doc, findings = load(path, "example.yaml")
    assert findings == []
    assert doc is not None
    assert doc.data["priority"]["tier"] == "recommended"
    assert doc.value_marks[("priority", "tier")] == (18, 9)
    assert doc.key_marks[("priority",)] == (17, 1)
    assert doc.value_marks[("specifications", 0, "url")] == (12, 10)
    assert reported(registry) == []


def test_symlink_is_refused_and_never_followed(registry: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=abc\n")
    os.symlink(secret, registry / "standards" / "x.yaml")
    assert only_finding(registry) == (F, 1, 1, "IS3C101")
    assert all("TOKEN" not in f.message for f in validate(registry).findings)


def test_fifo_is_refused_without_blocking(registry: Path) -> None:
    os.mkfifo(registry / "standards" / "x.yaml")
    assert only_finding(registry) == (F, 1, 1, "IS3C101")


def test_directory_in_standards_is_refused(registry: Path) -> None:
    (registry / "standards" / "x.yaml").mkdir()
    assert only_finding(registry) == (F, 1, 1, "IS3C101")


@pytest.mark.parametrize("name", ["Example.yaml", "example.yml", "example.yaml.bak", "-rf.yaml", "café.yaml"])
def test_file_names_must_be_id_dot_yaml(registry: Path, write_entry: WriteEntry, name: str) -> None:
    write_entry(name, entry_text())
    (file, line, column, code), = reported(registry)
    assert (line, column, code) == (1, 1, "IS3C102")
    assert file == f"registry/standards/{name}"


def test_stray_file_in_registry_folder(registry: Path) -> None:
    (registry / "notes.txt").write_text("hello")
    assert only_finding(registry) == ("registry/notes.txt", 1, 1, "IS3C102")


def test_oversize_file_is_refused_before_reading(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "id: x\n" + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    assert only_finding(registry) == (F, 1, 1, "IS3C103")


def test_latin1_bytes_are_refused_with_position(registry: Path, write_entry: WriteEntry) -> None:
    text = entry_text("x", **{"title: Example Standard": "title: Caf\xe9 Standard"})
    write_entry("x.yaml", text.encode("latin-1"))
    assert only_finding(registry) == (F, 3, 11, "IS3C104")


def test_every_bad_byte_is_reported_and_the_rest_is_still_checked(
    registry: Path, write_entry: WriteEntry
) -> None:
    text = entry_text("x", **{"title: Example Standard": "title: Caf\xe9 na\xefve",
                              "benefit: It": "benefit: \xa9 It", "tier: recommended": "tier: urgnt"})
    write_entry("x.yaml", text.encode("latin-1"))
    assert reported(registry) == [
        (F, 3, 11, "IS3C104"), (F, 3, 15, "IS3C104"), (F, 8, 10, "IS3C104"), (F, 18, 9, "IS3C204"),
    ]


def test_utf16_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "id: x\n".encode("utf-16"))
    assert only_finding(registry) == (F, 1, 1, "IS3C104")


def test_utf8_bom_is_tolerated(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", b"\xef\xbb\xbf" + entry_text("x").encode())
    assert reported(registry) == []


def test_tab_indentation_is_a_syntax_error_with_line(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "id: x\n\ttitle: y\n")
    assert only_finding(registry) == (F, 2, 1, "IS3C105")


def test_code_executing_tag_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"summary:": "tags: !!python/object/apply:os.system "
                                                        "['touch pwned']\nsummary:"}))
    assert only_finding(registry) == (F, 7, 7, "IS3C106")
    assert not Path("pwned").exists()
    assert "'!!python/object/apply:os.system'" in validate(registry).findings[0].message


@pytest.mark.parametrize("value", ["!include other.yaml", "!!binary aGVsbG8=", "!!set {a: null}", "!!str text"])
def test_every_explicit_tag_is_refused(registry: Path, write_entry: WriteEntry, value: str) -> None:
    write_entry("x.yaml", entry_text("x", **{"title: Example Standard": f"title: {value}"}))
    # The tagged value is left out, and not reported again as a missing title.
    assert only_finding(registry) == (F, 3, 8, "IS3C106")


def test_every_tag_is_reported_on_its_own_line(registry: Path, write_entry: WriteEntry) -> None:
    text = entry_text("x", **{"title: Example Standard": "title: !!str Example",
                              "short_name: EXS": "short_name: !x EXS",
                              "summary:": "tags: [dns, !!str web, !!binary aGk=, mail, !a b, !b c, !c d]\nsummary:"})
    write_entry("x.yaml", text)
    assert reported(registry) == [
        (F, 3, 8, "IS3C106"), (F, 4, 13, "IS3C106"),
        (F, 7, 13, "IS3C106"), (F, 7, 24, "IS3C106"), (F, 7, 45, "IS3C106"),
        (F, 7, 51, "IS3C106"), (F, 7, 57, "IS3C106"),
    ]


def test_anchor_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"summary:": "tags: &t [a, b]\nsummary:"}))
    assert only_finding(registry) == (F, 7, 7, "IS3C107")


def test_alias_bomb_is_reported_alias_by_alias_in_bounded_time(
    registry: Path, write_entry: WriteEntry
) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    write_entry("x.yaml", entry_text("x") + "\n".join(lines) + "\n")
    started = time.perf_counter()
    findings = reported(registry)
    assert time.perf_counter() - started < 5
    anchors = [(F, 26 + level, 5, "IS3C107") for level in range(10)]
    aliases = [(F, 26 + level, 10 + 4 * i, "IS3C107") for level in range(1, 10) for i in range(9)]
    unknown = [(F, 26 + level, 1, "IS3C202") for level in range(10)]
    assert findings == sorted(anchors + aliases + unknown)


def test_merge_key_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"  status: proposed": "  <<: {status: accepted}"}))
    # What the merge would have brought in is unknown: no "status is missing" as well.
    assert only_finding(registry) == (F, 23, 3, "IS3C107")


def test_merge_of_an_alias_is_one_problem(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"  status: proposed": "  <<: *base"}))
    assert only_finding(registry) == (F, 23, 3, "IS3C107")


@pytest.mark.parametrize("directive", ["%YAML 1.1", "%TAG ! tag:example.com,2000:"])
def test_directives_are_refused(registry: Path, write_entry: WriteEntry, directive: str) -> None:
    write_entry("x.yaml", f"{directive}\n---\n" + entry_text("x"))
    assert only_finding(registry) == (F, 1, 1, "IS3C108")


def test_second_document_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x") + "---\nid: y\n")
    (file, line, _, code), = reported(registry)
    assert (file, line, code) == (F, 26, "IS3C109")


@pytest.mark.parametrize(
    ("content", "expected"),
    [("", (F, 1, 1, "IS3C110")), ("# only a comment\n", (F, 1, 1, "IS3C110")),
     ("- a\n- b\n", (F, 1, 1, "IS3C110")), ("just text\n", (F, 1, 1, "IS3C110"))],
)
def test_top_level_must_be_a_mapping(registry: Path, write_entry: WriteEntry, content: str, expected: tuple) -> None:
    write_entry("x.yaml", content)
    assert only_finding(registry) == expected


def test_deep_flow_nesting_stops_at_the_cap_quickly(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "id: x\ntags: " + "[" * 10_000 + "]" * 10_000 + "\n")
    # The loader stops there: the fields after it are not reported missing.
    started = time.perf_counter()
    (file, line, _, code), = reported(registry)
    assert (file, line, code) == (F, 2, "IS3C111")
    assert time.perf_counter() - started < 5


def test_deep_block_nesting_stops_at_the_cap(registry: Path, write_entry: WriteEntry) -> None:
    text = "id: x\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(300)) + "  " * 300 + "v\n"
    # The loader stops there: the fields after it are not reported missing.
    write_entry("x.yaml", text)
    (file, line, _, code), = reported(registry)
    assert (file, line, code) == (F, 12, "IS3C111")


def test_duplicate_keys_name_both_lines(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"short_name: EXS\n": "short_name: EXS\ntitle: Again\n"}))
    findings = validate(registry).findings
    assert [(f.file, f.line, f.column, f.code, f.path) for f in findings] == [
        (F, 5, 1, "IS3C112", "title")
    ]
    assert "first written on line 3" in findings[0].message


def test_duplicate_keys_inside_a_list_item(registry: Path, write_entry: WriteEntry) -> None:
    text = entry_text("x", **{"    publisher: IETF\n": "    publisher: IETF\n    url: https://example.org/\n"})
    write_entry("x.yaml", text)
    assert only_finding(registry) == (F, 14, 5, "IS3C112")


def test_bidi_override_in_raw_text_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x", **{"title: Example": "title: Exa\u202emple"}))
    assert only_finding(registry) == (F, 3, 11, "IS3C113")


def test_zero_width_space_in_a_comment_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "# note\u200b\n" + entry_text("x"))
    assert only_finding(registry) == (F, 1, 7, "IS3C113")


@pytest.mark.parametrize("escape", ["\\e", "\\0", "\\u202E", "\\ud800", "\\t", "\\L"])
def test_control_characters_from_escapes_are_refused(registry: Path, write_entry: WriteEntry, escape: str) -> None:
    write_entry("x.yaml", entry_text("x", **{"title: Example Standard": f'title: "Example{escape}"'}))
    assert only_finding(registry) == (F, 3, 8, "IS3C113")


def test_non_latin_letters_are_welcome(registry: Path, write_entry: WriteEntry) -> None:
    text = entry_text("x", **{"title: Example Standard": "title: معيار أمني セキュリティ標準"})
    write_entry("x.yaml", text)
    assert reported(registry) == []


def test_mapping_as_key_is_refused(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", "id: x\n? [a, b]\n: c\n")
    assert only_finding(registry) == (F, 2, 3, "IS3C114")


def test_dates_stay_text_as_written() -> None:
    doc, findings = parse("since: 2018-08-10\nwhen: 2001-12-14t21:59:43.10-05:00\n", "t.yaml")
    assert findings == []
    assert doc is not None
    assert doc.data == {"since": "2018-08-10", "when": "2001-12-14t21:59:43.10-05:00"}


def test_yaml_1_2_typing_keeps_norway_as_text() -> None:
    doc, _ = parse("a: NO\nb: yes\nc: off\nd: true\ne: 010\nf: 1.10\ng: ~\nh: '1.10'\ni: 0x1F\n", "t.yaml")
    assert doc is not None
    assert doc.data == {"a": "NO", "b": "yes", "c": "off", "d": True, "e": 10, "f": 1.1,
                        "g": None, "h": "1.10", "i": 31}
    assert doc.typed_scalars[("f",)] == "1.10"


def test_every_file_is_reported_in_one_run(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("a.yaml", entry_text("a") + "id: b\n")
    write_entry("b.yaml", entry_text("b", **{"title: Example": "title: !!str Example"}))
    write_entry("c.yaml", entry_text("c", **{"short_name: EXS": "short_name: E\xffS"}).encode("latin-1"))
    assert reported(registry) == [
        ("registry/standards/a.yaml", 26, 1, "IS3C112"),
        ("registry/standards/b.yaml", 3, 8, "IS3C106"),
        ("registry/standards/c.yaml", 4, 14, "IS3C104"),
    ]


PARITY_SAMPLES = [
    entry_text("x"),
    "id: x\n\ttitle: y\n",
    "id: x\ntags: !!python/object/apply:os.system ['ls']\n",
    "id: x\ntitle: !include other.yaml\n",
    "id: x\ntags: &t [a, b]\nsummary: *t\n",
    "id: x\nlifecycle:\n  <<: {status: accepted}\n",
    "%YAML 1.1\n---\nid: x\n",
    "id: x\n---\nid: y\n",
    "", "# comment only\n", "- a\n", "text\n",
    "id: x\ntags: " + "[" * 5000 + "]" * 5000 + "\n",
    "id: a\nid: b\n",
    'id: x\ntitle: "a\\eb"\n',
    "id: x\n? [a, b]\n: c\n",
    "a: NO\nb: yes\nc: 2018-08-10\nd: 1.10\ne: true\nf: ~\ng: '1'\n",
    "title: |\n  two\n  lines\nsummary: >-\n  folded\n  text\n",
    "id: [unclosed\n",
    "key: 'unterminated\n",
    # Problems the loader reports and reads on from.
    "tags: [a, !!str b, &x c, *x, d]\ntitle: !t x\n",
    "a: 1\n? [k]\n: v\n<<: *m\nb: 2\nb: 3\n",
    "t\u0456tle: x\nｓhort_name: y\ntitle\u00a0: z\n",
    "a: x\u200by\nb: \u202ez\nc: ok\n# \u2066\n",
    'a: "tab\\there"\nb: "esc\\e"\nc: fine\n',
    "a:\n  b:\n    - !!binary aGk=\n    - &y [1, *y]\n  c: d\n",
    "# is3c: allow IS3C318 -- why\na: 1  # is3c: allow IS3C301 -- no\n",
]


@pytest.mark.parametrize("text", PARITY_SAMPLES)
def test_fast_and_careful_parsers_agree(text: str) -> None:
    fast_doc, fast_findings = parse(text, "x.yaml")
    careful_doc, careful_findings = parse(text, "x.yaml", careful=True)
    assert [(f.line, f.column, f.code, f.path) for f in fast_findings] == [
        (f.line, f.column, f.code, f.path) for f in careful_findings
    ]
    assert (fast_doc is None) == (careful_doc is None)
    if fast_doc is not None and careful_doc is not None:
        assert fast_doc.data == careful_doc.data
        assert fast_doc.value_marks == careful_doc.value_marks
        assert fast_doc.key_marks == careful_doc.key_marks
        assert fast_doc.refused == careful_doc.refused
        assert fast_doc.allowed == careful_doc.allowed


def test_real_entries_load_the_same_on_both_paths() -> None:
    from conftest import REPO

    for path in sorted((REPO / "registry" / "standards").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast, _ = parse(text, path.name)
        careful, _ = parse(text, path.name, careful=True)
        assert fast is not None and careful is not None, path.name
        assert (fast.data, fast.value_marks) == (careful.data, careful.value_marks), path.name


def test_each_look_alike_key_is_reported_and_read_as_the_field_it_imitates(
    registry: Path, write_entry: WriteEntry
) -> None:
    text = entry_text("x", **{"\ntitle:": "\nt\u0456tle:",  # Cyrillic і
                              "short_name:": "ｓhort_name:",  # fullwidth s
                              "  tier:": "  tier\u00a0:",  # no-break space
                              "kind: standard": "kind: standrd"})
    write_entry("x.yaml", text)
    findings = validate(registry).findings
    assert [(f.file, f.line, f.column, f.code, f.path) for f in findings] == [
        (F, 3, 1, "IS3C115", "title"),
        (F, 4, 1, "IS3C115", "short_name"),
        (F, 5, 7, "IS3C204", "kind"),  # the values under the keys are still checked
        (F, 18, 3, "IS3C115", "priority.tier"),
    ]
    assert findings[0].message == (
        "key 't\u0456tle' looks like 'title' but holds U+0456 CYRILLIC SMALL LETTER "
        "BYELORUSSIAN-UKRAINIAN I")
    assert findings[0].hint == "retype the key as 'title' in plain ASCII"
    assert findings[3].message.startswith("key 'tier\\xa0' looks like 'tier' but holds U+00A0")


def test_every_invisible_character_is_reported_on_its_own_line(
    registry: Path, write_entry: WriteEntry
) -> None:
    text = entry_text("x", **{"summary: A short": "summary: A\u200b short\u200b",
                              "benefit: It": "benefit: \u202eIt",
                              "rationale: Because": "rationale: Be\u2066cause"})
    write_entry("x.yaml", "# a\u200dnote\u200d\n" + text)
    assert reported(registry) == [
        (F, 1, 4, "IS3C113"), (F, 1, 9, "IS3C113"), (F, 8, 11, "IS3C113"), (F, 8, 18, "IS3C113"),
        (F, 9, 10, "IS3C113"), (F, 20, 16, "IS3C113"),
    ]


def test_a_flood_of_problems_stops_with_one_finding_that_says_so(
    registry: Path, write_entry: WriteEntry
) -> None:
    write_entry("x.yaml", entry_text("x") + "".join(f"k{i}: !t v\n" for i in range(500)))
    codes = [code for _, _, _, code in reported(registry)]
    assert codes.count("IS3C106") == 100 and codes[-1] == "IS3C117"


@pytest.mark.parametrize("name", ["con.yaml", "nul.yaml", "aux.yaml", "prn.yaml", "com1.yaml",
                                  "lpt9.yaml"])
def test_windows_device_names_are_refused(registry: Path, write_entry: WriteEntry, name: str) -> None:
    write_entry(name, entry_text(name[:-5]))
    finding, = validate(registry).findings
    assert (finding.file, finding.line, finding.code) == (f"registry/standards/{name}", 1, "IS3C102")
    assert finding.message == (f"file name '{name}' cannot exist on Windows: "
                               f"{name[:-5].upper()} is a reserved device name")


def test_names_that_only_start_like_a_device_are_fine(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("console.yaml", entry_text("console"))
    write_entry("com10.yaml", entry_text("com10"))
    assert reported(registry) == []


def test_acknowledged_warnings_are_left_out_and_bad_acknowledgements_reported(
    registry: Path, write_entry: WriteEntry
) -> None:
    dates = ("status: proposed\n  last_reviewed: 2026-05-01\n"
             "  next_review_due: 2026-01-01  # is3c: allow IS3C312 -- the panel moved the review\n")
    write_entry("a.yaml", entry_text("a", **{"status: proposed\n": dates}))
    write_entry("b.yaml", entry_text("b", **{"status: proposed\n": dates.replace(
        " -- the panel moved the review", "")}))
    write_entry("c.yaml", entry_text("c", **{"kind: standard": "kind: standard  # is3c: allow IS3C204 -- x"}))
    result = validate(registry).findings
    assert [(f.file, f.line, f.column, f.code) for f in result] == [
        ("registry/standards/b.yaml", 25, 20, "IS3C312"),
        ("registry/standards/b.yaml", 25, 32, "IS3C116"),
        ("registry/standards/c.yaml", 5, 17, "IS3C116"),
    ]
    assert result[1].message == "says which warning to allow but not why"
    assert result[2].message == "IS3C204 is an error; only warnings can be acknowledged"
