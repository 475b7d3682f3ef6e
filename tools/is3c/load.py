"""Bytes to plain data with positions, refusing every YAML hazard on the way.

Entry files come from untrusted pull requests, so the loader never builds anything
that YAML itself would construct: it reads the parser's event stream and assembles
plain dicts, lists and strings by hand. That is what lets it refuse tags, anchors,
aliases, merge keys and directives before they take effect, stop at a depth limit
before the parser recurses, keep dates as the text written, apply YAML 1.2 core
typing (``yes`` and ``NO`` stay text), and remember the line and column of every
key and value for error messages.

A refused node is reported and left out, and loading goes on, so one run reports
every problem in a file: each tag, alias, bad byte, invisible character and
look-alike key on its own line. What was left out is remembered
(``Document.refused``), so the later layers do not report its absence again.
Only a syntax error, a second document, nesting past the limit or a flood of
problems stops the loader; the data read until then is still checked.
"""

from __future__ import annotations

import bisect
import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from is3c.findings import WARNING_CODES, Finding, show

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 10
# A file with more loader problems than this is hostile or hopeless: stop reading.
MAX_LOAD_FINDINGS = 100
PLACEHOLDER = "TODO"
FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.yaml$")
# Device names that Windows refuses as a file name, whatever the extension; a
# registry must check out on every contributor's machine.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)

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
# What a refused character is read as, so the parser can go on: printable, allowed
# by YAML, one character wide (positions stay right) and never part of a valid value.
REPLACEMENT = "\ufffd"

_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$"
)

Path_ = tuple[str | int, ...]

