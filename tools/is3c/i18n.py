"""Languages as data: gettext catalogs for the registry's texts and the tool's words.

Two catalogs per language, both read straight from the ``.po`` files with Babel (no
compiled ``.mo`` is committed, so what a translator edits is what the build reads):

- ``registry/locale/<lang>/LC_MESSAGES/registry.po``: one message per translatable
  text of an entry or vocabulary term. The context names where the text comes from
  (``dmarc:procurement.tender_clause``, ``categories:dns.title``) and the English text
  is the message id, so a changed English text no longer matches its translation.
- ``tools/is3c/locale/<lang>/LC_MESSAGES/is3c.po``: the tool's own words, marked with
  ``{% trans %}`` in templates and ``gettext``/``_``/``N_`` in Python.

Only a translation that is present and not fuzzy counts: everything else is shown in
English with a "not yet translated" marker, never as if it were current.

The API other modules use: ``translations(language)`` (the tool's words as a
``gettext`` object), ``environment(language, **options)`` (a Jinja environment with
them installed), ``registry_texts(root, language)`` (current translations of the
registry's texts) and ``entry_texts``/``term_texts`` (what is translatable).
"""

from __future__ import annotations

import difflib
import hashlib
import gettext as _gettext
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from is3c.findings import Finding, show

if TYPE_CHECKING:  # the models (pydantic) are not needed to check a catalog
    from is3c.model import Entry, Term

SOURCE_LANGUAGE = "en"
# Languages whose translations of urgent entries are required (docs/content-guide.md).
REQUIRED_LANGUAGES = ("es", "fr")
# Languages written right to left; everything else is left to right.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}

REGISTRY_DOMAIN = "registry"
TOOL_DOMAIN = "is3c"
LOCALE_DIR = "locale"  # inside the registry folder and inside the package

# The texts of an entry an officer reads, in the order a catalog lists them. Every
# item of a list field is its own message, all with the field's context.
ENTRY_FIELDS = (
    "title",
    "summary",
    "benefit",
    "priority.rationale",
    "procurement.tender_clause",
    "procurement.evidence",
    "verification.steps",
    "lifecycle.reason",
    "procurement.applies_because",
)
# Fields that are lists: each item is a message, and the list is translated whole.
LIST_FIELDS = frozenset({"procurement.evidence", "verification.steps"})
TERM_FIELDS = ("title", "description")
VOCABULARIES = ("categories", "product-types")

# Requirement keywords per language (RFC 2119 / RFC 8174 and their agreed renderings);
# a translation must use each as often as the English does.
KEYWORDS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "en": {"MUST": ("MUST",), "SHOULD": ("SHOULD",), "MAY": ("MAY",)},
    "fr": {"MUST": ("DOIT", "DOIVENT"), "SHOULD": ("DEVRAIT", "DEVRAIENT"),
           "MAY": ("PEUT", "PEUVENT")},
    "es": {"MUST": ("DEBE", "DEBEN"), "SHOULD": ("DEBERÍA", "DEBERÍAN"),
           "MAY": ("PUEDE", "PUEDEN")},
    # MUST NOT is commonly "لا يجوز" (is not permitted): counted as MUST, as the English
    # counts MUST NOT as MUST, and not as MAY.
    "ar": {"MUST": ("يجب", "لا يجوز"), "SHOULD": ("ينبغي",), "MAY": ("(?<!لا )يجوز",)},
}

Key = tuple[str, str]  # (context, English text)


def direction(language: str) -> str:
    """'rtl' or 'ltr', for <html dir> and right-to-left spreadsheets."""
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


# --- what is translatable ----------------------------------------------------------


def _field(entry: Entry, path: str) -> Any:
    value: Any = entry
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def entry_texts(entry: Entry) -> Iterator[tuple[str, str, str]]:
    """(field path, context, English text) of every translatable text of an entry."""
    for path in ENTRY_FIELDS:
        value = _field(entry, path)
        if value is None:
            continue
        if isinstance(value, dict):
            # One text per product type: "<id>:procurement.applies_because.<type>".
            for key, text in sorted(value.items()):
                yield f"{path}.{key}", f"{entry.id}:{path}.{key}", text
            continue
        for text in value if isinstance(value, list) else [value]:
            yield path, f"{entry.id}:{path}", text


