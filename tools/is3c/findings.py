"""Findings: what every check layer reports, and the output formats for them.

Text that came from a file (values, keys and the file names themselves) is never
trusted: ``safe`` escapes every character that is not printable (controls, bidi
overrides, zero-width and other invisible characters, separators other than the
space) as a ``\\u202e``-style escape and cuts the text at ``MAX_VALUE_CHARS``, so a
hostile value cannot forge a GitHub workflow command, reorder or hide part of a log
line, move the cursor of a terminal, or flood a log. Ordinary text in any script,
and punctuation such as an ellipsis, is shown as it is.
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
    "IS3C115": "key uses look-alike or invisible characters",
    "IS3C116": "acknowledgement comment not valid",
    "IS3C117": "too many problems in one file",
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
    "IS3C316": "http:// address for a host the registry reaches over https",
    "IS3C317": "proposed entry with a listed_since date",
    "IS3C318": "urgent entry citing an Experimental or Informational specification",
    "IS3C319": "address with a punycode or numeric host",
    "IS3C320": "entry id takes the requirement id of another entry's clause part",
    "IS3C321": "applies_because explains a product type the entry does not apply to",
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

# Codes that are advice, not errors: the only ones a file may acknowledge with an
# '# is3c: allow CODE -- reason' comment (docs/findings.md).
WARNING_CODES = frozenset({"IS3C312", "IS3C313", "IS3C316", "IS3C318"})

# At most this many characters of any one value from a file are printed.
MAX_VALUE_CHARS = 200


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


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _pieces(text: str) -> list[str]:
    # str.isprintable is false for exactly the characters to escape: Unicode's
    # "Other" (controls, format characters such as bidi overrides, zero-width and
    # tag characters, surrogates, private use, unassigned) and "Separator" classes,
    # except the ASCII space.
    return [char if char.isprintable() else _escape_char(char) for char in text]


def safe(text: str, limit: int | None = MAX_VALUE_CHARS) -> str:
    """Text from a file, safe to print: non-printable characters escaped, and at most
    ``limit`` characters long (the escapes included), ending in an ellipsis when cut."""
    if text.isprintable() and (limit is None or len(text) <= limit):
        return text
    pieces = _pieces(text)
    if limit is None or sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    kept, size = [], 0
    for piece in pieces:
        if size + len(piece) > limit - 1:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept) + "…"


def safe_path(path: str) -> str:
    """A file name or path, safe to print; a long one keeps its start and its end."""
    if path.isprintable() and len(path) <= MAX_VALUE_CHARS:
        return path
    escaped = "".join(_pieces(path))
    if len(escaped) <= MAX_VALUE_CHARS:
        return escaped
    half = (MAX_VALUE_CHARS - 1) // 2
    return escaped[:half] + "…" + escaped[-(MAX_VALUE_CHARS - 1 - half):]


def show(value: object) -> str:
    """A value from a file, safe to print: escaped, cut short, and quoted if text."""
    if isinstance(value, str):
        return f"'{safe(value)}'"
    return safe(json.dumps(value, ensure_ascii=False, default=str))


def json_safe(text: str) -> str:
    """JSON text with every non-printable character inside its strings written as a
    JSON escape: the same data for a program, nothing hidden for a person."""
    if text.isascii():
        return text  # json.dumps already escapes the ASCII controls
    out = []
    for char in text:
        if char.isprintable() or char == "\n":
            out.append(char)
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:  # a surrogate pair, as JSON writes characters beyond the BMP
            code = ord(char) - 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    return "".join(out)


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
        where = f" {safe(f.path, None)}:" if f.path else ""
        # Every part is escaped where it is made; escaping the whole line again
        # keeps a mistake in one check from ever reaching the terminal raw.
        lines.append(f"{safe_path(f.file)}:{f.line}:{f.column}: {head}{where} {safe(f.message, None)}")
        if f.hint:
            lines.append(f"    fix: {safe(f.hint, None)}")
    lines.append(summary_line(findings, files_checked))
    return "\n".join(lines) + "\n"


def format_json(findings: list[Finding], files_checked: int) -> str:
    payload = {
        "files_checked": files_checked,
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "findings": [asdict(f) for f in findings],
    }
    return json_safe(json.dumps(payload, indent=2, ensure_ascii=False)) + "\n"


def _escape_data(text: str) -> str:
    text = safe(text, None)
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