# Document.refused kinds: the node at the path was left out, or the mapping or list
# at the path lacks some of what the file wrote in it.
LEFT_OUT, INCOMPLETE = "left out", "incomplete"


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
    # What the loader refused or could not read, by path: LEFT_OUT (a value left out;
    # a null holds its place in a list) or INCOMPLETE (a mapping or list not read to
    # its end, or a mapping that lost keys it may have had, through '<<' say).
    refused: dict[Path_, str] = field(default_factory=dict)
    # Warnings acknowledged in the file: line -> codes ('# is3c: allow CODE -- why').
    allowed: dict[int, frozenset[str]] = field(default_factory=dict)

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path``, or of its nearest written ancestor."""
        marks = self.key_marks if key else self.value_marks
        while path:
            if path in marks:
                return marks[path]
            path = path[:-1]
        return marks.get((), (1, 1))


class _Abort(Exception):
    """The rest of the file cannot be read (its finding is already recorded)."""


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
    """Strict UTF-8, tolerating one leading byte-order mark.

    Each byte that is not UTF-8 is reported at its line and column (in characters)
    and read as U+FFFD, so the rest of the file is still checked; the values that
    hold one are left out of the data (``parse`` is told where they are)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Finding(file, 1, 1, "IS3C104", "", "is UTF-16 or UTF-32 encoded",
                    "save the file as UTF-8")
        ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    findings: list[Finding] = []
    pieces: list[str] = []
    line, line_start = 1, 0  # line number, and the character offset where it starts
    position = 0  # characters decoded so far
    offset = 0  # bytes decoded so far
    while True:
        try:
            pieces.append(data[offset:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            bad, offset = offset + error.start, offset + error.end
            good = data[offset - error.end:bad].decode("utf-8")
        pieces.append(good)
        if "\n" in good:
            line += good.count("\n")
            line_start = position + good.rfind("\n") + 1
        position += len(good)
        findings.append(
            Finding(file, line, position - line_start + 1, "IS3C104", "",
                    f"byte 0x{data[bad]:02x} is not valid UTF-8",
                    "save the file as UTF-8 (not Latin-1 or Windows-1252)")
        )
        pieces.append(REPLACEMENT)
        position += 1
        if len(findings) >= MAX_LOAD_FINDINGS:
            pieces.append(data[offset:].decode("utf-8", "replace"))
            findings.append(_too_many(file, line, "bytes that are not UTF-8"))
            break
    return "".join(pieces), findings


def _tag(tag: str) -> str:
    """A tag as it is written: '!!str' rather than 'tag:yaml.org,2002:str'."""
    prefix = "tag:yaml.org,2002:"
    return show("!!" + tag[len(prefix):] if tag.startswith(prefix) else tag)


def _too_many(file: str, line: int, what: str) -> Finding:
    return Finding(file, line, 1, "IS3C117",
                   "", f"has more than {MAX_LOAD_FINDINGS} {what}; the rest of the file was not checked",
                   "fix the problems reported above, then run the check again")


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


# --- look-alike keys --------------------------------------------------------------

# Letters from other scripts that look like Latin ones in most fonts: the part of
# Unicode's confusables (UTS #39) that can make a field name look right.
_CONFUSABLES = {
    **dict(zip("аеорсухіјѕԁһӏԛԝкɑıɡ", "aeopcyxijsdhlqwkaig")),  # Cyrillic and Latin lower case
    **dict(zip("АВЕКМНОРСТХІЈЅ", "ABEKMHOPCTXIJS")),  # Cyrillic upper case
    **dict(zip("αοινκρυχ", "aoivkpux")),  # Greek lower case
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")),  # Greek upper case
    **dict.fromkeys("‐‑‒–—−", "-"),  # dashes that look like a hyphen
}


def _skeleton(key: str) -> str:
    """What a key is made to look like: compatibility forms folded (fullwidth
    letters, ligatures, no-break spaces), accents, invisible characters and refused
    ones dropped, and look-alike letters replaced by the Latin ones."""
    out = []
    for char in unicodedata.normalize("NFKD", key):
        if char.isascii():
            out.append(char)
        elif unicodedata.category(char) == "Mn" or not char.isprintable() or char == REPLACEMENT:
            continue
        else:
            out.append(_CONFUSABLES.get(char, char))
    return "".join(out).strip()


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("container", "path", "is_map", "key", "discard", "merge", "seen", "dropped",
                 "is_key")

    def __init__(self, container: Any, path: Path_, dropped: bool = False, is_key: bool = False) -> None:
        self.container = container
        self.path = path
        self.is_map = isinstance(container, dict)
        self.key: str | None = None  # the mapping key whose value comes next
        self.discard = False  # that value is left out (duplicate or refused key)
        self.merge = False  # that key is a merge key '<<'
        self.seen: dict[str, int] = {}
        self.dropped = dropped  # this whole node is left out of the data
        self.is_key = is_key  # this node is a (refused) key, not a value


# Stands for a key that was refused, so its value can be read and left out.
_REFUSED_KEY = "\0refused key"

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

    def __init__(self, file: str, text: str, tainted: list[tuple[int, int]]) -> None:
        self.file = file
        self.text = text
        self.doc = Document(file, {})
        self.findings: list[Finding] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.kinds: dict[type, int] = {}
        # Inside a node that is left out, nothing is recorded (but hazards are reported).
        self.drop_depth = 0
        # Where refused characters were read as REPLACEMENT: (line, column), 0-based.
        self.tainted = tainted
        self.too_deep = False

    # --- reporting

    def report(self, mark: Any, code: str, message: str, hint: str, path: Path_ = (),
               line: int | None = None) -> None:
        if len(self.findings) >= MAX_LOAD_FINDINGS:
            self.findings.append(_too_many(self.file, mark.line + 1, "problems"))
            raise _Abort
        self.findings.append(Finding(self.file, line or mark.line + 1, 1 if line else mark.column + 1,
                                     code, dotted(path), message, hint))

    def abort(self, mark: Any, code: str, message: str, hint: str, path: Path_ = ()) -> None:
        self.report(mark, code, message, hint, path)
        raise _Abort

    def refuse(self, path: Path_) -> None:
        """The node at ``path`` is left out of the data: in a mapping the key goes
        with it; in a list a null holds its place, so the items after it keep theirs."""
        self.doc.refused[path] = LEFT_OUT

    def is_tainted(self, event: Any) -> bool:
        start, end = event.start_mark, event.end_mark
        index = bisect.bisect_left(self.tainted, (start.line, start.column))
        return index < len(self.tainted) and self.tainted[index] < (end.line, end.column)

    # --- events

    def feed(self, event: Any) -> None:
        cls = type(event)
        kind = self.kinds.get(cls)
        if kind is None:
            kind = self.kinds[cls] = _EVENT_KINDS.get(cls.__name__, _OTHER)
        if kind == _SCALAR or kind == _START_MAP or kind == _START_SEQ or kind == _ALIAS:
            self.node(event, kind)
        elif kind == _END:
            self.end()
        elif kind == _DOC_START:
            self.documents += 1
            if self.documents > 1:
                self.abort(event.start_mark, "IS3C109", "holds a second YAML document",
                           "keep one entry per file and remove the '---' separator")
            if getattr(event, "version", None) or getattr(event, "tags", None):
                self.directives(event)

    def directives(self, event: Any) -> None:
        # Parsers disagree on where a directive "starts"; point at each one's own line.
        for match in re.finditer(r"^%.*$", self.text, re.MULTILINE):
            line = self.text.count("\n", 0, match.start()) + 1
            if line > event.end_mark.line + 1:
                break
            self.report(event.start_mark, "IS3C108", "uses a %YAML or %TAG directive",
                        "delete the directive line; entries are always YAML 1.2", line=line)

    def node(self, event: Any, kind: int) -> None:
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
        dropped = self.drop_depth > 0 or (frame is not None and frame.discard)
        mark = event.start_mark
        if kind == _ALIAS:
            if not (frame is not None and frame.merge):  # '<<: *base' is one problem
                self.report(mark, "IS3C107", f"uses the alias *{show(event.anchor)[1:-1]}",
                            "write the value out in full; anchors and aliases are not allowed",
                            path)
            if not dropped:
                self.refuse(path)
            self.place(None, keep=False)
            return
        if event.anchor is not None:
            self.report(mark, "IS3C107", f"defines the anchor &{show(event.anchor)[1:-1]}",
                        "remove the anchor; anchors and aliases are not allowed", path)
        if event.tag is not None:
            self.report(mark, "IS3C106", f"uses the YAML tag {_tag(event.tag)}",
                        "remove the tag; write the value as plain text", path)
            if not dropped:
                self.refuse(path)
                dropped = True
        if not dropped:
            self.doc.value_marks[path] = (mark.line + 1, mark.column + 1)
        if kind == _SCALAR:
            self.scalar(event, path, frame, dropped)
            return
        if len(self.stack) >= MAX_DEPTH:
            self.too_deep = True
            self.abort(mark, "IS3C111", f"is nested more than {MAX_DEPTH} levels deep",
                       "entries need only a few levels; check the indentation", path)
        self.open({} if kind == _START_MAP else [], path, dropped)

    def open(self, container: Any, path: Path_, dropped: bool, is_key: bool = False) -> None:
        self.stack.append(_Frame(container, path, dropped, is_key))
        if dropped:
            self.drop_depth += 1

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.dropped:
            self.drop_depth -= 1
        if frame.is_key:
            parent = self.stack[-1]
            parent.key, parent.discard = _REFUSED_KEY, True
            return
        self.place(frame.container, keep=not frame.dropped)

    def key(self, event: Any, kind: int, frame: _Frame) -> None:
        mark = event.start_mark
        dropped = self.drop_depth > 0
        refused = False
        if kind == _ALIAS:
            self.report(mark, "IS3C107", f"uses the alias *{show(event.anchor)[1:-1]} as a key",
                        "write the field name out in full; anchors and aliases are not allowed",
                        frame.path)
            refused = True
        else:
            if event.anchor is not None:
                self.report(mark, "IS3C107", f"defines the anchor &{show(event.anchor)[1:-1]}",
                            "remove the anchor; anchors and aliases are not allowed", frame.path)
            if event.tag is not None:
                self.report(mark, "IS3C106", f"uses the YAML tag {_tag(event.tag)}",
                            "remove the tag; write the field name as plain text", frame.path)
                refused = True
        if kind != _SCALAR and kind != _ALIAS:
            self.report(mark, "IS3C114", "uses a list or mapping as a key",
                        "keys are field names such as 'title:'", frame.path)
            if not dropped:
                self.doc.refused[frame.path] = INCOMPLETE
            # Read the key's own nodes (and report what is in them), then its value.
            self.open({} if kind == _START_MAP else [], (*frame.path, _REFUSED_KEY), True, True)
            return
        key = _REFUSED_KEY if kind == _ALIAS else event.value
        if key == "<<" and not event.style and not refused:
            self.report(mark, "IS3C107", "uses the merge key '<<'",
                        "write the fields out in full; merge keys are not allowed", frame.path)
            if not dropped:
                self.doc.refused[frame.path] = INCOMPLETE
            frame.key, frame.discard, frame.merge = key, True, True
            return
        if not refused:
            key, refused = self.plain_key(event, key, frame.path)
        if refused:
            if not dropped:
                self.doc.refused[frame.path] = INCOMPLETE
            frame.key, frame.discard = _REFUSED_KEY, True
            return
        frame.key = key
        if key in frame.seen:
            written = event.value if kind == _SCALAR else key
            look_alike = f" (written with look-alike characters as {show(written)})" \
                if written != key else ""
            self.report(mark, "IS3C112",
                        f"duplicate key {show(key)}{look_alike}; it was first written on line "
                        f"{frame.seen[key]}",
                        "keep one of the two and delete the other", (*frame.path, key))
            frame.discard = True
            return
        frame.seen[key] = mark.line + 1
        if not dropped:
            self.doc.key_marks[(*frame.path, key)] = (mark.line + 1, mark.column + 1)

    def plain_key(self, event: Any, key: str, parent: Path_) -> tuple[str, bool]:
        """The key as the later layers see it, and whether it is refused. A key that
        imitates a field name with look-alike or invisible characters is reported and
        read as the name it imitates, so its value is still checked."""
        bad = self.check_text(key, event.style, event.start_mark, parent)
        tainted = bool(self.tainted) and self.is_tainted(event)
        if key.isascii() and not tainted:
            return key, bad
        folded = _skeleton(key)
        if not folded or not folded.isascii():
            return key, bad or tainted
        if not (bad or tainted) and folded not in self.stack[-1].seen:  # else: a duplicate
            odd = next(c for c in key if not c.isascii())
            self.report(event.start_mark, "IS3C115",
                        f"key {show(key)} looks like {show(folded)} but holds {char_name(odd)}",
                        f"retype the key as '{folded}' in plain ASCII", (*parent, folded))
        return folded, False

    def scalar(self, event: Any, path: Path_, frame: _Frame | None, dropped: bool) -> None:
        value: Any = event.value
        style = event.style
        if not style and event.implicit[0]:
            value = _resolve_plain(value)
            if not isinstance(value, str):
                if not dropped:
                    self.doc.typed_scalars[path] = event.value
                    if value is None:
                        self.doc.has_null = True
                self.place(value, keep=not dropped)
                return
        bad = self.check_text(value, style, event.start_mark, path)
        if (bad or (self.tainted and self.is_tainted(event))) and not dropped:
            # Reported already, here or where the file was read: leave the value out.
            self.refuse(path)
            dropped = True
        if not dropped and value.startswith(PLACEHOLDER):
            self.doc.placeholders.append(path)
        self.place(value, keep=not dropped)

    def check_text(self, text: str, style: str | None, mark: Any, path: Path_) -> bool:
        # The raw file was already searched for forbidden characters; only escapes
        # in double quotes can add new ones, while tab and carriage return are
        # allowed in the file (indentation, line ends) but not inside a value.
        if style != '"' and "\t" not in text and "\r" not in text:
            return False
        match = FORBIDDEN_IN_VALUE.search(text)
        if match:
            self.report(mark, "IS3C113", f"contains the character {char_name(match.group())}",
                        "remove it; use plain text (and only line breaks in long text)", path)
            return True
        return False

    def place(self, value: Any, keep: bool = True) -> None:
        if not self.stack:
            if keep:
                self.root = value
            return
        frame = self.stack[-1]
        if frame.is_map:
            if keep and not frame.discard:
                frame.container[frame.key] = value
            frame.key, frame.discard, frame.merge = None, False, False
        elif keep:
            frame.container.append(value)
        elif not frame.dropped:
            frame.container.append(None)  # holds the place of an item left out

    def close(self) -> None:
        """After the loader stopped: keep what was read, and note that each mapping
        and list still open is incomplete. A field nested too deeply is left out as a
        whole: what it holds says nothing useful."""
        if self.too_deep and len(self.stack) > 1:
            top = self.stack[1]
            del self.stack[1:]
            self.drop_depth = 0
            if not top.dropped:
                self.refuse(top.path)
            self.place(None, keep=False)
        while self.stack:
            frame = self.stack[-1]
            if not frame.dropped and not frame.is_key and self.drop_depth == 0:
                self.doc.refused[frame.path] = INCOMPLETE
            if frame.is_key:
                self.stack.pop()
                self.drop_depth -= 1
                continue
            self.end()


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


def parse(
    text: str, file: str, *, careful: bool = False, tainted: Iterable[tuple[int, int]] = ()
) -> tuple[Document | None, list[Finding]]:
    """YAML text to a Document and every problem found on the way.

    The document is None only when there is no mapping to check at all; with
    findings, it holds what could be read, and ``Document.refused`` says what was
    left out. ``tainted`` lists (line, column) positions, 1-based, where ``decode``
    read a bad byte: the values there are left out, as they are already reported.

    Both parsers feed the same builder, so every check holds on either path. libyaml
    reads YAML 1.1 syntax, which differs from 1.2 only in corners (such as the
    escape "\\/"); when it reports a syntax error, the YAML 1.2 parser has the last word.
    """
    findings: list[Finding] = []
    marks = [(line - 1, column - 1) for line, column in tainted]
    if FORBIDDEN_IN_FILE.search(text):
        for match in FORBIDDEN_IN_FILE.finditer(text):
            line, column = _position(text, match.start())
            if len(findings) >= MAX_LOAD_FINDINGS:
                findings.append(_too_many(file, line, "invisible or control characters"))
                return None, findings
            findings.append(
                Finding(file, line, column, "IS3C113", "",
                        f"contains the invisible or control character {char_name(match.group())}",
                        "delete it; such characters can hide or reorder text")
            )
            marks.append((line - 1, column - 1))
        # Read on with each one replaced, so the parsers agree and positions hold.
        text = FORBIDDEN_IN_FILE.sub(REPLACEMENT, text)
    marks.sort()
    if careful or not fast_parser_available():
        doc, more = _parse_with(_careful_events, text, file, marks)
    else:
        doc, more = _parse_with(_fast_events, text, file, marks)
        if any(f.code == "IS3C105" for f in more):
            doc, more = _parse_with(_careful_events, text, file, marks)
    findings += more
    if doc is not None and "is3c:" in text:
        findings += _acknowledgements(doc, text)
    return doc, findings


def _syntax_error(file: str, error: Any) -> Finding:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or getattr(error, "context", None)
    if mark is None or problem is None:
        return Finding(file, 1, 1, "IS3C105", "", f"YAML syntax error: {show(str(error))}",
                       "check the file's structure")
    return Finding(file, mark.line + 1, mark.column + 1, "IS3C105", "",
                   f"YAML syntax error: {show(problem)[1:-1]}",
                   "check indentation (spaces, not tabs), colons and quotes near this line")


def _parse_with(
    events: Callable[[str], Iterator[Any]], text: str, file: str, tainted: list[tuple[int, int]]
) -> tuple[Document | None, list[Finding]]:
    builder = _Builder(file, text, tainted)
    try:
        for event in events(text):
            builder.feed(event)
    except _Abort:
        builder.close()
    except (RecursionError, ValueError) as error:
        builder.findings.append(_syntax_error(file, error))
        builder.close()
    except Exception as error:  # noqa: BLE001 - both libraries' YAMLError classes
        if type(error).__module__.split(".")[0] not in ("yaml", "ruamel"):
            raise
        builder.findings.append(_syntax_error(file, error))
        builder.close()
    findings = builder.findings
    if builder.root is None:
        if builder.documents == 0 or not findings:
            findings.append(Finding(file, 1, 1, "IS3C110", "", "is empty",
                                    "write the entry's fields, starting with 'id:'"))
        return None, findings
    if not isinstance(builder.root, dict):
        kind = "a list" if isinstance(builder.root, list) else "a single value"
        findings.append(Finding(file, 1, 1, "IS3C110", "", f"holds {kind}, not a mapping of fields",
                                "write one field per line, such as 'id: dnssec'"))
        return None, findings
    builder.doc.data = builder.root
    return builder.doc, findings


# --- acknowledged warnings ---------------------------------------------------------

_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[ \t]*is3c:(.*)$", re.MULTILINE)
_ALLOW = re.compile(r"^[ \t]*allow[ \t]+(IS3C[0-9]{3}(?:[ \t]*,[ \t]*IS3C[0-9]{3})*)"
                    r"(?:[ \t]+--[ \t]*(.*?))?[ \t]*$")
ALLOW_EXAMPLE = "# is3c: allow IS3C318 -- RFC 9116 is Informational by design"


def _acknowledgements(doc: Document, text: str) -> list[Finding]:
    """'# is3c: allow CODE -- reason' comments: the warnings a reviewer has accepted,
    for the line the comment ends, or for the next line when it stands alone."""
    from is3c.findings import CODES

    findings = []
    lines = text.split("\n")
    for match in _COMMENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        allow = _ALLOW.match(match.group(1).rstrip("\r"))

        def refuse(message: str, hint: str = f"write it as '{ALLOW_EXAMPLE}'") -> None:
            findings.append(Finding(doc.file, line, column, "IS3C116", "", message, hint))

        if allow is None:
            refuse(f"{show(match.group(0).strip())} is not an acknowledgement is3c understands")
            continue
        codes = [code.strip() for code in allow.group(1).split(",")]
        wrong = [code for code in codes if code not in WARNING_CODES]
        if wrong:
            what = "is an error" if wrong[0] in CODES else "is not a code is3c reports"
            refuse(f"{wrong[0]} {what}; only warnings can be acknowledged",
                   "fix what the finding says instead" if wrong[0] in CODES
                   else "warning codes: " + ", ".join(sorted(WARNING_CODES)))
            continue
        if not (allow.group(2) or "").strip():
            refuse("says which warning to allow but not why",
                   f"add the reason after ' -- ', e.g. '{ALLOW_EXAMPLE}'")
            continue
        target = line
        if not lines[line - 1][: column - 1].strip():
            # A comment on its own line speaks for the next line with content.
            target = next((n for n in range(line + 1, len(lines) + 1)
                           if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")),
                          line)
        doc.allowed[target] = doc.allowed.get(target, frozenset()) | frozenset(codes)
    return findings


def load(path: Path, file: str, *, careful: bool = False) -> tuple[Document | None, list[Finding]]:
    """Read, decode and parse one file safely."""
    data, findings = read_bytes(path, file)
    if data is None:
        return None, findings
    text, findings = decode(data, file)
    if text is None:
        return None, findings
    doc, more = parse(text, file, careful=careful, tainted=[(f.line, f.column) for f in findings])
    return doc, findings + more


def reserved_name(stem: str) -> bool:
    """Whether Windows refuses a file whose name starts with ``stem``."""
    return stem.split(".")[0].lower() in WINDOWS_RESERVED


def check_name(path: Path, file: str) -> list[Finding]:
    """Entry files are flat, lowercase, ASCII, end in '.yaml', and can be checked out
    on Windows too."""
    if FILE_NAME.match(path.name):
        if not reserved_name(path.name):
            return []
        return [Finding(file, 1, 1, "IS3C102", "",
                        f"file name {show(path.name)} cannot exist on Windows: "
                        f"{path.name.split('.')[0].upper()} is a reserved device name",
                        "choose another id (and file name): a registry must check out on "
                        "every contributor's machine")]
    hint = "name the file <id>.yaml with a lowercase id, e.g. dnssec.yaml"
    if path.suffix == ".yml":
        hint = "rename it to end in '.yaml'"
    return [Finding(file, 1, 1, "IS3C102", "", f"file name {show(path.name)} is not <id>.yaml", hint)]
