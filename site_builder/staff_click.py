"""The staff commands' help in the staff's language: their own texts, and click's words ("Usage:", "Options").

A command's, group's or option's `help` is written in English (marked `S_`) and read through a descriptor that
translates it each time click reads it, so the help is in the language of the run, not of the import: a test's
`CliRunner(env={"LANGUAGE": "fr"})`, or a process that runs commands in several languages, gets each run's own.

Click marks its own words with the standard library's gettext (`from gettext import gettext as _` in its
modules), which reads the process's default domain from compiled .mo files on disk. Its messages are extracted
from click's own source into the staff catalog (`make messages`), and `install_click_words()` compiles the staff
catalogs (Babel) into a cache folder named after their content, binds the `staff` domain to it and makes it the
default domain: gettext then finds the staff's language from the same variables, in the same order, as
`staff_text.language()` does.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import os
from pathlib import Path
from typing import Any

import click
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from . import i18n
from .staff_text import DOMAIN, S_, text

# Click translates these with `_(variable)`, which no extractor sees: marked here so the catalog has them.
CLICK_WORDS = (S_("required"),)
HELP_OPTION = S_("Show this message and exit.")  # click's own help option text (decorators.help_option)
HEADING = S_("{heading}:")  # a help section's heading, its colon outside click's message ("Options", "Commands")


def _cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "datacity"


@functools.cache
def _compiled_catalogs() -> Path | None:
    """The staff catalogs compiled for gettext, in a folder named after their content; None if none can be written."""
    catalogs = sorted(i18n.LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    digest = hashlib.sha256()
    for po in catalogs:
        digest.update(po.relative_to(i18n.LOCALE_DIR).as_posix().encode() + b"\0" + po.read_bytes() + b"\0")
    try:
        folder = _cache_root() / f"{DOMAIN}-{digest.hexdigest()[:16]}"
        for po in catalogs:
            mo = folder / po.relative_to(i18n.LOCALE_DIR).with_suffix(".mo")
            if mo.exists():
                continue
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as f:
                catalog = read_po(f)
            partial = mo.with_name(f".{mo.name}.{os.getpid()}")
            with partial.open("wb") as f:
                write_mo(f, catalog)  # fuzzy entries are left out, as msgfmt does
            os.replace(partial, mo)  # whole or absent, for another command compiling it at the same time
    except (OSError, RuntimeError):  # RuntimeError: no home folder to find the cache in
        return None
    return folder


def install_click_words() -> None:
    """Click's own words from the staff catalog, in the language gettext reads from the environment when shown."""
    folder = _compiled_catalogs()
    if folder is not None:
        gettext.bindtextdomain(DOMAIN, str(folder))
        gettext.textdomain(DOMAIN)


class Translated:
    """An attribute click reads as text (`help`): kept in English, read in the staff's language."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        english = obj.__dict__.get(self.name)
        return text(english, **getattr(obj, "help_values", {})) if english else english

    def __set__(self, obj: Any, value: str | None) -> None:
        obj.__dict__[self.name] = value


class StaffOption(click.Option):
    """An option whose help is in the staff's language; `help_values` fill in its {placeholders}."""

    help = Translated()

    def __init__(self, *args: Any, help_values: dict[str, object] | None = None, **kwargs: Any) -> None:
        self.help_values = help_values or {}
        super().__init__(*args, **kwargs)


class StaffFormatter(click.HelpFormatter):
    """Click's help layout, a heading's colon written as the staff's language writes it ("Options :")."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{text(HEADING, heading=heading)}\n")


class StaffContext(click.Context):
    formatter_class = StaffFormatter


class _Staff:
    context_class = StaffContext
    help = Translated()
    short_help = Translated()

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install_click_words()
        return super().main(*args, **kwargs)  # type: ignore[misc]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            # Click makes it once, in the language of the first help shown; each run shows it in its own.
            option.help = text(HELP_OPTION)
        return option


class StaffCommand(_Staff, click.Command):
    """A staff command: its help, its options' and click's words in the staff's language."""


class StaffGroup(_Staff, click.Group):
    """A group of staff commands; its commands and subgroups are staff ones too."""

    command_class = StaffCommand
    group_class = type  # a subgroup is of the same class as its group


option = functools.partial(click.option, cls=StaffOption)
