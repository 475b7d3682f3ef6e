"""Findings: what every check layer reports, and the output formats for them.

Text that came from an entry file is never trusted: it is shown escaped and cut
short, so a hostile value cannot forge a GitHub workflow command, move the cursor
of a terminal, or flood a log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# Stable codes: never renumber, never reuse. Documented in docs/findings.md.
CODES: dict[str, str] = {
    "IS3C001": "committed JSON Schema differs from the models",
    "IS3C101": "not a regular file",
    "IS3C102": "file name is not <id>.yaml",
    "IS3C103": "file too large",
    "IS3C104": "not UTF-8 text",
    "IS3C105": "YAML syntax error",
    "IS3C106": "YAML tag not allowed",
    "IS3C107": "YAML anchor, alias or merge key not allowed",
    "IS3C108": "YAML directive not allowed",
    "IS3C109": "more than one YAML document",
    "IS3C110": "top level is not a mapping",
    "IS3C111": "nested too deeply",
    "IS3C112": "duplicate key",
    "IS3C113": "forbidden character",
    "IS3C114": "key is not plain text",
    "IS3C201": "required field missing",
    "IS3C202": "unknown field",
    "IS3C203": "wrong type",
    "IS3C204": "value not allowed",
    "IS3C205": "value has the wrong form",
    "IS3C206": "value too long, too short, or too many items",
    "IS3C207": "items repeated",
    "IS3C299": "other schema violation",
    "IS3C301": "id differs from the file name",
    "IS3C302": "id used twice",
    "IS3C303": "unknown category",
    "IS3C304": "unknown product type",
    "IS3C305": "related entry does not exist",
    "IS3C306": "superseded_by entry does not exist",
    "IS3C307": "supersession cycle",
    "IS3C308": "urgent entry without procurement or verification",
    "IS3C309": "accepted entry without a review decision",
    "IS3C310": "vocabulary id used twice",
    "IS3C311": "entry relates to itself",
    "IS3C312": "dates out of order",
    "IS3C313": "superseded entry is still accepted",
    "IS3C314": "entry file deleted",
    "IS3C315": "placeholder text left in",
    "IS3C401": "tender clause states no duration",
    "IS3C402": "certification asked without accepting equivalents",
    "IS3C403": "verification tool names no test",
    "IS3C404": "untestable wording in a tender clause",
    "IS3C501": "translation catalog cannot be read",
    "IS3C502": "msgctxt names no entry or field",
    "IS3C503": "translation of an English text the registry no longer has",
    "IS3C504": "placeholders differ from the English",
    "IS3C505": "RFC numbers differ from the English",
    "IS3C506": "requirement keywords differ from the English",
    "IS3C507": "numbers differ from the English",
    "IS3C508": "required translation of an urgent entry missing",
    "IS3C509": "translation of an urgent entry is fuzzy",
    "IS3C510": "template catalog differs from the registry",
    "IS3C601": "decision file name does not start with its date",
    "IS3C602": "decision names an entry that does not exist",
    "IS3C603": "decision change has a missing or stray tier",
    "IS3C604": "decision lists the same change twice",
    "IS3C605": "decision names someone not serving on the panel",
    "IS3C606": "objection without reasons",
    "IS3C607": "unanswered objection blocks consensus",
    "IS3C608": "decision process incomplete",
    "IS3C609": "panel member, role or position listed twice",
    "IS3C610": "panel term ends before it starts",
    "IS3C611": "review.decision missing or names no record",
    "IS3C612": "review.decision is not the entry's newest decision",
    "IS3C613": "status not made by a decision",
    "IS3C614": "tier not set by a decision",
    "IS3C615": "decision record deleted",
    "IS3C616": "merged decision record edited",
    "IS3C617": "list change without a decision",
}

MAX_VALUE_CHARS = 60


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    column: int
    code: str
    path: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def show(value: object) -> str:
    """A value from an entry, safe to print: escaped, quoted and cut short."""
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    # ascii() escapes newlines, escape characters and every non-ASCII code point,
    # so nothing in the value can act on a terminal or a CI log.
    escaped = ascii(text)[1:-1]
    return f"'{escaped}'" if isinstance(value, str) else escaped


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(findings: list[Finding], files_checked: int) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    checked = _plural(files_checked, "file")
    if not findings:
        return f"{checked} checked: no problems found."
    return f"{checked} checked: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}."


def format_text(findings: list[Finding], files_checked: int) -> str:
    import click

    lines = []
    for f in findings:
        colour = "red" if f.severity == "error" else "yellow"
        head = click.style(f"{f.severity} {f.code}", fg=colour, bold=True)
        where = f" {f.path}:" if f.path else ""
        lines.append(f"{f.location}: {head}{where} {f.message}")
        if f.hint:
            lines.append(f"    fix: {f.hint}")
    lines.append(summary_line(findings, files_checked))
    return "\n".join(lines) + "\n"


def format_json(findings: list[Finding], files_checked: int) -> str:
    payload = {
        "files_checked": files_checked,
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "findings": [asdict(f) for f in findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Finding], files_checked: int) -> str:
    """GitHub Actions workflow commands: one annotation per finding.

    Values are already escaped by ``show``; the workflow-command escaping here makes
    sure no newline can start a second command even if a message carried one.
    """
    lines = []
    for f in findings:
        message = f.message + (f" Fix: {f.hint}" if f.hint else "")
        if f.path:
            message = f"{f.path}: {message}"
        props = ",".join(
            [
                f"file={_escape_property(f.file)}",
                f"line={f.line}",
                f"col={f.column}",
                f"title={_escape_property(f.code)}",
            ]
        )
        lines.append(f"::{f.severity} {props}::{_escape_data(message)}")
    lines.append(summary_line(findings, files_checked))
    return "\n".join(lines) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
