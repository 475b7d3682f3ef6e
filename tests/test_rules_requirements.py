"""Rules that keep requirement ids stable (IS3C320) and explanations of why a clause
applies to a product type tied to applies_to (IS3C321)."""

from __future__ import annotations

from pathlib import Path

from conftest import WriteEntry, entry_text
from is3c.validate import validate

PROCUREMENT = """procurement:
  requirement: must
  tender_clause: The supplier MUST do it for the whole contract term.
  evidence:
    - A report.
{extra}lifecycle:"""


def test_an_entry_id_may_not_take_the_requirement_id_of_a_clause_part(
        registry: Path, write_entry: WriteEntry) -> None:
    write_entry("dmarc.yaml", entry_text("dmarc"))
    write_entry("dmarc-2.yaml", entry_text("dmarc-2"))
    write_entry("tls-1-3.yaml", entry_text("tls-1-3"))  # no entry 'tls-1': fine
    write_entry("etsi-en-303-645.yaml", entry_text("etsi-en-303-645"))
    result = validate(registry)
    assert [(f.file, f.line, f.code, f.path, f.message) for f in result.findings] == [
        ("registry/standards/dmarc-2.yaml", 2, "IS3C320", "id",
         "the requirement id IS3C-DMARC-2 of this entry is kept for part 2 of the clause of "
         "entry 'dmarc'"),
    ]
    assert result.findings[0].hint.startswith("choose an id that does not end in '-<number>'")


def test_applies_because_names_only_product_types_the_entry_applies_to(
        registry: Path, write_entry: WriteEntry) -> None:
    extra = ("  applies_because:\n    website: Every domain name needs it.\n"
             "    iot-device: Devices send mail too.\n")
    write_entry("x.yaml", entry_text("x", **{"lifecycle:": PROCUREMENT.format(extra=extra)}))
    result = validate(registry)
    assert [(f.line, f.code, f.path, f.message, f.hint) for f in result.findings] == [
        (29, "IS3C321", "procurement.applies_because.iot-device",
         "applies_because explains 'iot-device', which is not in applies_to",
         "add it to applies_to or remove the explanation"),
    ]