def term_texts(vocabulary: str, term: Term) -> Iterator[tuple[str, str, str]]:
    for name in TERM_FIELDS:
        yield name, f"{vocabulary}:{term.id}.{name}", getattr(term, name)


def _note(entry: Entry) -> str:
    return f"{entry.priority.tier}, {entry.lifecycle.status}"


def template(entries: Sequence[Entry], categories: Sequence[Term],
             product_types: Sequence[Term]) -> Catalog:
    """The registry's template catalog: every translatable text, in registry order.

    Each message carries the entry's tier and status as a comment for translators
    (urgent entries first) and for validation (which texts are required)."""
    catalog = _new_catalog(None, "IS3C registry")
    for vocabulary, terms in (("categories", categories), ("product-types", product_types)):
        for term in terms:
            for _, context, text in term_texts(vocabulary, term):
                catalog.add(text, context=context, auto_comments=["vocabulary"])
    for entry in sorted(entries, key=lambda e: e.id):
        for _, context, text in entry_texts(entry):
            catalog.add(text, context=context, auto_comments=[_note(entry)])
    return catalog


# --- reading and writing catalogs --------------------------------------------------


class _Catalog(Catalog):
    """A Babel catalog whose header depends only on its content: no creation date and
    no Babel version, so that writing the same texts twice gives the same bytes."""

    def _stable_headers(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in Catalog._get_mime_headers(self)
                if k not in ("POT-Creation-Date", "Generated-By")]

    mime_headers = property(_stable_headers, Catalog._set_mime_headers)  # type: ignore[assignment]


def _new_catalog(language: str | None, project: str) -> Catalog:
    catalog = _Catalog(locale=language, project=project, version="1",
                       msgid_bugs_address="see CONTRIBUTING.md",
                       fuzzy=False, charset="utf-8")
    catalog.header_comment = f"# {project}: texts to translate."
    return catalog


class CatalogError(Exception):
    """A catalog file that cannot be read; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def read(data: bytes, language: str | None = None) -> Catalog:
    """Parse a .po file; a syntax error raises CatalogError with its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError("is not UTF-8 text", data[: error.start].count(b"\n") + 1) from None
    try:
        parsed = read_po(io.StringIO(text), locale=language, abort_invalid=True, charset="utf-8")
    except PoFileError as error:
        raise CatalogError(f"syntax error: {error}", int(getattr(error, "lineno", 0)) + 1) from None
    except (ValueError, TypeError, AttributeError) as error:  # malformed header and the like
        raise CatalogError(f"cannot be read: {error}", 1) from None
    catalog = _Catalog(locale=parsed.locale, project=parsed.project, version=parsed.version,
                       charset="utf-8", fuzzy=False)
    catalog.mime_headers = parsed.mime_headers
    catalog.header_comment = parsed.header_comment
    catalog.revision_date = parsed.revision_date
    catalog.last_translator = parsed.last_translator
    for message in parsed:
        if message.id:
            _previous(message)
            catalog[message.id] = message  # keeps context, flags, comments, line
    return catalog


def _previous(message: Message) -> None:
    """Babel reads '#| msgid ...' (the English a fuzzy translation was made from) as a
    translator comment; turn it back into ``previous_id``, kept only while fuzzy."""
    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    if not lines:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    parts: dict[str, list[str]] = {}
    current = ""
    for line in lines:
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgid", "msgctxt", "msgid_plural"):
            current, line = keyword, rest
        if current and line.startswith('"'):
            parts.setdefault(current, []).append(unescape(line))
    message.previous_id = ["".join(parts["msgid"])] if message.fuzzy and "msgid" in parts else []


