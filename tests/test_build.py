"""build.py: which entries land on which list, in what order and language."""

from __future__ import annotations

from build_fixture import FIXTURE, RELEASE, fixture_build, fixture_registry
from is3c.build import build, document, localize
from is3c.i18n import registry_texts, translations
from is3c.model import Entry


def ids(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.id for i in items]


def test_urgent_list_holds_accepted_urgent_entries_in_category_order() -> None:
    built = fixture_build()
    assert [s.category.id for s in built.urgent.sections] == ["dns", "routing", "web"]
    assert ids(built.urgent.items) == ["dnssec", "rpki", "hostile-text"]
    assert built.urgent.annex == ()


def test_full_list_groups_accepted_entries_by_category_in_vocabulary_order() -> None:
    built = fixture_build()
    sections = [(s.category.id, ids(s.items)) for s in built.full.sections]
    assert sections == [
        ("dns", ["dnssec"]),
        ("routing", ["rpki"]),
        ("transport-security", ["tls"]),
        ("web", ["hostile-text"]),
        ("email", ["dane"]),
        ("vulnerability-handling", ["security-txt"]),
    ]


def test_full_list_annex_holds_the_rest_by_status_with_replacements() -> None:
    annex = fixture_build().full.annex
    assert [(i.id, i.entry.lifecycle.status) for i in annex] == [
        ("post-quantum-tls", "proposed"),
        ("tls-1-0", "deprecated"),
        ("old-practice", "withdrawn"),
    ]
    replacement = annex[1].replacement
    assert replacement is not None and replacement.id == "tls"
    assert annex[0].replacement is None and annex[2].replacement is None


def test_every_product_type_gets_an_annex_in_vocabulary_order() -> None:
    built = fixture_build()
    assert [a.product_type.id for a in built.annexes] == [
        t.id for t in fixture_registry().product_types
    ]
    empty = built.annex_for("software")
    assert empty is not None and empty.count == 0


def test_annex_orders_urgent_first_then_must_before_should() -> None:
    built = fixture_build()
    email = built.annex_for("email-service")
    assert email is not None
    # DNSSEC and the hostile entry are urgent/must; TLS recommended/must; DANE should.
    assert ids(email.clauses) == ["hostile-text", "dnssec", "tls", "dane"]
    website = built.annex_for("website")
    assert website is not None
    assert ids(website.without_clause) == ["security-txt"]
    assert "tls-1-0" not in ids(website.clauses) + ids(website.without_clause)
    assert built.annex_for("no-such-type") is None


def test_items_cover_every_entry_for_the_standard_pages() -> None:
    built = fixture_build()
    assert ids(built.items) == sorted(e.id for e in fixture_registry().entries)
    dnssec = next(i for i in built.items if i.id == "dnssec")
    assert [(relation, other.id) for relation, other in dnssec.related] == [("complements", "dane")]
    assert [t.id for t in dnssec.product_types] == ["dns-hosting", "email-service", "website"]


def test_texts_come_from_the_catalog_of_the_language() -> None:
    built = fixture_build("fr")
    dnssec = next(i for i in built.items if i.id == "dnssec")
    assert dnssec.entry.title == "Extensions de sécurité du système de noms de domaine"
    assert dnssec.entry.summary.startswith("Ajoute des signatures")
    assert dnssec.entry.procurement is not None
    assert dnssec.entry.procurement.tender_clause.startswith("Le prestataire DOIT")
    assert dnssec.entry.procurement.evidence == [
        "Un résultat de test internet.nl indiquant DNSSEC comme réussi pour chaque nom de domaine."]
    assert {dnssec.languages[path] for path in ("title", "summary", "benefit", "priority.rationale",
                                                 "procurement.tender_clause",
                                                 "procurement.evidence")} == {"fr"}
    assert not dnssec.untranslated("procurement.tender_clause")
    # Everything else is the entry's own.
    assert dnssec.entry.id == "dnssec" and dnssec.entry.priority.tier == "urgent"


