"""Bytes to plain data with positions, refusing every YAML hazard on the way.

Entry files come from untrusted pull requests, so the loader never builds anything
that YAML itself would construct: it reads the parser's event stream and assembles
plain dicts, lists and strings by hand. That is what lets it refuse tags, anchors,
aliases, merge keys and directives before they take effect, stop at a depth limit
before the parser recurses, keep dates as the text written, apply YAML 1.2 core
typing (``yes`` and ``NO`` stay text), and remember the line and column of every
key and value for error messages.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from is3c.findings import Finding, show

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 10
MAX_CHAR_FINDINGS = 5
PLACEHOLDER = "TODO"
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.yaml$")

# Characters that have no business in an entry: C0/C1 controls, bidirectional
# overrides and isolates (Trojan Source), zero-width and other invisible format
# characters, line/paragraph separators, and lone surrogates from "\ud800" escapes.
# Tab, line feed and carriage return are allowed in the file (indentation is the
# parser's business); inside values only line feed is.
_FORBIDDEN = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u2028\u2029\ud800-\udfff"
)
FORBIDDEN_IN_FILE = re.compile(f"[{_FORBIDDEN}]")
FORBIDDEN_IN_VALUE = re.compile(f"[{_FORBIDDEN}\t\r]")

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"
)

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML file: plain data plus where each key and value was written."""

    file: str
    data: dict[str, Any]
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Source text of plain scalars that YAML typed as something other than text,
    # so a "wrong type" error can show how to quote it.
    typed_scalars: dict[Path_, str] = field(default_factory=dict)
    # Whether any value is null (an empty value, '~' or 'null'). Registry files never
    # need one; noting it here, while every scalar passes by anyway, lets the schema
    # step skip a walk over the data.
    has_null: bool = False
    # Paths of text that still starts with the placeholder 'is3c new' writes.
    placeholders: list[Path_] = field(default_factory=list)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path``, or of its nearest written ancestor."""
        marks = self.key_marks if key else self.value_marks
        while path:
            if path in marks:
                return marks[path]
            path = path[:-1]
        return marks.get((), (1, 1))


class _Abort(Exception):
    """A hazard after which the rest of the file cannot be trusted."""

    def __init__(self, finding: Finding) -> None:
        self.finding = finding


def char_name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def read_bytes(path: Path, file: str) -> tuple[bytes | None, list[Finding]]:
    """Read a regular file without following links, within the size cap."""

    def refuse(code: str, message: str, hint: str) -> tuple[None, list[Finding]]:
        return None, [Finding(file, 1, 1, code, "", message, hint)]

    try:
        info = path.lstat()
    except OSError as error:
        return refuse("IS3C101", f"cannot be read: {error.strerror}", "check the path exists")
    if stat.S_ISLNK(info.st_mode):
        return refuse(
            "IS3C101",
            "is a symbolic link; links are never followed",
            "replace the link with the file itself",
        )
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        return refuse("IS3C101", f"is {kind}", "keep only <id>.yaml files here")
    if info.st_size > MAX_FILE_BYTES:
        return refuse(
            "IS3C103",
            f"is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}",
            "an entry is a few kilobytes; move long text to the linked documents",
        )
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        return refuse("IS3C101", f"cannot be opened: {error.strerror}", "check the file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return refuse("IS3C103", f"is larger than {MAX_FILE_BYTES} bytes", "shorten the file")
    return data, []


def decode(data: bytes, file: str) -> tuple[str | None, list[Finding]]:
    """Strict UTF-8, tolerating one leading byte-order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Finding(file, 1, 1, "IS3C104", "", "is UTF-16 or UTF-32 encoded",
                    "save the file as UTF-8")
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Finding(file, line, column, "IS3C104", "",
                    f"byte 0x{data[error.start]:02x} is not valid UTF-8",
                    "save the file as UTF-8 (not Latin-1 or Windows-1252)")
        ]
    findings = []
    for match in FORBIDDEN_IN_FILE.finditer(text):
        line, column = _position(text, match.start())
        findings.append(
            Finding(file, line, column, "IS3C113", "",
                    f"contains the invisible or control character {char_name(match.group())}",
                    "delete it; such characters can hide or reorder text")
        )
        if len(findings) >= MAX_CHAR_FINDINGS:
            break
    return (None, findings) if findings else (text, [])


# Only plain scalars starting with one of these can be anything but text.
_TYPED_START = frozenset("~nNtTfF0123456789+-.")