def dump(catalog: Catalog, locations: bool = False) -> bytes:
    """The catalog as .po text, the same bytes for the same content."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, no_location=not locations, omit_header=False,
             include_previous=False, sort_output=False)
    text = buffer.getvalue().decode("utf-8")
    messages = [m for m in catalog if m.id]
    if not any(m.fuzzy and m.previous_id for m in messages):
        return text.encode("utf-8")
    # Babel wraps a previous msgid as if it were prose ('#| msgid "" "The...'), which
    # no PO editor reads back; write those lines as msgmerge does. Babel writes one
    # block per message, in catalog order, after the header block.
    blocks = text.split("\n\n")
    for index, message in enumerate(messages, start=1):
        if not (message.fuzzy and message.previous_id):
            continue
        lines = normalize(message.previous_id[0], width=88).split("\n")
        previous = "\n".join([f"#| msgid {lines[0]}", *(f"#| {line}" for line in lines[1:])])
        blocks[index] = blocks[index].replace("#, fuzzy\n", f"#, fuzzy\n{previous}\n", 1)
    return "\n\n".join(blocks).encode("utf-8")


def merge(new_template: Catalog, old: Catalog) -> Catalog:
    """The translation catalog ``old`` brought up to ``new_template``.

    A message whose English is unchanged keeps its translation and flags. A message
    whose English changed keeps the translation of the same context, marked fuzzy with
    the old English as ``#| msgid``, so the translator sees what changed and the build
    shows the English until someone confirms. Babel's own fuzzy matching looks across
    every message, which could pair a clause with another entry's; this only looks
    within one context. Messages gone from the template are dropped."""
    merged = _Catalog(locale=old.locale, project=old.project, version=old.version,
                      charset="utf-8", fuzzy=False)
    merged.mime_headers = old.mime_headers
    merged.header_comment = old.header_comment
    merged.revision_date = old.revision_date
    merged.last_translator = old.last_translator
    by_context: dict[str | None, list[Message]] = {}
    for message in old:
        if message.id:
            by_context.setdefault(message.context, []).append(message)
    used: set[Key] = set()
    pending: list[Message] = []
    for message in new_template:
        if not message.id:
            continue
        previous = old.get(message.id, context=message.context)
        copy = Message(message.id, "", auto_comments=message.auto_comments,
                       context=message.context)
        if previous is not None and previous.string:
            copy.string = previous.string
            copy.flags = set(previous.flags)
            copy.previous_id = previous.previous_id if previous.fuzzy else []
            copy.user_comments = previous.user_comments
            used.add((message.context or "", message.id))
        else:
            pending.append(copy)
        merged[message.id] = copy
    for copy in pending:
        candidates = [m for m in by_context.get(copy.context, [])
                      if m.string and (m.context or "", m.id) not in used]
        if not candidates:
            continue
        best = max(candidates, key=lambda m: (difflib.SequenceMatcher(None, m.id, copy.id).ratio(),
                                              m.id))
        used.add((best.context or "", best.id))
        copy.string = best.string
        copy.flags = {"fuzzy"}
        copy.previous_id = [best.id]
        copy.user_comments = best.user_comments
    return merged


def new_translation(new_template: Catalog, language: str, project: str) -> Catalog:
    """An empty catalog for a language that has none yet."""
    catalog = _new_catalog(language, project)
    catalog.last_translator = "nobody yet"
    catalog.language_team = "IS3C WG5 translators"
    catalog.header_comment = (
        f"# {project}: {NAMES.get(language, language)} translation.\n"
        "# Translator: nobody yet\n"
        "# Review: not yet reviewed by the expert panel"
    )
    return merge(new_template, catalog)


# --- where catalogs live -----------------------------------------------------------


def registry_catalog(root: Path, language: str) -> Path:
    return root / LOCALE_DIR / language / "LC_MESSAGES" / f"{REGISTRY_DOMAIN}.po"


def registry_template(root: Path) -> Path:
    return root / LOCALE_DIR / f"{REGISTRY_DOMAIN}.pot"


def tool_locale() -> Path:
    return Path(str(resources.files("is3c") / LOCALE_DIR))


def languages(root: Path) -> tuple[str, ...]:
    """Every language with a registry catalog, sorted; English (the source) first."""
    found = sorted(p.parent.parent.name for p in (root / LOCALE_DIR).glob(f"*/LC_MESSAGES/{REGISTRY_DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE))


def _current(catalog: Catalog) -> dict[Key, str]:
    return {(m.context or "", m.id): m.string for m in catalog
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _chain(language: str) -> list[str]:
    """The catalogs a language reads, most general first: 'pt' then 'pt-BR'."""
    base = language.split("-")[0]
    return [base] + ([language] if language != base else [])


def _catalog_facts(path: Path, language: str, kept: Any = None) -> tuple[dict[Key, str], Credits] | None:
    """A registry catalog's current translations and its credits, or None when it
    cannot be read. ``kept`` (a ``store.Store``) remembers them by the file's bytes:
    reading a catalog of a large registry takes seconds."""
    from is3c import store

    data = path.read_bytes()
    name = store.key("catalog", language, hashlib.blake2b(data, digest_size=20).hexdigest())
    found = kept.get(name) if kept is not None else None
    if isinstance(found, dict):
        return ({(c, m): t for c, m, t in found["texts"]}, Credits(*found["credits"]))
    try:
        catalog = read(data, language)
    except CatalogError:
        return None
    texts, who = _current(catalog), credits(catalog)
    if kept is not None:
        kept.put(name, {"texts": [[c, m, t] for (c, m), t in texts.items()],
                        "credits": [who.translator, who.review]})
    return texts, who


def registry_texts(root: Path, language: str, kept: Any = None) -> dict[Key, str]:
    """(context, English) -> translation, for the translations that are current; a
    regional language ('pt-BR') falls back to its base language's catalog ('pt').

    A catalog that cannot be read gives nothing (validation reports it)."""
    texts: dict[Key, str] = {}
    for code in _chain(language):
        path = registry_catalog(root, code)
        if code == SOURCE_LANGUAGE or not path.is_file():
            continue
        facts = _catalog_facts(path, code, kept)
        if facts is not None:
            texts.update(facts[0])
    return texts


@dataclass(frozen=True)
class Credits:
    """Who translated a catalog and whether the expert panel reviewed it (its header)."""

    translator: str
    review: str


def _plain(value: str, limit: int = 120) -> str:
    """Header text from a file, safe on a terminal and a page: no control or bidi
    formatting characters, cut short."""
    value = "".join(c for c in value if not unicodedata.category(c).startswith("C"))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def credits(catalog: Catalog) -> Credits:
    """The 'Translator:' and 'Review:' lines of the catalog's header comment."""
    found = {"translator": "", "review": ""}
    current = ""
    for line in (catalog.header_comment or "").splitlines():
        text = line.lstrip("#").strip()
        name, colon, value = text.partition(":")
        if colon and name.strip().lower() in found:
            current = name.strip().lower()
            found[current] = value.strip()
        elif current and text and not (colon and " " not in name.strip()):
            found[current] += " " + text  # a long line, wrapped by the writer
        else:
            current = ""
    return Credits(_plain(found["translator"]) or "unknown", _plain(found["review"]) or "unknown")


