"""sitemap.xml and robots.txt, for search engines: only when the build knows where
the site is hosted (a sitemap holds absolute addresses), and only at the top of the
whole site, listing every page in every language."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from functools import partial

from is3c.build import SOURCE_LANGUAGE, Build
from is3c.render import Files, absolute, site_pages

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(built: Build) -> bytes:
    root = ET.Element("urlset", xmlns=NAMESPACE)
    for language in built.site_languages or (built.language,):
        localized = dataclasses.replace(built, language=language)
        for page in site_pages(localized):
            url = ET.SubElement(root, "url")
            ET.SubElement(url, "loc").text = absolute(localized, page)
            ET.SubElement(url, "lastmod").text = built.release.date
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(built: Build) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {built.base_url}sitemap.xml\n".encode("utf-8")


def render(built: Build) -> Files:
    files = Files()
    if built.base_url and (not built.site_languages or built.language == SOURCE_LANGUAGE):
        files.add("sitemap.xml", partial(sitemap, built), weight=len(built.items))
        files.add("robots.txt", partial(robots, built), weight=0)
    return files
