"""Thin MkDocs glue: validate, generate the docs tree, set the navigation, add glossary tooltips, put the generated
HTML blocks back in place (site_builder/blocks.py), write the catalog, index the built site for search."""

from __future__ import annotations

import atexit
import json
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from . import clock, urls
from .blocks import Blocks, LostBlock, split
from .catalog import catalog_json, console_assets, pages_stylesheet
from .generate import dead_links, generate, navigation
from .i18n import N_, SEARCH_COUNT, direction, gettext, plural_forms, t
from .load import load_site
from .output import sync_tree
from .pages import search as search_page
from .pages.glossary import abbreviations, focusable_terms
from .staff_text import S_, SP_, plural, show
from .typography import french_spacing
from .vocabulary import SITE_NAME

log = logging.getLogger("mkdocs.plugins.datacity")
# The build's refusal, in the staff's language like the validator's problems it lists (their path:line: field:
# part never changes).
BUILD_REFUSED = SP_(
    "{n} problem in the content; nothing was published:",
    "{n} problems in the content; nothing was published:",
)

SITE_DESCRIPTION = N_("Citizen consultation on the challenges of the sustainable city")


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
        self._not_found: bytes | None = None

    def on_config(self, config):
        # The i18n plugin re-runs the build (and so this hook) once per extra language with the same config.
        if self._done_for is config:
            return config
        root = Path(self.config.root or Path(config.config_file_path).parent)
        site, problems = load_site(root)
        if problems:
            lines = "\n".join(p.format(root) for p in problems)
            raise PluginError(f"{plural(BUILD_REFUSED, len(problems))}\n{lines}")
        languages = site.languages
        _configure_languages(config, site)
        config.docs_dir = str(_generated_dir())
        tree = generate(site, clock.now(), self.config.api_base.rstrip("/"))
        dead = dead_links(site, tree)
        if dead:  # at the challenge's line, before MkDocs would name the generated page
            raise PluginError(f"{plural(BUILD_REFUSED, len(dead))}\n" + "\n".join(p.format(root) for p in dead))
        written = sync_tree(Path(config.docs_dir), tree)
        log.debug("datacity: generated files changed: %d", written)
        config.nav = navigation(site, languages[0])
        if not config.site_url:
            raise PluginError(
                "mkdocs.yml: "
                + show(S_("site_url is empty; set it (or DATACITY_SITE_URL) to the site's public address"))
            )
        # The 404 page is one page for every address, so it speaks every language (overrides/404.html).
        config.extra["not_found"] = [
            {
                "lang": lang,
                "dir": direction(lang),
                "title": t(lang, "not_found"),
                "text": t(lang, "not_found_text"),
                "home": t(lang, "not_found_home"),
                # From the root of site_url: the 404 page is served at any depth.
                "home_url": urlsplit(config.site_url).path + urls.url_of(urls.content_page(lang, "index")),
            }
            for lang in languages
        ]
        # Where the header's search form leads, and what search.js says, per language (overrides/partials/header.html).
        config.extra["search_page"] = {
            lang: urls.url_of(urls.content_page(lang, search_page.NAME)) for lang in languages
        }
        config.extra["search_texts"] = {
            lang: json.dumps(
                {key: t(lang, f"search_{key}") for key in ("none", "searching", "failed", "more")}
                | {"all": t(lang, "search_see_all"), "count": plural_forms(lang, SEARCH_COUNT)},
                ensure_ascii=False,
            )
            for lang in languages
        }
        self.site, self._done_for = site, config
        self._glossaries = {lang: abbreviations(site.glossary, lang) for lang in languages}
        self._blocks = {}
        return config

    def on_page_markdown(self, markdown, page, config, files):
        src_uri = page.file.src_uri
        lang = src_uri.split("/", 1)[0]
        glossary = {}
        if lang in self.site.languages and src_uri != f"{lang}/glossary.md":
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
        html = focusable_terms(html)
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

    @event_priority(-100)  # after the i18n plugin has pointed each language's entry at the page's translation
    def on_page_context(self, context, page, config, nav):
        """The page's language alternates (`<link rel="alternate" hreflang>`): only the languages the page exists
        in. The i18n plugin points a missing translation at that language's home page, which is right for the
        language menu (a reader may still change language) but would tell search engines that the home page
        translates a Paris challenge."""
        # The i18n plugin sets them as an attribute of `extra` (which is what the templates read), not as its key.
        alternates = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
        exists_in = getattr(page.file, "alternates", None)
        context["dc_alternates"] = [a for a in alternates if exists_in is None or a.get("lang") in exists_in]
        return context

    def _write_catalog(self, config):
        stylesheet = pages_stylesheet(Path(config.site_dir), [str(css) for css in config.extra_css])
        assets = console_assets(Path(config.site_dir))
        (Path(config.site_dir) / "catalog.json").write_text(
            catalog_json(self.site, stylesheet, assets), encoding="utf-8"
        )
        if config.theme["language"] == self.site.languages[0]:
            # Every language's build writes the theme's 404.html at the root; the default language's is the one.
            self._not_found = (Path(config.site_dir) / "404.html").read_bytes()

    @event_priority(-200)  # after the i18n plugin, which builds the other languages in its own on_post_build
    def _index_for_search(self, config):
        i18n = config.plugins.get("i18n")
        if i18n is not None and getattr(i18n, "building", False):
            return  # one language of several: the search index is made once, over the whole site
        if self._not_found is not None:
            (Path(config.site_dir) / "404.html").write_bytes(self._not_found)
        index_for_search(Path(config.site_dir))

    on_post_build = CombinedEvent(_write_catalog, _index_for_search)


def _configure_languages(config, site) -> None:
    """The i18n plugin's languages (mkdocs.yml) get the site's name and description from the catalogs, and
    their own navigation (a program is only in its languages'); the plugin reads them in its on_config, which
    runs after ours. A language left without a name gets CLDR's."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        raise PluginError(
            "mkdocs.yml: " + show(S_("the i18n plugin is missing; the site's languages are declared there"))
        )
    for entry in i18n.config.languages:
        lang = entry.locale
        if lang not in site.languages:
            continue
        if not entry.name:
            own = Locale.parse(lang.replace("-", "_"))
            entry.name = own.get_display_name(own).capitalize()
        entry.site_name = entry.site_name or gettext(lang, SITE_NAME)
        entry.nav = navigation(site, lang)
        entry.site_description = entry.site_description or gettext(lang, SITE_DESCRIPTION)


def index_for_search(site_dir: Path) -> None:
    """Pagefind's index of the built site, in site/pagefind/: one per page language, fetched in fragments."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        failed = show(S_("pagefind failed (exit {code}):"), None, code=done.returncode)
        raise PluginError(f"{failed}\n{(done.stdout + done.stderr).strip()[-3000:]}")