def registry_credits(root: Path, language: str, kept: Any = None) -> Credits | None:
    path = registry_catalog(root, language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return None
    facts = _catalog_facts(path, language, kept)
    return None if facts is None else facts[1]


# --- the tool's words ------------------------------------------------------------


@lru_cache(maxsize=16)
def translations(language: str) -> _gettext.NullTranslations:
    """The tool's words in ``language``: fuzzy and empty messages fall back to English.

    Compiled in memory from the committed .po file with Babel, once per process; a
    regional language ('pt-BR') falls back to its base language ('pt')."""
    found: _gettext.NullTranslations = _gettext.NullTranslations()
    for code in _chain(language):
        path = tool_catalog(code)
        if code == SOURCE_LANGUAGE or not path.is_file():
            continue
        buffer = io.BytesIO()
        write_mo(buffer, read(path.read_bytes(), code), use_fuzzy=False)
        buffer.seek(0)
        regional = _gettext.GNUTranslations(buffer)
        regional.add_fallback(found)
        found = regional
    return found


def gettext_for(language: str) -> Any:
    """``_`` for Python code that renders in ``language``."""
    return translations(language).gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Marks a string for extraction where it is defined; translate it where it is shown."""
    return message


def environment(language: str, **options: Any) -> Any:
    """A Jinja environment with the i18n extension and the tool's words of ``language``.

    ``{% trans %}`` blocks are trimmed (whitespace folded), so a template can wrap
    a sentence over lines without changing its message id."""
    import jinja2

    extensions = list(options.pop("extensions", [])) + ["jinja2.ext.i18n"]
    env = jinja2.Environment(extensions=extensions, **options)
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(language=language, direction=direction(language))
    return env


def tool_template() -> Catalog:
    """The tool's words, extracted from the package's Python and templates."""
    from babel.messages.extract import extract_from_dir

    catalog = _new_catalog(None, "IS3C registry tool")
    package = Path(str(resources.files("is3c")))
    # Every template, whatever its extension (.html, .xml, .txt, ...), but not the
    # site's static assets.
    method_map = [("templates/assets/**", "ignore"), ("**.py", "python"),
                  ("templates/**", "jinja2.ext:babel_extract")]
    options_map = {"templates/**": {"trimmed": "true"}, "**.py": {}}
    found = sorted(
        ((message,) if isinstance(message, str) else tuple(message), context or "", comments)
        for _, _, message, comments, context in extract_from_dir(
            str(package), method_map, options_map,
            keywords={"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)},
            comment_tags=("Translators:",), strip_comment_tags=True)
    )
    for message, context, comments in found:
        catalog.add(message[0] if len(message) == 1 else message, context=context or None,
                    auto_comments=comments)
    return catalog


def tool_credits(language: str) -> Credits | None:
    """Who translated the tool's words into ``language``, and the panel's review."""
    path = tool_catalog(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return None
    return credits(read(path.read_bytes(), language))


def tool_catalog(language: str) -> Path:
    return tool_locale() / language / "LC_MESSAGES" / f"{TOOL_DOMAIN}.po"


def tool_languages() -> tuple[str, ...]:
    return tuple(sorted(p.parent.parent.name for p in tool_locale().glob(f"*/LC_MESSAGES/{TOOL_DOMAIN}.po")))


# --- coverage ------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    translated: int
    total: int

    @property
    def percent(self) -> int:
        """Rounded down, so that 100% means every text."""
        return 100 if self.total == 0 else self.translated * 100 // self.total


def coverage(keys: Iterable[Key], current: Mapping[Key, str]) -> Coverage:
    wanted = set(keys)
    return Coverage(sum(1 for k in wanted if k in current), len(wanted))


# --- checks --------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[sdif]|\{[A-Za-z_]?\w*\}")
# Not \b: Arabic writes a conjunction onto the next word ("وRFC 7489", "and RFC 7489").
_RFC = re.compile(r"(?<![A-Za-z])RFC[\s\u00a0\u202f]*([0-9]+)")
# Ordinals (English 1st, French 1er, 1re, Spanish 1.º) are the number itself.
_ORDINAL = re.compile(r"(?<![A-Za-z0-9])([0-9]+)(?:st|nd|rd|th|er|re|e|\.?º|\.?ª)(?![A-Za-z])")
# Numbers that stand alone (30 days, 2048 bits), not digits inside names like W3C or IPv6.
_NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?:[.,\u00a0\u202f ][0-9]{3})*(?![A-Za-z])")


def _digits(text: str) -> str:
    """Arabic-Indic and other decimal digits as ASCII, so '٣٠' counts as '30'."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c
                   for c in text)


