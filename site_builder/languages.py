"""The site's languages, declared once: the i18n plugin's `languages` in mkdocs.yml (its `default: true` first).

The validator reads them here (as YAML, with the line of each value; no MkDocs import), checks that each one is
a language CLDR (Babel) and mkdocs-material know and that its catalog translates every message of the interface,
and the datacity plugin fills in their names (CLDR's own name of each language) and site names (the catalog).
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

from . import i18n
from .problems import Problem
from .sources import parse_yaml
from .staff_text import S_, SP_, listed

CONFIG_FILE = "mkdocs.yml"
TEMPLATE = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"


@functools.cache
def material_languages() -> frozenset[str]:
    """The languages mkdocs-material translates its own interface into (its partials/languages/*.html)."""
    spec = importlib.util.find_spec("material")
    folders = list(spec.submodule_search_locations or []) if spec else []
    found = set()
    for folder in folders:
        found |= {p.stem for p in (Path(folder) / "templates" / "partials" / "languages").glob("*.html")}
    return frozenset(found)


def site_address(root: Path) -> str:
    """The site's public address: DATACITY_SITE_URL as the deploy sets it, else mkdocs.yml's site_url (its default
    when written `!ENV [DATACITY_SITE_URL, default]`); "" when neither says."""
    if os.environ.get("DATACITY_SITE_URL"):
        return os.environ["DATACITY_SITE_URL"]
    path = Path(root) / CONFIG_FILE
    if not path.exists():
        return ""
    doc, _ = parse_yaml(path.read_text(encoding="utf-8"), path)
    value = doc.data.get("site_url") if doc is not None and isinstance(doc.data, dict) else None
    if isinstance(value, list):  # !ENV [NAME, ..., default]
        value = value[-1] if value else None
    return value if isinstance(value, str) else ""


def read(root: Path) -> tuple[tuple[str, ...], list[Problem]]:
    """The site's languages, the default first; problems at mkdocs.yml's lines."""
    path = Path(root) / CONFIG_FILE
    if not path.exists():
        return (), [
            Problem(
                path,
                1,
                "",
                S_("the site's configuration is missing"),
                S_("add mkdocs.yml, with the site's languages under the i18n plugin (docs/languages.md)"),
            )
        ]
    doc, problems = parse_yaml(path.read_text(encoding="utf-8"), path)
    if doc is None:
        return (), problems
    plugins = doc.data.get("plugins") if isinstance(doc.data, dict) else None
    index = next(
        (i for i, p in enumerate(plugins or []) if isinstance(p, dict) and isinstance(p.get("i18n"), dict)), None
    )
    entries = plugins[index]["i18n"].get("languages") if index is not None else None
    if not isinstance(entries, list) or not entries:
        where = ("plugins", index, "i18n") if index is not None else ("plugins",)
        return (), [
            Problem(
                path,
                doc.line(where),
                "plugins.i18n.languages",
                S_("the site's languages are not declared"),
                S_(
                    "list them under the i18n plugin: 'languages:' then '- locale: fr' and 'default: true' on the first"
                ),
            )
        ]
    codes: list[str] = []
    default: str | None = None
    for i, entry in enumerate(entries):
        where = ("plugins", index, "i18n", "languages", i)
        field = f"plugins.i18n.languages[{i}].locale"
        code = entry.get("locale") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not code:
            problems.append(
                Problem(
                    path, doc.line(where), field, S_("is missing"), S_("write the language's code, e.g. 'locale: ca'")
                )
            )
            continue
        line = doc.line(where + ("locale",))
        problem = _unknown(code)
        if problem:
            problems.append(Problem(path, line, field, *problem))
            continue
        if code in codes:
            problems.append(
                Problem(path, line, field, S_("'{code}' is declared twice"), S_("keep one of them"), (("code", code),))
            )
            continue
        problems.extend(_incomplete_catalog(code, path, line, field))
        codes.append(code)
        if entry.get("default") is True:
            default = code
    if default is None and codes:
        problems.append(
            Problem(
                path,
                doc.line(("plugins", index, "i18n", "languages")),
                "plugins.i18n.languages",
                S_("no language is the default one"),
                S_("add 'default: true' to the language served at the site's root"),
            )
        )
    ordered = ([default] if default else []) + [c for c in codes if c != default]
    return tuple(ordered), problems


def _unknown(code: str) -> tuple[str, str, tuple] | None:
    """Why `code` cannot be a site language: the message, the fix and their values (None when it can)."""
    supported = material_languages()
    if code not in supported:
        return (
            S_("'{code}' is not a language mkdocs-material translates its interface into"),
            S_("use one of its codes: {codes}"),
            (("code", code), ("codes", listed(sorted(supported), "or"))),
        )
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return (
            S_("CLDR has no locale '{code}' for dates and numbers"),
            S_("use the language's ISO 639-1 code"),
            (("code", code),),
        )
    return None


@functools.cache
def template_messages() -> frozenset[str | tuple[str, str]]:
    """Every message the interface uses (site.pot, which tests/unit/site_builder/test_catalogs.py keeps current)."""
    with TEMPLATE.open("rb") as f:
        return frozenset(m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id)


def missing_messages(code: str, folder: Path = i18n.LOCALE_DIR, domain: str = i18n.DOMAIN) -> list[str]:
    """The interface's messages that the language's catalog does not translate (fuzzy ones count as missing)."""
    if code == i18n.SOURCE_LANGUAGE:
        return []
    path = i18n.catalog_path(code, domain, folder)
    if not path.exists():
        return sorted(m if isinstance(m, str) else m[0] for m in template_messages())
    with path.open("rb") as f:
        catalog = read_po(f)
    done = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.id and not message.fuzzy and all(strings):
            done.add(message.id if isinstance(message.id, str) else tuple(message.id))
    return sorted((m if isinstance(m, str) else m[0]) for m in template_messages() - done)


def _incomplete_catalog(code: str, path: Path, line: int, field: str) -> list[Problem]:
    missing = missing_messages(code)
    if not missing:
        return []
    po = i18n.catalog_path(code).relative_to(i18n.LOCALE_DIR.parent.parent).as_posix()
    return [
        Problem(
            path,
            line,
            field,
            SP_(
                "the interface is not translated into '{code}': {n} message missing in {po}, e.g. {example}",
                "the interface is not translated into '{code}': {n} messages missing in {po}, e.g. {example}",
            ),
            S_("run 'make messages LANGUAGE={code}' and translate every entry (docs/languages.md)"),
            (("code", code), ("n", len(missing)), ("po", po), ("example", repr(missing[0]))),
        )
    ]