def _resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema typing for a plain (unquoted) scalar; no timestamps."""
    if value and value[0] not in _TYPED_START:
        return value
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.match(value):
        return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return value


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("container", "path", "is_map", "key", "discard", "seen")

    def __init__(self, container: Any, path: Path_) -> None:
        self.container = container
        self.path = path
        self.is_map = isinstance(container, dict)
        self.key: str | None = None  # the mapping key whose value comes next
        self.discard = False  # that value belongs to a duplicate key
        self.seen: dict[str, int] = {}


# Parser events by class name; both parsers use the same names.
_SCALAR, _START_MAP, _START_SEQ, _END, _ALIAS, _DOC_START, _OTHER = range(7)
_EVENT_KINDS = {
    "ScalarEvent": _SCALAR, "MappingStartEvent": _START_MAP, "SequenceStartEvent": _START_SEQ,
    "MappingEndEvent": _END, "SequenceEndEvent": _END, "AliasEvent": _ALIAS,
    "DocumentStartEvent": _DOC_START,
}


class _Builder:
    """Turns parser events into plain data, checking each node as it arrives.

    It runs once per event of every file, so it is written for speed: slots,
    one dispatch per event, and cheap tests before any regular expression."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.doc = Document(file, {})
        self.findings: list[Finding] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.kinds: dict[type, int] = {}

    def abort(self, mark: Any, code: str, message: str, hint: str, path: Path_ = ()) -> None:
        raise _Abort(
            Finding(self.file, mark.line + 1, mark.column + 1, code, dotted(path), message, hint)
        )

    def feed(self, event: Any) -> None:
        cls = type(event)
        kind = self.kinds.get(cls)
        if kind is None:
            kind = self.kinds[cls] = _EVENT_KINDS.get(cls.__name__, _OTHER)
        if kind == _SCALAR or kind == _START_MAP or kind == _START_SEQ or kind == _ALIAS:
            self.node(event, kind)
        elif kind == _END:
            self.place(self.stack.pop().container)
        elif kind == _DOC_START:
            self.documents += 1
            if self.documents > 1:
                self.abort(event.start_mark, "IS3C109", "holds a second YAML document",
                           "keep one entry per file and remove the '---' separator")
            if getattr(event, "version", None) or getattr(event, "tags", None):
                self.abort(event.start_mark, "IS3C108", "uses a %YAML or %TAG directive",
                           "delete the directive line; entries are always YAML 1.2")

    def node(self, event: Any, kind: int) -> None:
        if kind == _ALIAS:
            self.abort(event.start_mark, "IS3C107", f"uses the alias *{show(event.anchor)[1:-1]}",
                       "write the value out in full; anchors and aliases are not allowed")
        if event.anchor is not None:
            self.abort(event.start_mark, "IS3C107", f"defines the anchor &{show(event.anchor)[1:-1]}",
                       "remove the anchor; anchors and aliases are not allowed")
        if event.tag is not None:
            self.abort(event.start_mark, "IS3C106", f"uses the YAML tag {show(event.tag)}",
                       "remove the tag; write the value as plain text")
        frame = self.stack[-1] if self.stack else None
        if frame is None:
            path: Path_ = ()
        elif frame.is_map:
            if frame.key is None:
                self.key(event, kind, frame)
                return
            path = (*frame.path, frame.key)
        else:
            path = (*frame.path, len(frame.container))
        mark = event.start_mark
        self.doc.value_marks[path] = (mark.line + 1, mark.column + 1)
        if kind == _SCALAR:
            self.scalar(event, path)
            return
        if len(self.stack) >= MAX_DEPTH:
            self.abort(mark, "IS3C111", f"is nested more than {MAX_DEPTH} levels deep",
                       "entries need only a few levels; check the indentation", path)
        self.stack.append(_Frame({} if kind == _START_MAP else [], path))

    def key(self, event: Any, kind: int, frame: _Frame) -> None:
        mark = event.start_mark
        if kind != _SCALAR:
            self.abort(mark, "IS3C114", "uses a list or mapping as a key",
                       "keys are field names such as 'title:'", frame.path)
        key = event.value
        if key == "<<" and not event.style:
            self.abort(mark, "IS3C107", "uses the merge key '<<'",
                       "write the fields out in full; merge keys are not allowed", frame.path)
        self.check_text(key, event.style, mark, frame.path)
        frame.key = key
        if key in frame.seen:
            self.findings.append(
                Finding(self.file, mark.line + 1, mark.column + 1, "IS3C112",
                        dotted((*frame.path, key)),
                        f"duplicate key {show(key)}; it was first written on line {frame.seen[key]}",
                        "keep one of the two and delete the other")
            )
            frame.discard = True
            return
        frame.seen[key] = mark.line + 1
        self.doc.key_marks[(*frame.path, key)] = (mark.line + 1, mark.column + 1)

    def scalar(self, event: Any, path: Path_) -> None:
        value: Any = event.value
        style = event.style
        if not style and event.implicit[0]:
            value = _resolve_plain(value)
            if not isinstance(value, str):
                self.doc.typed_scalars[path] = event.value
                if value is None:
                    self.doc.has_null = True
                self.place(value)
                return
        self.check_text(value, style, event.start_mark, path)
        if value.startswith(PLACEHOLDER):
            self.doc.placeholders.append(path)
        self.place(value)

    def check_text(self, text: str, style: str | None, mark: Any, path: Path_) -> None:
        # The raw file was already searched for forbidden characters; only escapes
        # in double quotes can add new ones, while tab and carriage return are
        # allowed in the file (indentation, line ends) but not inside a value.
        if style != '"' and "\t" not in text and "\r" not in text:
            return
        match = FORBIDDEN_IN_VALUE.search(text)
        if match:
            self.findings.append(
                Finding(self.file, mark.line + 1, mark.column + 1, "IS3C113", dotted(path),
                        f"contains the character {char_name(match.group())}",
                        "remove it; use plain text (and only line breaks in long text)")
            )

    def place(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if frame.is_map:
            if frame.discard:
                frame.discard = False
            else:
                frame.container[frame.key] = value
            frame.key = None
        else:
            frame.container.append(value)


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out



def _fast_events(text: str) -> Iterator[Any]:
    """Events from libyaml (through PyYAML's C binding): about ten times faster."""
    import yaml

    return yaml.parse(text, Loader=yaml.CSafeLoader)  # type: ignore[no-any-return]


def _careful_events(text: str) -> Iterator[Any]:
    """Events from ruamel.yaml's pure-Python YAML 1.2 parser: the reference."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).parse(io.StringIO(text))  # type: ignore[no-any-return]


@cache
def fast_parser_available() -> bool:
    try:
        import yaml

        return hasattr(yaml, "CSafeLoader")
    except ImportError:
        return False


def parse(text: str, file: str, *, careful: bool = False) -> tuple[Document | None, list[Finding]]:
    """YAML text to a Document; any finding means the data must not be used.

    Both parsers feed the same builder, so every check holds on either path. libyaml
    reads YAML 1.1 syntax, which differs from 1.2 only in corners (such as the
    escape "\\/"); when it reports a syntax error, the YAML 1.2 parser has the last word.
    """
    if careful or not fast_parser_available():
        return _parse_with(_careful_events, text, file)
    doc, findings = _parse_with(_fast_events, text, file)
    if any(f.code == "IS3C105" for f in findings):
        return _parse_with(_careful_events, text, file)
    return doc, findings


def _syntax_error(file: str, error: Any) -> Finding:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or getattr(error, "context", None)
    if mark is None or problem is None:
        return Finding(file, 1, 1, "IS3C105", "", f"YAML syntax error: {show(str(error))}",
                       "check the file's structure")
    return Finding(file, mark.line + 1, mark.column + 1, "IS3C105", "",
                   f"YAML syntax error: {problem}",
                   "check indentation (spaces, not tabs), colons and quotes near this line")


def _parse_with(
    events: Callable[[str], Iterator[Any]], text: str, file: str
) -> tuple[Document | None, list[Finding]]:
    builder = _Builder(file)
    try:
        for event in events(text):
            builder.feed(event)
    except _Abort as abort:
        finding = abort.finding
        if finding.code == "IS3C108":
            # Parsers disagree on where a directive "starts"; point at its own line.
            directive = re.search(r"^%", text, re.MULTILINE)
            line = text.count("\n", 0, directive.start()) + 1 if directive else finding.line
            finding = Finding(file, line, 1, finding.code, "", finding.message, finding.hint)
        return None, [*builder.findings, finding]
    except (RecursionError, ValueError) as error:
        return None, [*builder.findings, _syntax_error(file, error)]
    except Exception as error:  # noqa: BLE001 - both libraries' YAMLError classes
        if type(error).__module__.split(".")[0] not in ("yaml", "ruamel"):
            raise
        return None, [*builder.findings, _syntax_error(file, error)]
    if builder.findings:
        return None, builder.findings
    if builder.documents == 0 or builder.root is None:
        return None, [Finding(file, 1, 1, "IS3C110", "", "is empty",
                              "write the entry's fields, starting with 'id:'")]
    if not isinstance(builder.root, dict):
        kind = "a list" if isinstance(builder.root, list) else "a single value"
        return None, [Finding(file, 1, 1, "IS3C110", "", f"holds {kind}, not a mapping of fields",
                              "write one field per line, such as 'id: dnssec'")]
    builder.doc.data = builder.root
    return builder.doc, []


def load(path: Path, file: str, *, careful: bool = False) -> tuple[Document | None, list[Finding]]:
    """Read, decode and parse one file safely."""
    data, findings = read_bytes(path, file)
    if data is None:
        return None, findings
    text, findings = decode(data, file)
    if text is None:
        return None, findings
    return parse(text, file, careful=careful)


def check_name(path: Path, file: str) -> list[Finding]:
    """Entry files are flat, lowercase, ASCII and end in '.yaml'."""
    if FILE_NAME.match(path.name):
        return []
    hint = "name the file <id>.yaml with a lowercase id, e.g. dnssec.yaml"
    if path.suffix == ".yml":
        hint = "rename it to end in '.yaml'"
    return [Finding(file, 1, 1, "IS3C102", "", f"file name {show(path.name)} is not <id>.yaml", hint)]