def _numbers(text: str) -> list[str]:
    text = _ORDINAL.sub(r"\1", _digits(text))
    return sorted(re.sub(r"[.,\u00a0\u202f ]", "", n) if re.search(r"[.,\u00a0\u202f ][0-9]{3}$", n)
                  else n for n in _NUMBER.findall(text))


def _keyword_counts(text: str, language: str) -> dict[str, int] | None:
    words = KEYWORDS.get(language.split("-")[0])
    if words is None:
        return None
    counts = {}
    for meaning, forms in words.items():
        pattern = "|".join(f if f.startswith("(?") else re.escape(f) for f in forms)
        if language.startswith("ar"):
            counts[meaning] = len(re.findall(pattern, text))
        else:
            counts[meaning] = len(re.findall(rf"(?<![\w])(?:{pattern})(?![\w])", text))
    return counts


def mismatches(english: str, translation: str, language: str) -> Iterator[tuple[str, str, str]]:
    """(code, message, hint) for each way ``translation`` departs from ``english`` in
    what a tender cannot afford to get wrong."""
    if sorted(_PLACEHOLDER.findall(english)) != sorted(_PLACEHOLDER.findall(translation)):
        yield ("IS3C504", "placeholders differ from the English "
               f"({', '.join(sorted(_PLACEHOLDER.findall(english))) or 'none'})",
               "keep every placeholder exactly as the English writes it")
    rfc_en, rfc_tr = sorted(_RFC.findall(english)), sorted(_RFC.findall(_digits(translation)))
    if rfc_en != rfc_tr:
        yield ("IS3C505", f"RFC numbers differ from the English: {', '.join(rfc_en) or 'none'} "
               f"in English, {', '.join(rfc_tr) or 'none'} here",
               "cite exactly the RFCs the English cites")
    elif _numbers(english) != _numbers(translation):
        yield ("IS3C507", "numbers differ from the English: "
               f"{show(' '.join(_numbers(english)))} in English, {show(' '.join(_numbers(translation)))} here",
               "keep every number, duration and version of the English")
    en_counts = _keyword_counts(english, SOURCE_LANGUAGE)
    tr_counts = _keyword_counts(translation, language)
    if en_counts and tr_counts is not None and en_counts != tr_counts:
        forms = KEYWORDS[language.split("-")[0]]
        said = ", ".join(f"{m} {en_counts[m]}x" for m in en_counts if en_counts[m] or tr_counts[m])
        here = ", ".join(f"{'/'.join(f.split(')')[-1] for f in forms[m])} {tr_counts[m]}x"
                         for m in en_counts if en_counts[m] or tr_counts[m])
        yield ("IS3C506", f"requirement keywords differ from the English ({said}; here {here})",
               "use the agreed keyword for each MUST, SHOULD and MAY of the English, as often")


