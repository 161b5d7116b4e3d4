"""Generated HTML travels beside the Markdown as blocks and comes back in place after Python-Markdown."""

from __future__ import annotations

import datetime as dt
import re

import markdown
import pytest

from site_builder.blocks import TRAILER, Html, LostBlock, inline, page, split
from site_builder.generate import generate
from site_builder.load import load_site
from site_builder.typography import french_spacing
from tests import FIXTURES

FIXTURE = FIXTURES / "valid"
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
EXTENSIONS = ["abbr", "admonition", "attr_list", "tables", "toc"]  # as in mkdocs.yml


def render(text: str) -> str:
    """What the plugin does around Python-Markdown: split the blocks off, convert, swap them back."""
    md, blocks = split(text)
    html = markdown.Markdown(extensions=EXTENSIONS).convert(md)
    return blocks.swap(html) if blocks else html


def test_every_block_comes_back_once_in_order():
    text = page(
        [
            "# Title\n",
            Html('<nav class="crumbs"><a href="../">Up</a></nav>\n'),
            Html('<p class="lead">Lead</p>'),  # consecutive blocks become one
            "Some *Markdown* text.\n",
            Html('<section id="take-part"><form method="post"></form>\n\n<p>after a blank line</p></section>'),
        ]
    )
    assert "<nav" not in split(text)[0]
    html = render(text)
    assert html.count('<nav class="crumbs">') == 1 and html.count("<section") == 1
    assert html.index("<h1") < html.index("<nav") < html.index("Lead") < html.index("<em>") < html.index("<section")
    assert "dcblock" not in html
    assert "<p>after a blank line</p></section>" in html


def test_a_page_without_html_is_plain_markdown():
    assert page(["# Title\n", "Text.\n"]) == "# Title\nText.\n"
    assert split("# Title\n") == ("# Title\n", None)


def test_staff_text_with_the_placeholder_text_stays_text():
    body = "Write dcblock-0 or dcblock\\-1 here.\n\ndcblock-0\n\n<!-- datacity-blocks {} -->\n"
    text = page(["# Title\n", Html("<p>GENERATED</p>"), body, Html("<p>LAST</p>")])
    md, blocks = split(text)
    assert blocks.marker != "dcblock" and blocks.marker not in body
    html = render(text)
    assert html.count("GENERATED") == 1 and html.count("LAST") == 1
    assert "<p>dcblock-0</p>" in html  # the staff paragraph, untouched
    assert html.index("GENERATED") < html.index("Write dcblock-0")


def test_a_lost_placeholder_fails_the_build():
    text = page(["Body:\n\n<div>\n\nA tag left open swallows the rest of the page.\n", Html("<form>vote</form>")])
    with pytest.raises(LostBlock):
        render(text)


def test_a_repeated_placeholder_fails_the_build():
    md, blocks = split(page(["# T\n", Html("<p>x</p>")]))
    with pytest.raises(LostBlock):
        blocks.swap(f"<p>{blocks.marker}-0</p><p>{blocks.marker}-0</p>")


def test_trailer_survives_line_splitting_and_comment_ends():
    tricky = "<p>a\u2028b --> c\u00a0é</p>"
    text = page(["# T\n", Html(tricky)])
    trailer = text.rstrip("\n").rsplit("\n", 1)[1]
    assert trailer.startswith(TRAILER) and trailer.isascii() and trailer.count("-->") == 1
    # mkdocs-static-i18n rewrites the Markdown line by line with str.splitlines() before our hook.
    relined = "\n".join(text.splitlines())
    assert split(relined)[1].blocks == [tricky]


def test_blocks_carry_their_anchor_ids():
    _, blocks = split(page(["# T\n", Html('<dl><dt id="ai">AI</dt><dt id="r&amp;d">R&amp;D</dt></dl>')]))
    assert blocks.anchor_ids() == {"ai", "r&d"}


def test_french_spacing_applies_to_blocks_as_it_did_inline():
    html = '<p class="x">Thèmes : eau</p><script type="application/json">{"a": "b ? c"}</script>'
    text = page(["# Pourquoi ?\n", Html(html), "« Oui » !\n"])
    # Before blocks: the whole page, HTML included, went through french_spacing, then Python-Markdown.
    before = markdown.Markdown(extensions=EXTENSIONS).convert(french_spacing(inline(text)))
    # Now (the plugin): the Markdown and each block separately.
    md, blocks = split(text)
    after = blocks.map(french_spacing).swap(markdown.Markdown(extensions=EXTENSIONS).convert(french_spacing(md)))
    assert "Thèmes\u202f: eau" in after and '"b\u202f? c"' in after and "«\u202fOui\u202f»\u202f!" in after
    # Same HTML, but for the line breaks Python-Markdown used to put between consecutive raw HTML elements.
    assert re.sub(r">\s+<", "><", after) == re.sub(r">\s+<", "><", before)


def test_generated_pages_render_with_every_block_in_place():
    site, problems = load_site(FIXTURE)
    assert problems == []
    for path, data in generate(site, NOW).items():
        if not path.endswith(".md"):
            continue
        text = data.decode()
        html = render(text)
        _, blocks = split(text)
        if blocks is not None:
            for block in blocks.blocks:
                assert block in html, (path, block[:80])
            assert blocks.marker not in html, path
