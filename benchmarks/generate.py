"""Turn the real registry entries into N valid synthetic ones, for benchmarks.

Each synthetic entry is a real entry with a new id (``<id>-<copy>``) and its links
pointing at the same copy of the entries they name, so the result is a registry of
the same shape that passes ``is3c validate``; each decision record is copied once per
copy of the entries it names. Usage:

    python benchmarks/generate.py N TARGET_DIR [--catalogs]

With --catalogs, the real translation catalogs come along, each entry's translations
given to its copies, so that a build in every language has as much to render.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
MODELINE = "# yaml-language-server: $schema=../../schemas/entry.schema.json\n"


def real_entries() -> list[dict[str, Any]]:
    entries = []
    for path in sorted((REPO / "registry" / "standards").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        entry = yaml.safe_load(text)
        entry[ACKNOWLEDGED] = acknowledgements(text)
        entries.append(entry)
    return entries


# The '# is3c: allow ...' comments of an entry (comments do not survive loading), each
# with the line it stands above, so the copies acknowledge the same warnings.
ACKNOWLEDGED = "\0acknowledged"


def acknowledgements(text: str) -> list[tuple[str, str]]:
    lines = text.splitlines()
    return [(line.strip(), lines[i + 1].strip()) for i, line in enumerate(lines[:-1])
            if line.strip().startswith("# is3c: allow")]


def with_acknowledgements(text: str, pairs: list[tuple[str, str]]) -> str:
    lines = text.splitlines()
    for comment, target in pairs:
        for i, line in enumerate(lines):
            if line.strip() == target:
                lines.insert(i, line[: len(line) - len(line.lstrip())] + comment)
                break
    return "\n".join(lines) + "\n"


def _as_text(node: Any) -> Any:
    """PyYAML reads dates as date objects; entries keep them as the text written."""
    if isinstance(node, dict):
        return {k: _as_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_text(v) for v in node]
    if hasattr(node, "isoformat"):
        return node.isoformat()
    return node


def synthetic(entry: dict[str, Any], copy: int, ids: set[str]) -> dict[str, Any]:
    data = _as_text({k: v for k, v in entry.items() if k != ACKNOWLEDGED})
    data["id"] = f"{entry['id']}-{copy}"
    data["related"] = [
        {**r, "id": f"{r['id']}-{copy}"} for r in data.get("related", []) if f"{r['id']}-{copy}" in ids
    ]
    if not data["related"]:
        del data["related"]
    review = data.get("review") or {}
    if review.get("decision"):
        review["decision"] = f"{review['decision']}-{copy}"
    successor = data["lifecycle"].get("superseded_by")
    if successor is not None:
        if f"{successor}-{copy}" in ids:
            data["lifecycle"]["superseded_by"] = f"{successor}-{copy}"
        else:
            del data["lifecycle"]["superseded_by"]
    return data


def generate(count: int, target: Path, catalogs: bool = False) -> list[Path]:
    """N synthetic entries in ``target``; with ``catalogs``, the translation catalogs too."""
    bases = real_entries()
    plan = [(bases[i % len(bases)], i // len(bases)) for i in range(count)]
    ids = {f"{base['id']}-{copy}" for base, copy in plan}
    standards = target / "registry" / "standards"
    if target.exists():
        shutil.rmtree(target)
    standards.mkdir(parents=True)
    for name in ("categories.yaml", "product-types.yaml"):
        shutil.copy(REPO / "registry" / name, target / "registry" / name)
    shutil.copytree(REPO / "schemas", target / "schemas")
    paths = []
    for base, copy in plan:
        data = synthetic(base, copy, ids)
        path = standards / f"{data['id']}.yaml"
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=88)
        text = with_acknowledgements(text, base[ACKNOWLEDGED])
        path.write_text(MODELINE + text, encoding="utf-8")
        paths.append(path)
    _decisions(plan, target / "registry")
    if catalogs:
        _catalogs(plan, target / "registry")
    return paths


def _catalogs(plan: list[tuple[dict[str, Any], int]], registry: Path) -> None:
    """The real translation catalogs, each entry's translations given to every copy
    of it, then brought up to the synthetic registry by 'is3c i18n update': so an
    all-language build of the copies renders as much translated text as the real one."""
    import subprocess

    from is3c.i18n import dump, read

    source = REPO / "registry" / "locale"
    if not source.is_dir():
        return
    copies: dict[str, list[str]] = {}
    for base, copy in plan:
        copies.setdefault(base["id"], []).append(f"{base['id']}-{copy}")
    for po in sorted(source.glob("*/LC_MESSAGES/registry.po")):
        catalog = read(po.read_bytes(), po.parent.parent.name)
        for message in list(catalog):
            entry_id, _, field = (message.context or "").partition(":")
            if not message.id or entry_id not in copies:
                continue
            for new_id in copies[entry_id]:
                catalog.add(message.id, message.string, context=f"{new_id}:{field}",
                            auto_comments=message.auto_comments, flags=message.flags)
            catalog.delete(message.id, context=message.context)
        target = registry / po.relative_to(REPO / "registry")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(dump(catalog))
    subprocess.run(["is3c", "i18n", "update", "--registry", str(registry)], check=True,
                   capture_output=True)


def _decisions(plan: list[tuple[dict[str, Any], int]], registry: Path) -> None:
    """Each real decision record once per copy, naming that copy's entries."""
    shutil.copy(REPO / "registry" / "panel.yaml", registry / "panel.yaml")
    (registry / "decisions").mkdir()
    copies = sorted({copy for _, copy in plan})
    present = {(base["id"], copy) for base, copy in plan}
    for path in sorted((REPO / "registry" / "decisions").glob("*.yaml")):
        record = _as_text(yaml.safe_load(path.read_text(encoding="utf-8")))
        for copy in copies:
            changes = [{**c, "entry": f"{c['entry']}-{copy}"} for c in record["changes"]
                       if (c["entry"], copy) in present]
            if not changes:
                continue
            text = yaml.dump({**record, "changes": changes}, Dumper=yaml.CSafeDumper,
                             sort_keys=False, allow_unicode=True, width=88)
            (registry / "decisions" / f"{path.stem}-{copy}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--catalogs"]
    written = generate(int(arguments[0]), Path(arguments[1]), catalogs="--catalogs" in sys.argv)
    print(f"wrote {len(written)} entries to {sys.argv[2]}")
