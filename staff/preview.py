"""`datacity preview`: the site as it will look, rebuilt and reloaded in the browser each time a file is saved."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from babel import Locale

from site_builder import languages
from site_builder.staff_click import StaffCommand, option
from site_builder.staff_text import S_, SP_, plural, text

# Watched besides what mkdocs.yml lists (content/, challenges/): exported results make a results page.
EXTRA_WATCHED = ("results",)


SITE_LANGUAGES = SP_("Preview of the site, in its language:", "Preview of the site, in its {n} languages:")
WHAT_HAPPENS = S_(
    "Each time you save a file in content/, challenges/ or results/, the files are checked, the site is rebuilt and "
    "the page open in your browser reloads. A problem is printed here, with its file and line; the preview waits "
    "until it is fixed. Votes and comments need the API: use `make serve` for those. Stop with Ctrl+C."
)


def own_name(code: str) -> str:
    """The language's name in itself (CLDR), as the site's language menu shows it: 'Français', 'Català'."""
    own = Locale.parse(code.replace("-", "_"))
    name = own.get_display_name(own) or code
    return name[:1].upper() + name[1:]  # not capitalize(): 'Português (Brasil)' keeps its capital


def addresses(root: Path, address: str) -> list[tuple[str, str]]:
    """Each site language's address and own name: the default language at the root, the others under /<code>/."""
    codes, _problems = languages.read(root)  # the build reports the problems, with their lines
    return [(address if i == 0 else f"{address}{code}/", own_name(code)) for i, code in enumerate(codes)]


def banner(root: Path, address: str) -> str:
    """What the preview prints when it starts: where to look, in every language of the site, and what it does."""
    sites = addresses(root, address)
    if sites:
        where = plural(SITE_LANGUAGES, len(sites)) + "".join(f"\n  {url} ({name})" for url, name in sites)
    else:
        where = text(S_("Preview of the site: {address}"), address=address)
    return f"{where}\n{text(WHAT_HAPPENS)}\n"


def mkdocs_serve(root: Path, host: str, port: int) -> list[str]:
    """The `mkdocs serve` command line: live reload on, every content folder watched."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "--dev-addr", f"{host}:{port}"]
    for name in EXTRA_WATCHED:
        if (root / name).is_dir():
            cmd += ["--watch", str(root / name)]
    return cmd


@click.command(
    "preview",
    cls=StaffCommand,
    help=S_("Preview the site while editing: rebuilt, and the page reloaded, each time a file is saved."),
)
@option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help=S_("The repository folder holding mkdocs.yml, challenges/ and content/."),
)
@option("--host", default="127.0.0.1", show_default=True, help=S_("Address to listen on."))
@option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help=S_("Port to listen on."))
def preview(root: Path, host: str, port: int) -> None:
    if not (root / "mkdocs.yml").is_file():
        problem = text(
            S_("no mkdocs.yml in {folder}; run from the repository folder or give --root"), folder=root.resolve()
        )
        click.echo(text(S_("error: {message}"), message=problem), err=True)
        sys.exit(1)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(banner(root, address), err=True)
    # Material for MkDocs prints an end-of-life notice on every start otherwise; it is not for staff.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    sys.stderr.flush()
    # MkDocs takes this process's place, so Ctrl+C or a signal sent to it stops the preview, never leaving it behind.
    command = mkdocs_serve(root, host, port)
    os.execve(command[0], command, env)
