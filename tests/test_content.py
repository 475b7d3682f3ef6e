"""Invariants that make the real registry usable by a procurement officer.

These run on the committed content in registry/, not on fixtures: they fail when
an entry is added or changed in a way that leaves a gap on the published lists.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from conftest import REPO

from is3c.i18n import REQUIRED_LANGUAGES, entry_texts, registry_texts
from is3c.model import Entry
from is3c.validate import Registry, validate

REGISTRY = REPO / "registry"

# Publisher names used in entries, and the web domains their documents live on.
PUBLISHER_DOMAINS = {
    "IETF": ("rfc-editor.org", "datatracker.ietf.org", "ietf.org"),
    "W3C": ("w3.org",),
    "WHATWG": ("whatwg.org",),
    "ISO/IEC": ("iso.org",),
    "ETSI": ("etsi.org",),
    "NIST": ("nist.gov",),
    "CEN-CENELEC": ("cencenelec.eu",),
    "OASIS": ("oasis-open.org",),
    "OWASP": ("owasp.org",),
    "Ecma International": ("ecma-international.org",),
    "SPDX": ("spdx.dev", "spdx.org"),
    "OpenID Foundation": ("openid.net",),
    "FIDO Alliance": ("fidoalliance.org",),
    "Wi-Fi Alliance": ("wi-fi.org",),
    "IEEE": ("ieee.org",),
    "CIS": ("cisecurity.org",),
    "MANRS": ("manrs.org",),
    "OpenSSF": ("openssf.org", "slsa.dev", "github.com/ossf/"),
    "NCSC-NL": ("ncsc.nl",),
    "CISA": ("cisa.gov",),
    "IEC": ("iec.ch",),
    "BSI (Germany)": ("bsi.bund.de",),
    "AICPA": ("aicpa-cima.com",),
    "European Commission": ("europa.eu",),
    "Chromium project": ("hstspreload.org",),
    "ICANN SSAC": ("icann.org",),
}

# The security standards on the Dutch comply-or-explain list, which the registry
# must carry (issue: real registry content).
DUTCH_LIST = ["dnssec", "tls", "https-hsts", "spf", "dkim", "dmarc", "starttls-dane", "ipv6",
              "rpki", "security-txt", "wpa-enterprise", "iso-iec-27001"]


@cache
def registry() -> Registry:
    result = validate(REPO / "registry", schema_dir=REPO / "schemas")
    errors = [f"{f.location} {f.code} {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors, "\n".join(errors)
    assert result.registry is not None
    return result.registry


def entries() -> list[Entry]:
    return list(registry().entries)


def urgent() -> list[Entry]:
    return [e for e in entries() if e.priority.tier == "urgent"]


def on_domain(url: str, domains: tuple[str, ...]) -> bool:
    """True when the URL is on one of the domains; "host/path/" entries also match the path
    (for publishers whose documents live under their own account on a shared host)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    for domain in domains:
        name, _, path = domain.partition("/")
        if (host == name or host.endswith("." + name)) and (parts.path or "/").startswith("/" + path):
            return True
    return False


def test_registry_validates_cleanly() -> None:
    result = validate(REPO / "registry", schema_dir=REPO / "schemas")
    assert [f.location + " " + f.code for f in result.findings] == []


def test_at_least_65_entries() -> None:
    assert len(entries()) >= 65


def test_every_category_and_product_type_is_used() -> None:
    used_categories = {e.category for e in entries()}
    used_products = {p for e in entries() for p in e.applies_to}
    assert [c.id for c in registry().categories if c.id not in used_categories] == []
    assert [p.id for p in registry().product_types if p.id not in used_products] == []


def test_dutch_comply_or_explain_security_standards_are_present() -> None:
    ids = {e.id for e in entries()}
    assert [i for i in DUTCH_LIST if i not in ids] == []


def test_urgent_list_is_deliberately_short() -> None:
    accepted_urgent = [e for e in urgent() if e.lifecycle.status == "accepted"]
    assert 10 <= len(accepted_urgent) <= 20, [e.id for e in accepted_urgent]


def test_urgent_entries_are_ready_for_a_tender() -> None:
    problems = []
    for entry in urgent():
        procurement, verification = entry.procurement, entry.verification
        if procurement is None or verification is None:
            problems.append(f"{entry.id}: procurement or verification missing")
            continue
        if procurement.requirement != "must" or "MUST" not in procurement.tender_clause:
            problems.append(f"{entry.id}: the clause must state a MUST requirement")
        # A certificate or assessment report is checked by reading it; every other
        # urgent entry names a tool (with its test ids, IS3C403) that a buyer can re-run.
        if not verification.tools and "certification" not in verification.methods:
            problems.append(f"{entry.id}: name at least one verification tool")
        for language in REQUIRED_LANGUAGES:
            texts = registry_texts(REGISTRY, language)
            missing = sorted({path for path, context, text in entry_texts(entry)
                              if (context, text) not in texts})
            if missing:
                problems.append(f"{entry.id}: no current '{language}' translation of "
                                f"{', '.join(missing)}")
    assert problems == []


def test_every_entry_cites_a_document_at_its_publisher() -> None:
    problems = []
    for entry in entries():
        unknown = [s.publisher for s in entry.specifications if s.publisher not in PUBLISHER_DOMAINS]
        if unknown:
            problems.append(f"{entry.id}: unknown publisher {unknown} (add it to PUBLISHER_DOMAINS)")
        elif not any(on_domain(s.url, PUBLISHER_DOMAINS[s.publisher]) for s in entry.specifications):
            problems.append(f"{entry.id}: no specification URL on its publisher's domain")
    assert problems == []


def test_every_rfc_points_to_the_rfc_editor_or_datatracker() -> None:
    for entry in entries():
        for spec in entry.specifications:
            if spec.id.startswith("RFC "):
                number = spec.id.split()[1]
                assert spec.url.rstrip("/").endswith(f"rfc{number}") or spec.url.endswith(f"rfc{number}.html"), (
                    entry.id, spec.id, spec.url)


def test_related_links_that_must_exist() -> None:
    relations = {(e.id, r.id): r.relation for e in entries() for r in e.related}
    assert relations.get(("dane", "dnssec")) == "requires"
    assert relations.get(("dmarc", "spf")) in ("requires", "extends", "complements")
    assert relations.get(("dmarc", "dkim")) in ("requires", "extends", "complements")
    # MTA-STS adds to STARTTLS with DANE; it is no alternative to an urgent MUST.
    assert relations.get(("mta-sts", "starttls-dane")) == "complements"


def test_urgent_entries_tell_a_non_engineer_how_to_check_them() -> None:
    """Every urgent clause comes with numbered steps, each ending in what a pass looks like."""
    missing = [e.id for e in urgent() if e.verification is None or len(e.verification.steps) < 2]
    assert missing == []
    without_pass = [e.id for e in urgent() if e.verification is not None
                    and not any("pass" in step.casefold() for step in e.verification.steps)]
    assert without_pass == []
