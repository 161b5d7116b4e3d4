"""Thin MkDocs glue: validate, generate the docs tree, set the navigation, add glossary tooltips, put the generated
HTML blocks back in place (site_builder/blocks.py), write the catalog."""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from . import clock
from .blocks import Blocks, LostBlock, split
from .catalog import catalog_json
from .generate import generate, navigation
from .load import load_site
from .output import sync_tree
from .pages.glossary import abbreviations
from .typography import french_spacing
from .vocabulary import SITE_LANGUAGES

log = logging.getLogger("mkdocs.plugins.datacity")


_tree_dir: Path | None = None


def _generated_dir() -> Path:
    """This process's own folder for the generated tree, reused by its rebuilds, removed when it exits.

    Two builds at once (tests, a build beside `mkdocs serve`) must not share one tree: each would publish
    the other's pages. The configured docs_dir (.build/docs) stays empty and only satisfies MkDocs.
    """
    global _tree_dir
    if _tree_dir is None:
        _tree_dir = Path(tempfile.mkdtemp(prefix="datacity-docs-"))
        atexit.register(shutil.rmtree, _tree_dir, True)
    return _tree_dir


class DataCityConfig(Config):
    root = config_options.Optional(config_options.Dir(exists=True))
    # Where the pages' forms and script reach the API; same origin by default (the CDN routes /api/* to it).
    api_base = config_options.Type(str, default="/api")


class DataCityPlugin(BasePlugin[DataCityConfig]):
    def __init__(self):
        self.site = None
        self._done_for = None
        self._glossaries: dict[str, dict[str, str]] = {}
        # The HTML blocks of each page (by src_uri), from on_page_markdown to on_page_content.
        self._blocks: dict[str, Blocks] = {}

    def on_config(self, config):
        # The i18n plugin re-runs the build (and so this hook) once per extra language with the same config.
        if self._done_for is config:
            return config
        root = Path(self.config.root or Path(config.config_file_path).parent)
        site, problems = load_site(root)
        if problems:
            lines = "\n".join(p.format(root) for p in problems)
            raise PluginError(f"{len(problems)} problem(s) in the content; nothing was published:\n{lines}")
        config.docs_dir = str(_generated_dir())
        written = sync_tree(Path(config.docs_dir), generate(site, clock.now(), self.config.api_base.rstrip("/")))
        log.debug("datacity: %d generated file(s) changed", written)
        config.nav = navigation(site)
        self.site, self._done_for = site, config
        self._glossaries = {lang: abbreviations(site.glossary, lang) for lang in SITE_LANGUAGES}
        self._blocks = {}
        return config

    def on_page_markdown(self, markdown, page, config, files):
        src_uri = page.file.src_uri
        lang = src_uri.split("/", 1)[0]
        glossary = {}
        if lang in SITE_LANGUAGES and src_uri != f"{lang}/glossary.md":
            glossary = self._glossaries[lang]
        # MkDocs builds this page's Markdown converter right after this hook, from config.mdx_configs.
        config.mdx_configs["abbr"] = {"glossary": glossary}
        try:
            markdown, blocks = split(markdown)
        except (LostBlock, ValueError) as exc:
            raise PluginError(f"{src_uri}: {exc}") from exc
        if blocks is not None:
            # French spacing applies to the blocks as it did when they were HTML inside the Markdown.
            self._blocks[src_uri] = blocks.map(french_spacing) if lang == "fr" else blocks
        return french_spacing(markdown) if lang == "fr" else markdown

    @event_priority(100)  # before any other plugin looks at the page's HTML
    def on_page_content(self, html, page, config, files):
        blocks = self._blocks.pop(page.file.src_uri, None)
        if blocks is None:
            return html
        try:
            html = blocks.swap(html)
        except LostBlock as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from exc
        # MkDocs collects the ids of raw HTML for its anchor validation; the blocks no longer go through it.
        page.present_anchor_ids = (page.present_anchor_ids or set()) | blocks.anchor_ids()
        return html

    def on_post_build(self, config):
        (Path(config.site_dir) / "catalog.json").write_text(catalog_json(self.site), encoding="utf-8")
