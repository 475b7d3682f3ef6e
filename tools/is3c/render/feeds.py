"""Atom feeds of the changes that affect a published list: one for the whole
registry, one per product type, in the build's language.

Written by feedgen (valid Atom, escaping done by the library). Every date comes
from the registry's git history and every id from the commit, entry and kind of a
change, so the same history always gives the same bytes; without git the feeds are
valid and empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from feedgen.feed import FeedGenerator

from is3c import __version__
from is3c.build import Build
from is3c.changes import Event
from is3c.i18n import gettext_for
from is3c.render import Files, absolute, annex_page, feed_file, standard_page
from is3c.render.changewords import FEED_KINDS, describe

MAX_ITEMS = 200  # the newest; older changes stay on the entry pages


def _events(built: Build, product_type: str | None) -> list[Event]:
    return [e for e in built.history.events
            if e.kind in FEED_KINDS and e.on_list
            and (product_type is None or product_type in e.applies_to)][:MAX_ITEMS]


def _link(built: Build, feed_path: str, page: str) -> str:
    """Absolute when hosted, else relative to the feed's own folder."""
    return absolute(built, page) or "../" * feed_path.count("/") + page


def feed(built: Build, product_type: str | None = None) -> bytes:
    _ = gettext_for(built.language)
    path = feed_file(product_type)
    annex = built.annex_for(product_type) if product_type else None
    names = {i.id: i.entry.short_name for i in built.items}
    generator = FeedGenerator()
    generator.id(absolute(built, path)
                 or f"urn:is3c:feed:{built.language}:{product_type or 'all'}")
    generator.title(_("IS3C list changes: %(product_type)s") % {"product_type": annex.product_type.title}
                    if annex else _("IS3C list changes"))
    generator.subtitle(_("Standards put on or taken off the lists, priority changes and "
                         "changed tender clauses."))
    generator.author({"name": built.release.source})
    generator.rights(built.release.rights(built.language))
    generator.language(built.language)
    generator.generator("is3c", __version__)
    generator.link(href=_link(built, path, annex_page(product_type) if product_type else "index.html"),
                   rel="alternate", type="text/html")
    if built.base_url:
        generator.link(href=absolute(built, path), rel="self", type="application/atom+xml")
    events = _events(built, product_type)
    generator.updated(events[0].updated if events else built.release.released)
    for event in reversed(events):  # feedgen puts the last one added first
        item = generator.add_entry()
        name = names.get(event.entry, event.title or event.entry)
        text = describe(event, _)
        item.id(event.id)
        item.title(f"{name}: {text}")
        item.link(href=_link(built, path, standard_page(event.entry)), rel="alternate",
                  type="text/html")
        item.updated(event.updated)
        item.published(event.updated)
        item.summary(text)
    return generator.atom_str(pretty=True, encoding="UTF-8")


def product_types(built: Build) -> Iterable[str | None]:
    return (None, *(a.product_type.id for a in built.annexes))


def render(built: Build) -> Files:
    files = Files()
    for product_type in product_types(built):
        files.add(feed_file(product_type), partial(feed, built, product_type), weight=0)
    return files