@dataclass(frozen=True)
class TemplateMessage:
    context: str
    text: str
    urgent: bool  # of an accepted urgent entry: required in REQUIRED_LANGUAGES


def template_messages(catalog: Catalog) -> dict[Key, TemplateMessage]:
    found = {}
    for m in catalog:
        if m.id and isinstance(m.id, str):
            urgent = any(c.startswith("urgent, accepted") for c in m.auto_comments)
            found[(m.context or "", m.id)] = TemplateMessage(m.context or "", m.id, urgent)
    return found


def check_catalogs(root: Path, display: Any = str, fresh: Catalog | None = None) -> list[Finding]:
    """Findings for the registry's catalogs, checked against ``fresh`` (the template
    made from the registry now) or else the committed template.

    ``display`` turns a path into the name findings show (``validate.display_path``)."""
    findings: list[Finding] = []
    pot_path = registry_template(root)
    if not (root / LOCALE_DIR).is_dir():
        return findings
    if fresh is not None:
        wanted = template_messages(fresh)
        if not pot_path.is_file() or pot_path.read_bytes() != dump(fresh):
            findings.append(Finding(display(pot_path), 1, 1, "IS3C510", "",
                                    "the template differs from the registry's texts",
                                    "run 'is3c i18n update' and commit the result", "warning"))
    elif not pot_path.is_file():
        return [Finding(display(pot_path), 1, 1, "IS3C501", "", "the template catalog is missing",
                        "run 'is3c i18n extract' and commit the result")]
    else:
        try:
            wanted = template_messages(read(pot_path.read_bytes()))
        except CatalogError as error:
            return [Finding(display(pot_path), error.line, 1, "IS3C501", "", str(error),
                            "run 'is3c i18n extract' and commit the result")]
    contexts = {k[0] for k in wanted}
    entries = {c.split(":", 1)[0] for c in contexts}
    for language in languages(root)[1:]:
        path = registry_catalog(root, language)
        file = display(path)
        try:
            catalog = read(path.read_bytes(), language)
        except CatalogError as error:
            findings.append(Finding(file, error.line, 1, "IS3C501", "", str(error),
                                    "fix the line, or open the file in a PO editor such as Poedit"))
            continue
        present: dict[Key, Message] = {}
        for m in catalog:
            if not m.id or not isinstance(m.id, str):
                continue
            context = m.context or ""
            present[(context, m.id)] = m
            line = m.lineno or 1
            if (context, m.id) not in wanted:
                if context not in contexts:
                    owner = context.split(":", 1)[0]
                    why = ("names no entry or field" if owner not in entries
                           else "names no translatable field of that entry")
                    findings.append(Finding(file, line, 1, "IS3C502", show(context),
                                            f"msgctxt {why}",
                                            "use a context from registry/locale/registry.pot, "
                                            "or run 'is3c i18n update'"))
                else:
                    findings.append(Finding(file, line, 1, "IS3C503", show(context),
                                            "its English text is not the registry's (stale)",
                                            "run 'is3c i18n update': the translation is kept "
                                            "and marked fuzzy for review", "warning"))
                continue
            if m.string and isinstance(m.string, str) and not m.fuzzy:  # fuzzy: not shown
                for code, message, hint in mismatches(m.id, m.string, language):
                    severity = "warning" if code == "IS3C507" else "error"
                    findings.append(Finding(file, line, 1, code, show(context), message, hint,
                                            severity))
        if language not in REQUIRED_LANGUAGES:
            continue
        stale_contexts = {k[0] for k in present if k not in wanted}
        for key, message in wanted.items():
            if not message.urgent:
                continue
            found = present.get(key)
            if found is None and key[0] in stale_contexts:
                continue  # IS3C503 above: 'is3c i18n update' turns it into a fuzzy one
            if found is None or not found.string:
                findings.append(Finding(
                    file, found.lineno if found is not None and found.lineno else 1, 1, "IS3C508",
                    show(key[0]),
                    f"no {language} translation of this text of an urgent entry",
                    f"translate it: {language} is required for every urgent entry "
                    "(docs/content-guide.md); run 'is3c i18n update' first if the message is missing"))
            elif found.fuzzy:
                # A warning: a corrected English clause must not wait for translators;
                # until one confirms, every output shows the English, marked.
                findings.append(Finding(
                    file, found.lineno or 1, 1, "IS3C509", show(key[0]),
                    "the translation of this text of an urgent entry is fuzzy: its English "
                    "changed, so the English is shown, marked 'not yet translated'",
                    "check the translation against the new English, then remove the fuzzy flag",
                    "warning"))
    return findings


