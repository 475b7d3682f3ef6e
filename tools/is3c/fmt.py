"""Canonical form for registry files, with comments kept.

Reviewers should see what an edit changes, never how an editor happened to wrap
it. The canonical form is: keys in the order the models define them (so the
schema's order), lists whose order carries no meaning sorted, text that fits on
its line written plain, longer text as a folded block wrapped at ``WIDTH``, and
the indentation used throughout the registry. ruamel.yaml's round-trip mode keeps
comments. Formatting never changes what a file means: the result is loaded again
with the safe loader and compared with the original before anything is written.
"""

from __future__ import annotations

import io
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from is3c.load import parse
from is3c.model import Categories, DecisionRecord, Entry, Panel, ProductTypes

WIDTH = 88

# Lists in which order means nothing, by path from the top of an entry ("*" = any
# list item), with the key that sorts them.
UNORDERED: dict[tuple[str, ...], Callable[[Any], Any]] = {
    ("tags",): str,
    ("applies_to",): str,
    ("procurement", "cpv_codes"): str,
    ("verification", "methods"): str,
    ("verification", "tools", "*", "test_ids"): str,
    ("related",): lambda item: (str(item.get("id", "")), str(item.get("relation", ""))),
    # panel.yaml and decision records
    ("members",): lambda item: str(item.get("id", "")),
    ("changes",): lambda item: (str(item.get("entry", "")), str(item.get("action", ""))),
    ("positions",): lambda item: str(item.get("member", "")),
}


class FormatError(Exception):
    """Formatting would change the meaning of a file; nothing was written."""


def model_for(path: Path) -> type[BaseModel]:
    if path.name == "categories.yaml":
        return Categories
    if path.name == "product-types.yaml":
        return ProductTypes
    if path.name == "panel.yaml":
        return Panel
    if path.parent.name == "decisions":
        return DecisionRecord
    return Entry


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as ``list[Spec]`` or ``Review | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _is_mapping_of_models(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is dict:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_is_mapping_of_models(a) for a in typing.get_args(annotation))
    return False


def _reorder(node: Any, model: type[BaseModel] | None, path: tuple[str, ...]) -> None:
    """Put keys in model order and sort unordered lists, in place."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedSeq):
        for item in node:
            _reorder(item, model, (*path, "*"))
        sort_key = UNORDERED.get(path)
        if sort_key is not None:
            try:
                ordered = sorted(node, key=sort_key)
            except (TypeError, AttributeError):
                return  # odd item types: validation reports them
            if ordered != list(node):
                node[:] = ordered
        return
    if not isinstance(node, CommentedMap):
        return
    fields = model.model_fields if model is not None else {}
    for key in [k for k in fields if k in node] + [k for k in node if k not in fields]:
        node.move_to_end(key)
    for key in node:
        annotation = fields[key].annotation if key in fields else None
        child = _nested_model(annotation) if annotation is not None else None
        if annotation is not None and _is_mapping_of_models(annotation):
            # A mapping keyed by data (language codes): keys sorted, values modelled.
            mapping = node[key]
            if isinstance(mapping, CommentedMap):
                for sub_key in sorted(mapping, key=str):
                    mapping.move_to_end(sub_key)
                for value in mapping.values():
                    _reorder(value, child, (*path, str(key), "*"))
            continue
        _reorder(node[key], child, (*path, str(key)))


def _fold_positions(text: str, width: int) -> list[int] | None:
    """Where a folded block breaks ``text`` into lines of at most ``width``: only at
    single spaces, which folding turns back into exactly one space."""
    positions = []
    start = 0
    while len(text) - start > width:
        cut = -1
        for index in range(min(start + width, len(text) - 1), start, -1):
            if text[index] == " " and text[index - 1] != " " and text[index + 1] != " ":
                cut = index
                break
        if cut == -1:
            break  # one very long word: let the line run on
        positions.append(cut)
        start = cut + 1
    return positions or None


def _restyle_value(value: Any, room: int, block_width: int) -> Any:
    from ruamel.yaml.scalarstring import FoldedScalarString

    if not isinstance(value, str) or "\n" in value.rstrip("\n") or value != value.strip(" "):
        return value
    if len(value) <= room and not value.endswith("\n"):
        return str(value)
    folds = _fold_positions(value.rstrip("\n"), block_width)
    if folds is None and not value.endswith("\n"):
        return str(value)
    folded = FoldedScalarString(value)
    folded.fold_pos = folds or []  # type: ignore[attr-defined]
    return folded


def _restyle(node: Any, indent: int) -> None:
    """Plain text where it fits on its line, folded blocks where it does not."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        for key in list(node):
            value = node[key]
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _restyle(value, indent + 2)
            else:
                room = WIDTH - indent - len(str(key)) - 2
                node[key] = _restyle_value(value, room, WIDTH - indent - 2)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _restyle(value, indent + 2)
            else:
                node[index] = _restyle_value(value, WIDTH - indent - 2, WIDTH - indent - 2)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096  # wrapping is ours to decide (see _restyle)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = False
    return yaml


def _sorted_plain(data: Any, path: tuple[str, ...] = ()) -> Any:
    """The plain data as canonical form would order it, to compare meanings."""
    if isinstance(data, dict):
        return {k: _sorted_plain(v, (*path, str(k))) for k, v in data.items()}
    if isinstance(data, list):
        items = [_sorted_plain(v, (*path, "*")) for v in data]
        key = UNORDERED.get(path)
        if key is not None:
            try:
                items = sorted(items, key=key)
            except (TypeError, AttributeError):
                pass
        return items
    return data


def canonical(text: str, path: Path) -> str:
    """The canonical form of one registry file's text (which must load safely)."""
    before, findings = parse(text, str(path))
    if before is None or findings:
        raise FormatError("fix the problems 'is3c validate' reports first")
    yaml = _yaml()
    data = yaml.load(text)
    _reorder(data, model_for(path), ())
    _restyle(data, 0)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    after, _ = parse(result, str(path))
    if after is None or after.data != _sorted_plain(before.data):
        raise FormatError("formatting would change its meaning; left as it is")
    return result


@dataclass(frozen=True)
class Outcome:
    path: Path
    changed: bool
    error: str = ""


def format_files(paths: list[Path], *, write: bool) -> list[Outcome]:
    """Format each file; with ``write`` false, only report what would change."""
    from is3c.write import write_file

    outcomes = []
    for path in paths:
        try:
            if path.is_symlink() or not path.is_file():
                raise FormatError("not a regular file")
            text = path.read_text(encoding="utf-8")
            new = canonical(text, path)
        except (FormatError, OSError, UnicodeDecodeError) as error:
            outcomes.append(Outcome(path, False, str(error)))
            continue
        changed = new != text
        if changed and write:
            write_file(path, new.encode("utf-8"))
        outcomes.append(Outcome(path, changed))
    return outcomes
