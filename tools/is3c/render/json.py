"""The lists as JSON, for tools: the envelope of ``published.ListDocument``.

Keys are sorted and the text is UTF-8 with a final newline, so the same registry
revision always gives the same bytes. Each key of the envelope gets a line, and each
member of a list (an entry, a category) a compact line of its own: a diff between
two releases shows which entries changed, and the json module's C encoder writes
every line (``indent=`` would switch to its pure-Python encoder, some ten times
slower on a large list). The JSON Schema ships beside the lists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from pydantic import BaseModel

from is3c import schema
from is3c.build import Build, ListView, document
from is3c.render import SCHEMA_FILE, Files, list_file, list_key

# Members of these lists are models, dumped one by one so that a 10,000-entry list
# never exists as one tree of dicts.
_MODEL_LISTS = ("entries", "annex")
MEMBERS_PER_PIECE = 256


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _member(value: Any) -> str:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    return _compact(value)


def dumps(fields: dict[str, Any]) -> Iterator[bytes]:
    """An object with one key per line and one line per member of a list, in pieces
    of a few hundred lines."""
    for number, key in enumerate(sorted(fields)):
        head = ("{\n" if number == 0 else ",\n") + f"  {_compact(key)}: "
        value = fields[key]
        if not (isinstance(value, list) and value):
            yield (head + _member(value)).encode("utf-8")
            continue
        yield (head + "[\n").encode("utf-8")
        for start in range(0, len(value), MEMBERS_PER_PIECE):
            members = ",\n".join("    " + _member(v) for v in value[start:start + MEMBERS_PER_PIECE])
            yield ((",\n" if start else "") + members).encode("utf-8")
        yield b"\n  ]"
    yield b"\n}\n" if fields else b"{}\n"


def render_list(view: ListView, built: Build) -> Iterator[bytes]:
    listed = document(view, built)
    fields = listed.model_dump(mode="json", exclude_none=True, exclude=set(_MODEL_LISTS))
    fields.update({name: getattr(listed, name) for name in _MODEL_LISTS})
    return dumps(fields)


def _schema() -> bytes:
    return schema.dumps(schema.generate(schema.LIST)).encode("utf-8")


def render(built: Build) -> Files:
    files = Files()
    for view in built.lists:
        files.add(list_file(view.name, "json"), partial(render_list, view, built),
                  weight=len(view.items) + len(view.annex), key=list_key(built, "json", view))
    files.add(SCHEMA_FILE, _schema)
    return files
