"""Content rules (IS3C4xx): a tender clause a buyer can paste into a binding tender
must say how long it holds, accept equivalent certificates, name the tests that
verify it, and avoid wording nobody can test."""

from __future__ import annotations

from pathlib import Path

from conftest import WriteEntry, entry_text

from is3c.validate import validate

GOOD_CLAUSE = (
    "The supplier MUST publish the example record for every domain name it manages for the "
    "buyer. This applies for the whole contract term."
)


def with_procurement(clause: str = GOOD_CLAUSE, methods: str = "automated-test",
                     tool: str = "    - name: Internet.nl\n      url: https://internet.nl/\n"
                                 "      test_ids:\n        - mail-auth\n") -> str:
    """The fixture entry with a procurement and verification section appended."""
    return entry_text("x") + (
        "procurement:\n"
        "  requirement: must\n"
        f"  tender_clause: {clause}\n"
        "  evidence:\n"
        "    - A test report.\n"
        "verification:\n"
        "  methods:\n"
        f"    - {methods}\n"
        "  tools:\n" + tool
    )


def found(registry: Path) -> list[tuple[int, str, str, str]]:
    return [(f.line, f.code, f.path, f.message) for f in validate(registry).findings]


def test_a_complete_clause_passes(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", with_procurement())
    assert found(registry) == []


def test_clause_without_duration(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", with_procurement("The supplier MUST publish the example record."))
    assert found(registry) == [
        (28, "IS3C401", "procurement.tender_clause", "the tender clause does not say how long it holds"),
    ]


def test_certification_without_equivalents(registry: Path, write_entry: WriteEntry) -> None:
    clause = "The supplier MUST hold a certification to ISO/IEC 27001 for the whole contract term."
    write_entry("x.yaml", with_procurement(clause))
    assert found(registry) == [
        (28, "IS3C402", "procurement.tender_clause",
         "the clause asks for a certification but does not accept equivalents"),
    ]
    write_entry("x.yaml", with_procurement(clause.replace("27001", "27001 or equivalent")))
    assert found(registry) == []
    write_entry("x.yaml", with_procurement(clause.replace("27001", "27001, or by an equivalent report")))
    assert found(registry) == []
    # "equivalent" alone is not an alternative the bidder may offer
    write_entry("x.yaml", with_procurement(clause.replace("27001", "27001 (an equivalent of 27002)")))
    assert [code for _, code, _, _ in found(registry)] == ["IS3C402"]


def test_certification_method_needs_equivalents_in_the_clause(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", with_procurement(methods="certification"))
    assert [code for _, code, _, _ in found(registry)] == ["IS3C402"]


def test_a_certification_authority_is_not_a_certification(registry: Path, write_entry: WriteEntry) -> None:
    clause = ("Certificates MUST chain to a publicly trusted certification authority for the whole "
              "contract term.")
    write_entry("x.yaml", with_procurement(clause))
    assert found(registry) == []


def test_tool_without_test_ids(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", with_procurement(tool="    - name: Some Scanner\n      url: https://example.org/\n"))
    result = validate(registry).findings
    assert [(f.line, f.code, f.path, f.message) for f in result] == [
        (35, "IS3C403", "verification.tools[0].test_ids", "the tool 'Some Scanner' names no test"),
    ]
    assert "test_ids" in result[0].hint


def test_untestable_wording(registry: Path, write_entry: WriteEntry) -> None:
    clause = ("The product MUST support the example protocol as soon as the vendor offers it, "
              "for the whole contract term.")
    write_entry("x.yaml", with_procurement(clause))
    assert found(registry) == [
        (28, "IS3C404", "procurement.tender_clause", "the clause uses the untestable wording 'as soon as'"),
    ]


def test_entries_without_procurement_are_not_checked(registry: Path, write_entry: WriteEntry) -> None:
    write_entry("x.yaml", entry_text("x"))
    assert found(registry) == []


# --- verification steps, as officers see them -----------------------------------------


def test_steps_are_shown_numbered_on_the_page_and_in_the_annex() -> None:
    from build_fixture import RELEASE
    from conftest import REPO

    from is3c.build import build
    from is3c.render import annex_file, markdown, site

    result = validate(REPO / "registry")
    assert result.registry is not None
    built = build(result.registry, RELEASE, "en")
    dmarc = next(e for e in result.registry.entries if e.id == "dmarc")
    assert dmarc.verification is not None and dmarc.verification.steps
    first = dmarc.verification.steps[0]

    annex = markdown.render(built)[annex_file("email-service", "md")].decode("utf-8")
    assert f"1. {first}" in annex.replace("\\", "")

    pages = site.render(built)
    page = next(pages[p].decode("utf-8") for p in pages if p.endswith("dmarc/index.html")
                or p.endswith("dmarc.html"))
    assert '<ol class="steps">' in page
    assert "Facts checked" in page
