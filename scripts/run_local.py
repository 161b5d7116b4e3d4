#!/usr/bin/env python3
"""`make serve`'s last step: run api/serve.py, wait until it answers, then say where everything is.

    .venv/bin/python scripts/run_local.py --site site --host 127.0.0.1 --port 8000

The server's own command line is unchanged (`api/serve.py --site --host --port`); this only starts it, waits for
`/api/health`, prints the addresses of the site, the API, each example program in its current state, the staff
guide and the commands that give a first staff token, then waits. Ctrl+C (or SIGTERM) stops the server. DATA_DIR is
the SQLite store's folder (default .data); DATACITY_NOW, if set, pins the clock of the pages and the API.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  # seconds for /api/health to answer
DEFAULT_ORIGIN = "http://127.0.0.1:8000"
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def answers(host: str, port: int) -> bool:
    conn = http.client.HTTPConnection(host, port, timeout=2)
    try:
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def day(value: dt.datetime) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def now() -> dt.datetime:
    pinned = os.environ.get("DATACITY_NOW")
    return dt.datetime.fromisoformat(pinned) if pinned else dt.datetime.now(dt.UTC)


def program_lines(site: Path, origin: str, at: dt.datetime) -> tuple[list[str], str | None]:
    """One line per program with its state at `at`, and the id of a program open then (for the staff example)."""
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    lines, open_program = [], None

    # The banner is in English; a program published without English (Barcelona: Catalan and Spanish) shows its
    # title and pages in its first language.
    def title(program: dict) -> str:
        return program["title"].get("en") or program["title"][program["languages"][0]]

    width = max((len(title(p)) for p in catalog["programs"]), default=0)
    for program in sorted(catalog["programs"], key=lambda p: p["window"]["opens"]):
        opens = dt.datetime.fromisoformat(program["window"]["opens"])
        closes = dt.datetime.fromisoformat(program["window"]["closes"])  # exclusive: the day after the last one
        last_day = closes - dt.timedelta(days=1)
        page = f"{origin}/{program['urls'][program['languages'][0]]}"
        if at < opens:
            state = f"opens on {day(opens)}: {page}"
        elif at < closes:
            state = f"open until {day(last_day)}: vote and comment at {page}"
            open_program = open_program or program["id"]
        elif (site / program["id"] / "results" / "index.html").is_file():
            state = f"closed, with its results: {page}results/"
        else:
            state = f"closed on {day(last_day)}: {page}"
        lines.append(f"    {title(program):<{width}}  {state}")
    return lines, open_program or (catalog["programs"][0]["id"] if catalog["programs"] else None)


def banner(site: Path, host: str, port: int, data_dir: Path) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    origin = f"http://{shown}:{port}"
    at = now()
    programs, example = program_lines(site, origin, at)
    codes = json.loads((site / "catalog.json").read_text(encoding="utf-8"))["vocabulary"]["languages"]
    others = " · ".join(f"{Locale.parse(code).get_display_name('en')}: {origin}/{code}/" for code in codes[1:])
    pinned = " (DATACITY_NOW)" if os.environ.get("DATACITY_NOW") else ""
    datacity = os.path.relpath(Path(sys.executable).with_name("datacity"), Path.cwd())
    data = os.path.relpath(data_dir, Path.cwd())
    program = example or "PROGRAM"
    create = f"{datacity} staff-token create --program {program} --name {shlex.quote('Your name')} --data-dir {data}"
    api = "" if origin == DEFAULT_ORIGIN else f" --api {origin}/api"  # the staff commands' default is DEFAULT_ORIGIN
    return "\n".join(
        [
            "",
            "DataCity is running / DataCity est en marche:",
            f"  Site               {origin}/  ({others})",
            f"  API                {origin}/api/openapi.json  (what it offers; staff routes under /api/staff/)",
            f"  Staff console      {origin}/staff/  (sign in with a staff token: see below)",
            f"  Programs on {day(at)}{pinned}:",
            *programs,
            "  Staff guide        docs/staff.md (running a consultation: tokens, moderation, results)",
            "                     docs/editing-challenges.md (writing challenges; preview them with `make preview`)",
            "  Guide de l'équipe  docs/fr/guide-consultation.md, docs/fr/guide-edition.md (the same guides in French)",
            "  First staff token  in another terminal, from this folder:",
            f"                       {create}",
            f"                       then paste it at {origin}/staff/ or, for the commands,",
            "                       export DATACITY_STAFF_TOKEN=<the token it printed>",
            f"                       {datacity} moderate queue --program {program}{api}",
            f"  Votes and comments are kept in {data}/ and survive a restart. Stop with Ctrl+C.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="The built site (make build).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.site / "catalog.json").is_file():
        print(f"{args.site}/catalog.json is missing: build the site first (make build).", file=sys.stderr)
        return 1
    data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data").resolve()
    command = [sys.executable, str(ROOT / "api" / "serve.py"), "--site", str(args.site)]
    command += ["--host", args.host, "--port", str(args.port)]
    server = subprocess.Popen(command, env={**os.environ, "DATA_DIR": str(data_dir)})

    def stop(signum, frame):  # SIGTERM: stop the server too; Ctrl+C reaches both already
        server.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    try:
        host = "127.0.0.1" if args.host in ("0.0.0.0", "", "::") else args.host
        deadline = time.monotonic() + START_TIMEOUT
        while server.poll() is None and not answers(host, args.port):
            if time.monotonic() > deadline:
                print(f"The server did not answer on port {args.port} within {START_TIMEOUT:.0f} s.", file=sys.stderr)
                server.terminate()
                break
            time.sleep(0.2)
        if server.poll() is None:
            print(banner(args.site, args.host, args.port, data_dir), flush=True)
        return server.wait()
    except KeyboardInterrupt:
        try:
            return server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            return server.wait()


if __name__ == "__main__":
    sys.exit(main())