def test_a_text_without_a_current_translation_stays_english_and_says_so() -> None:
    built = fixture_build("fr")
    tls = next(i for i in built.items if i.id == "tls")
    english = next(e for e in fixture_registry().entries if e.id == "tls")
    assert tls.entry.summary == english.summary
    assert tls.languages["summary"] == "en" and tls.untranslated("summary")
    # The JSON lists say which fields are English.
    assert "summary" in document(built.full, built).untranslated["tls"]
    assert "dnssec" not in document(built.full, built).untranslated
    # English builds mark nothing.
    assert not next(i for i in fixture_build().items if i.id == "tls").untranslated("summary")
    assert document(fixture_build().full, fixture_build()).untranslated == {}


def test_a_list_is_translated_whole_or_not_at_all() -> None:
    entry = next(e for e in fixture_registry().entries if e.id == "rpki")
    assert entry.procurement is not None
    first, second = entry.procurement.evidence
    half = {("rpki:procurement.evidence", first): "Une liste des ROA."}
    localized, languages = localize(entry, "fr", half)
    assert localized.procurement is not None
    assert localized.procurement.evidence == [first, second]
    assert languages["procurement.evidence"] == "en"
    whole = {**half, ("rpki:procurement.evidence", second): "Une déclaration."}
    localized, languages = localize(entry, "fr", whole)
    assert localized.procurement is not None
    assert localized.procurement.evidence == ["Une liste des ROA.", "Une déclaration."]
    assert languages["procurement.evidence"] == "fr"


def test_a_translation_of_old_english_is_not_used() -> None:
    entry = next(e for e in fixture_registry().entries if e.id == "dnssec")
    stale = {("dnssec:title", "Old English title"): "Ancien titre"}
    localized, languages = localize(entry, "fr", stale)
    assert localized is entry and languages["title"] == "en"


def test_a_regional_language_falls_back_to_its_base_language() -> None:
    built = build(fixture_registry(), RELEASE, "fr-CA", registry_texts(FIXTURE, "fr-CA"))
    dnssec = next(i for i in built.items if i.id == "dnssec")
    assert dnssec.entry.title == "Extensions de sécurité du système de noms de domaine"
    assert translations("fr-CA").gettext("Urgent") == "Urgente"


def test_vocabulary_is_translated_too() -> None:
    registry = fixture_registry()
    term = registry.categories[0]
    texts = {(f"categories:{term.id}.title", term.title): "Titre traduit"}
    built = build(registry, RELEASE, "fr", texts)
    assert built.categories[0].title == "Titre traduit"
    assert built.categories[0].description == term.description


def test_coverage_counts_current_translations_per_list() -> None:
    built = fixture_build("fr")
    coverage = dict(built.coverage)
    assert coverage["urgent"].percent == 100
    assert 0 < coverage["all"].percent < 100
    assert {"urgent", "full", "all"} | {f"annex:{t.id}" for t in built.product_types} == set(coverage)
    assert fixture_build().coverage == ()


def test_document_is_the_published_envelope() -> None:
    built = fixture_build()
    doc = document(built.full, built)
    assert (doc.list, doc.count, doc.released, doc.registry_version, doc.language) == (
        "full", 6, "2026-01-01", "fixture-1", "en")
    assert [e.id for e in doc.annex] == ["post-quantum-tls", "tls-1-0", "old-practice"]
    assert all(isinstance(e, Entry) for e in doc.entries)
    assert document(built.urgent, built).annex == []


def test_build_is_pure() -> None:
    registry = fixture_registry()
    assert build(registry, RELEASE) == build(registry, RELEASE)


def test_unknown_vocabulary_ids_do_not_crash_a_hand_made_registry() -> None:
    registry = fixture_registry()
    entry = registry.entries[0].model_copy(update={"category": "nowhere",
                                                   "applies_to": ["nothing", "website"]})
    odd = type(registry)(registry.categories, registry.product_types, (entry,))
    built = build(odd, RELEASE)
    assert built.items[0].category.id == "nowhere"
    assert [t.id for t in built.items[0].product_types] == ["website"]
    # A category outside the vocabulary is on no list section.
    assert built.full.sections == ()
