"""Where the site is hosted: ``--base-url`` or ``base_url`` in ``is3c.toml``.

The address is optional: without it every link stays relative and the site works
from a folder. With it, pages carry canonical links, feeds and the API absolute
links, and the build adds ``sitemap.xml`` and ``robots.txt``. It is checked here,
once, so that no renderer ever prints an address that is not a plain web address.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = "is3c.toml"
MAX_URL = 300


class ConfigError(Exception):
    """is3c.toml or --base-url is not usable; the message says how to fix it."""


def check_base_url(value: str, where: str = "--base-url") -> str:
    """The address with a final '/', or a ConfigError saying what is wrong."""
    from is3c.findings import show

    parts = urlsplit(value)
    problem = None
    if len(value) > MAX_URL:
        problem = f"is longer than {MAX_URL} characters"
    elif parts.scheme not in ("https", "http") or not parts.hostname:
        problem = "must start with https:// (or http://) and name a host"
    elif parts.username or parts.password or "@" in parts.netloc:
        problem = "must not carry a user name or password"
    elif parts.query or parts.fragment or "?" in value or "#" in value:
        problem = "must not have a query (?) or fragment (#)"
    elif any(c.isspace() or c in "\"'<>\\`" or ord(c) < 32 for c in value):
        problem = "must not contain spaces, quotes, angle brackets or backslashes"
    if problem:
        raise ConfigError(f"{where} {show(value)} {problem}, e.g. https://example.org/is3c/")
    return value if value.endswith("/") else value + "/"


def read_base_url(folder: Path) -> str:
    """``[site] base_url`` from ``folder/is3c.toml``; "" when the file or key is absent."""
    path = folder / CONFIG_FILE
    if not path.is_file():
        return ""
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    site = config.get("site", {})
    unknown = sorted(set(config) - {"site"}) + sorted(f"site.{k}" for k in set(site) - {"base_url"}) \
        if isinstance(site, dict) else []
    if not isinstance(site, dict):
        raise ConfigError(f"{path}: [site] must be a table with base_url = \"https://...\"")
    if unknown:
        raise ConfigError(f"{path}: unknown setting {', '.join(unknown)}; the only one is "
                          "[site] base_url")
    value = site.get("base_url", "")
    if not isinstance(value, str):
        raise ConfigError(f"{path}: [site] base_url must be a quoted address")
    return check_base_url(value, f"{path}: [site] base_url") if value else ""
