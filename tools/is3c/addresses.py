"""Web addresses in the registry: what a host is, and hosts a buyer cannot trust.

The schema already holds every address to an absolute http(s) form with a plain
ASCII host (``model.URL_PATTERN``). Two kinds of host pass that form and still hide
where a link goes: punycode (``xn--`` labels, which can spell a look-alike of a
trusted name) and numbers (an IP address, also written in hex, octal or as one
whole number). ``is3c validate`` refuses both (IS3C319) and names what they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from is3c.findings import show

_NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")


def host_of(url: str) -> str:
    """The host of a registry address, in lower case (the schema rules out a user
    name and an IPv6 host, so the host ends at the first ':', '/', '?' or '#')."""
    rest = url.partition("://")[2]
    end = len(rest)
    for stop in ":/?#":
        found = rest.find(stop, 0, end)
        if found != -1:
            end = found
    return rest[:end].lower()


def numeric_host(host: str) -> str | None:
    """What a numeric host stands for, read as browsers read it (a dotted, whole, hex
    or octal number), or None for a host name."""
    parts = host.rstrip(".").split(".")
    if not _NUMBER.fullmatch(parts[-1]):
        return None
    numbers = []
    for part in parts:
        if not _NUMBER.fullmatch(part):
            return "not a valid IP address"
        if part[:2].lower() == "0x":
            digits, base = part[2:] or "0", 16
        else:
            digits, base = part, 8 if len(part) > 1 and part[0] == "0" else 10
        try:
            numbers.append(int(digits, base))
        except ValueError:  # such as '08': octal by its form, but not an octal number
            return "not a valid IP address"
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return "not a valid IP address"
    value = numbers[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1]))
    return "the IP address " + ".".join(str(value >> shift & 255) for shift in (24, 16, 8, 0))


def decoded(host: str) -> str:
    """A host with its punycode labels written out."""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


def host_problems(url: str) -> Iterator[tuple[str, str]]:
    """(message, fix) when the host of ``url`` is punycode or a number."""
    host = host_of(url)
    if "xn--" in host and any(label.startswith("xn--") for label in host.split(".")):
        yield (f"{show(url)} has the punycode host {show(host)}, which reads {show(decoded(host))}",
               "link to the publisher's own plain ASCII host name; an encoded name can "
               "imitate a trusted one")
    elif host.rstrip(".").rpartition(".")[2][:1].isdigit():  # a host name ends in letters
        address = numeric_host(host)
        if address is not None:
            yield (f"{show(url)} has the numeric host {show(host)}, which is {address}",
                   "link to the site by its host name, as its publisher does")