# --- extract, update, check: the files the registry and the tool should have --------


def expected_templates(root: Path, entries: Sequence[Entry], categories: Sequence[Term],
                       product_types: Sequence[Term]) -> dict[Path, bytes]:
    """The two template catalogs as the registry and the package define them now."""
    return {
        registry_template(root): dump(template(entries, categories, product_types)),
        tool_locale() / f"{TOOL_DOMAIN}.pot": dump(tool_template()),
    }


def expected_catalogs(root: Path, entries: Sequence[Entry], categories: Sequence[Term],
                      product_types: Sequence[Term], add: Sequence[str] = ()) -> dict[Path, bytes]:
    """Every translation catalog merged with its template now (``update``), plus new
    ones for the languages in ``add``. A catalog that cannot be read is left out:
    validation names its line, and merging must not throw a translator's work away."""
    registry_pot = template(entries, categories, product_types)
    tool_pot = tool_template()
    planned: dict[Path, bytes] = {}
    for language in sorted(set(languages(root)[1:]) | set(add) - {SOURCE_LANGUAGE}):
        for path, pot, project in ((registry_catalog(root, language), registry_pot, "IS3C registry"),
                                   (tool_catalog(language), tool_pot, "IS3C registry tool")):
            if path.is_file():
                try:
                    old = read(path.read_bytes(), language)
                except CatalogError:
                    continue
                planned[path] = dump(merge(pot, old))
            elif language in add or project == "IS3C registry tool":
                planned[path] = dump(new_translation(pot, language, project))
    return planned


def stale(planned: Mapping[Path, bytes]) -> list[Path]:
    return [p for p, data in planned.items() if not p.is_file() or p.read_bytes() != data]
