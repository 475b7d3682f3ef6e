"""The lists as JSON, for tools: the envelope of ``published.ListDocument``.

Keys are sorted and the text is UTF-8 with a final newline, so the same registry
revision always gives the same bytes. The JSON Schema ships beside the lists.
"""

from __future__ import annotations

import json
from typing import Any

from is3c import schema
from is3c.build import Build, ListView, document
from is3c.render import SCHEMA_FILE, Files, list_file


def dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def render_list(view: ListView, built: Build) -> bytes:
    return dumps(document(view, built).model_dump(mode="json", exclude_none=True))


def render(built: Build) -> Files:
    files: Files = {list_file(v.name, "json"): render_list(v, built) for v in built.lists}
    files[SCHEMA_FILE] = schema.dumps(schema.generate(schema.LIST)).encode("utf-8")
    return files
