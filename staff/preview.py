"""`datacity preview`: the site as it will look, rebuilt and reloaded in the browser each time a file is saved."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from site_builder.staff_text import S_, text

# Watched besides what mkdocs.yml lists (content/, challenges/): exported results make a results page.
EXTRA_WATCHED = ("results",)


def mkdocs_serve(root: Path, host: str, port: int) -> list[str]:
    """The `mkdocs serve` command line: live reload on, every content folder watched."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "--dev-addr", f"{host}:{port}"]
    for name in EXTRA_WATCHED:
        if (root / name).is_dir():
            cmd += ["--watch", str(root / name)]
    return cmd


@click.command("preview")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The repository folder holding mkdocs.yml, challenges/ and content/.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port to listen on.")
def preview(root: Path, host: str, port: int) -> None:
    """Preview the site while editing: rebuilt, and the page reloaded, each time a file is saved."""
    if not (root / "mkdocs.yml").is_file():
        problem = text(
            S_("no mkdocs.yml in {folder}; run from the repository folder or give --root"), folder=root.resolve()
        )
        click.echo(text(S_("error: {message}"), message=problem), err=True)
        sys.exit(1)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(
        text(
            S_(
                "Preview: {address} (English: {address}en/)\n"
                "Each time you save a file in content/, challenges/ or results/, the files are checked, the site is "
                "rebuilt and the page open in your browser reloads. A problem is printed here, with its file and line; "
                "the preview waits until it is fixed. Votes and comments need the API: use `make serve` for those. "
                "Stop with Ctrl+C.\n"
            ),
            address=address,
        ),
        err=True,
    )
    # Material for MkDocs prints an end-of-life notice on every start otherwise; it is not for staff.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    sys.stderr.flush()
    # MkDocs takes this process's place, so Ctrl+C or a signal sent to it stops the preview, never leaving it behind.
    command = mkdocs_serve(root, host, port)
    os.execve(command[0], command, env)
