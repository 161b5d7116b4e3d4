"""Generated HTML kept out of Python-Markdown: a placeholder paragraph per block, swapped back after rendering.

A generated page is Markdown (front matter, headings, staff-written bodies) in which every block of pre-rendered
HTML (breadcrumb, badges, cards, forms, lists of links) is a placeholder paragraph such as `dcblock-3`; the
blocks themselves travel in the page's last line, an HTML comment holding JSON:

    ---
    title: "Capteurs de qualité de l'air"
    ---
    dcblock-0

    # Capteurs de qualité de l'air

    dcblock-1

    The staff-written body, in Markdown...

    <!-- datacity-blocks {"marker": "dcblock", "blocks": ["<nav class=\\"dc-breadcrumb\\" ...", ...]} -->

The plugin removes that line before Python-Markdown sees the page (`split`) and puts block N in place of the
rendered `<p>dcblock-N</p>` (`Blocks.swap`). Python-Markdown passes raw HTML through unchanged anyway, but only
after parsing it twice with html.parser (to stash it, and for MkDocs' anchor scan): on a 1,000-challenge site
that was a third of the build (docs/benchmarks.md, "Site build"). Headings stay Markdown, so the table of
contents, anchors and search sections are unchanged; Python-Markdown never looked inside the blocks, so glossary
tooltips (`abbr`) never applied there and still do not.

Safety: the marker is chosen per page so that it occurs nowhere in the page's Markdown (and Markdown cannot make
letters out of escapes), so staff text that contains "dcblock-0" stays text and cannot pull a block in; every
placeholder must come out of Python-Markdown exactly once as its own paragraph, otherwise (say, swallowed by an HTML
tag a body left open) the build fails instead of silently dropping a form or a list of links. Staff Markdown may
hold raw HTML of its own, as before: that still goes through Python-Markdown (and MkDocs' anchor scan).

A generator that emits HTML as a plain string rather than `Html` still works, as before, only slower.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape

from .staff_text import S_, SP_, listed, show, words

MARKER = "dcblock"
TRAILER = "<!-- datacity-blocks "
_TRAILER_END = " -->"
# Our HTML writes every attribute after one space and escapes quotes in text (&quot;, or \" inside JSON), so this
# finds exactly the id attributes; a literal start keeps the search fast. (MkDocs also counts <a name>: unused here.)
_ID = re.compile(r' id="([^"]*)"')


class LostBlock(ValueError):
    """A placeholder did not come out of Python-Markdown as its own paragraph, exactly once."""


class Html(str):
    """A piece of a generated page that is HTML, to be shown as is: `page()` makes it a block."""

    __slots__ = ()


def page(parts: Iterable[str]) -> str:
    """A generated page from its pieces in order: `Html` pieces become blocks, other strings are Markdown.

    A piece of HTML left as a plain string still works (Python-Markdown passes it through), only slower.
    """
    text = PageText()
    for part in parts:
        if isinstance(part, Html):
            text.html(part)
        else:
            text.md(part)
    return text.render()


class PageText:
    """Builds a generated page: Markdown pieces as they are, HTML pieces as placeholders."""

    def __init__(self) -> None:
        self._parts: list[tuple[bool, str]] = []  # (is_html, text)

    def md(self, text: str) -> PageText:
        if text:
            self._parts.append((False, text))
        return self

    def html(self, html: str) -> PageText:
        """A block of HTML, shown as is. Consecutive blocks become one."""
        html = html.strip("\n")
        if not html:
            return self
        if self._parts and self._parts[-1][0]:
            self._parts[-1] = (True, self._parts[-1][1] + "\n" + html)
        else:
            self._parts.append((True, html))
        return self

    def render(self) -> str:
        markdown = "".join(text for is_html, text in self._parts if not is_html)
        marker = _marker(markdown)
        out, blocks = [], []
        for is_html, text in self._parts:
            if is_html:
                # Its own paragraph, whatever comes before or after.
                out.append(f"\n\n{marker}-{len(blocks)}\n\n")
                blocks.append(text)
            else:
                out.append(text)
        if not blocks:
            return markdown
        return "".join(out).rstrip("\n") + "\n\n" + _trailer(marker, blocks) + "\n"


def _marker(markdown: str) -> str:
    marker, n = MARKER, 0
    while marker in markdown:
        n += 1
        marker = f"{MARKER}{n}x"
    return marker


def _trailer(marker: str, blocks: list[str]) -> str:
    # ASCII only: MkDocs plugins may split the Markdown on any Unicode line break (str.splitlines), which would
    # cut a JSON string; and no "-->" that would end the comment early (">" only occurs inside JSON strings).
    data = json.dumps({"marker": marker, "blocks": blocks}, ensure_ascii=True).replace("-->", "--\\u003e")
    return TRAILER + data + _TRAILER_END


@dataclass
class Blocks:
    marker: str
    blocks: list[str]

    def swap(self, html: str) -> str:
        """The rendered page with each placeholder paragraph replaced by its block; LostBlock if one is missing."""
        seen: list[int] = []

        def put(match: re.Match) -> str:
            n = int(match.group(1))
            seen.append(n)
            return self.blocks[n] if n < len(self.blocks) else match.group(0)

        out = re.sub(rf"<p>{re.escape(self.marker)}-(\d+)</p>", put, html)
        if sorted(seen) != list(range(len(self.blocks))):
            missing = sorted(set(range(len(self.blocks))) - set(seen))
            extra = sorted({n for n in seen if seen.count(n) > 1 or n >= len(self.blocks)})
            found = []
            if missing:
                lost = SP_("generated HTML block {blocks} lost", "generated HTML blocks {blocks} lost")
                found.append(words(lost, n=len(missing), blocks=listed(map(str, missing))))
            if extra:
                repeated = SP_(
                    "generated HTML block {blocks} repeated or unknown",
                    "generated HTML blocks {blocks} repeated or unknown",
                )
                found.append(words(repeated, n=len(extra), blocks=listed(map(str, extra))))
            raise LostBlock(
                show(
                    S_(
                        "{found} in Python-Markdown's output: is an HTML tag or a code block left open in the "
                        "Markdown above?"
                    ),
                    None,
                    found=listed(found),
                )
            )
        return out

    def anchor_ids(self) -> set[str]:
        """The id attributes in the blocks: anchors other pages may link to (MkDocs' anchor validation)."""
        return {unescape(m) for m in _ID.findall("".join(self.blocks))}

    def map(self, function) -> Blocks:
        return Blocks(self.marker, [function(b) for b in self.blocks])


def split(text: str) -> tuple[str, Blocks | None]:
    """Markdown without its blocks line, and the blocks (None if the page has none)."""
    head, sep, tail = text.rpartition("\n" + TRAILER)
    tail = tail.rstrip()
    if not sep or "\n" in tail or not tail.endswith(_TRAILER_END):
        return text, None
    data = json.loads(tail[: -len(_TRAILER_END)])
    marker, blocks = data["marker"], data["blocks"]
    if head.count(marker) != len(blocks):  # the marker occurs only in the placeholders
        holds = SP_(
            "the page's Markdown holds {n} '{marker}' placeholder for {blocks}",
            "the page's Markdown holds {n} '{marker}' placeholders for {blocks}",
        )
        blocks_n = words(SP_("{n} block", "{n} blocks"), n=len(blocks))
        raise LostBlock(show(holds, None, n=head.count(marker), marker=marker, blocks=blocks_n))
    return head + "\n", Blocks(marker, blocks)


def inline(text: str) -> str:
    """The page as one Markdown text with the HTML blocks in place (as pages were before blocks existed)."""
    markdown, blocks = split(text)
    if blocks is None:
        return text
    return re.sub(
        rf"\n\n{re.escape(blocks.marker)}-(\d+)\n\n",
        lambda m: "\n\n" + blocks.blocks[int(m.group(1))] + "\n\n",
        markdown,
    )
