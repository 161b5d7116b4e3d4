"""The staff commands, added to the `datacity` group by site_builder/cli.py. See docs/staff.md.

API base: --api, else DATACITY_API, else http://127.0.0.1:8000/api. Staff token: DATACITY_STAFF_TOKEN or
--token-file only (never an option value, which would land in shell history), and never printed.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import json
import re
import sys
import urllib.parse
from pathlib import Path

import click

from site_builder.staff_click import StaffCommand, StaffGroup, option
from site_builder.staff_text import S_, SP_, plural, text
from site_builder.vocabulary import LIMITS, MODERATION_REASONS, QUEUES

from . import exports, proposal, tokens, workshop
from .catalog import Catalog, catalog_location, load_catalog
from .client import ApiProblem, StaffApi, StaffError, api_base, items_of, read_token
from .output import emit_json, table
from .preview import preview

REASONS = tuple(MODERATION_REASONS)
# Counts shown in a sentence with others ("3 votes and 1 comment"): each one takes its own plural form.
VOTES = SP_("{n} vote", "{n} votes")
COMMENTS = SP_("{n} comment", "{n} comments")
CHALLENGES = SP_("{n} challenge", "{n} challenges")
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def fail(message: str) -> None:
    click.echo(text(S_("error: {message}"), message=message), err=True)
    sys.exit(1)


def handled(func):
    """Show a StaffError as one line on stderr and exit 1, instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (StaffError, tokens.TokenError) as exc:
            fail(str(exc))

    return wrapper


def api_options(func):
    """--api and --token-file; the command receives `api` (a StaffApi)."""

    @option(
        "--api", "api_url", metavar="URL", help=S_("API base (default: $DATACITY_API or http://127.0.0.1:8000/api).")
    )
    @option(
        "--token-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=S_("Read the staff token from this file instead of $DATACITY_STAFF_TOKEN."),
    )
    @functools.wraps(func)
    def wrapper(*args, api_url, token_file, **kwargs):
        try:
            api = StaffApi(api_base(api_url), read_token(token_file))
        except StaffError as exc:
            fail(str(exc))
        return func(*args, api=api, **kwargs)

    return wrapper


PROGRAM = option("--program", "-p", required=True, metavar="PROGRAM", help=S_("The program id, e.g. paris-2017."))
AS_JSON = option("--json", "as_json", is_flag=True, help=S_("Print JSON for scripts instead of a table."))
CATALOG = option(
    "--catalog",
    metavar="PATH|URL",
    help=S_("The site's catalog.json (default: <site origin>/catalog.json, the origin of the API base)."),
)


# --- staff-token -------------------------------------------------------------------------------------------------


@click.group("staff-token", cls=StaffGroup, help=S_("Create, revoke and list staff tokens (stored only as sha256)."))
def staff_token() -> None:
    pass


def _backend(data_dir: Path, secret_name: str | None):
    return tokens.SecretBackend(secret_name) if secret_name else tokens.FileBackend(data_dir)


STORE_OPTIONS = [
    option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(".data"),
        show_default=True,
        help=S_("Local: the API's DATA_DIR, holding staff_tokens.json."),
    ),
    option("--secret-name", metavar="NAME", help=S_("Production: the Secrets Manager secret (STAFF_TOKENS_SECRET).")),
]


def store_options(func):
    for store_option in reversed(STORE_OPTIONS):
        func = store_option(func)
    return func


@staff_token.command("create", help=S_("Create a token; print it once (on stdout, alone) and store only its hash."))
@option("--program", "-p", "programs", multiple=True, required=True, help=S_("A program it may act on (repeat)."))
@option("--name", required=True, help=S_("Who holds it and why, e.g. 'Alice (moderation)'; shown in the audit log."))
@option(
    "--may-manage-tokens",
    is_flag=True,
    help=S_("It may also list, create and revoke tokens of its programs in the console (/staff/)."),
)
@store_options
@handled
def token_create(
    programs: tuple[str, ...], name: str, may_manage_tokens: bool, data_dir: Path, secret_name: str | None
) -> None:
    backend = _backend(data_dir, secret_name)
    doc = backend.load()
    token, record = tokens.create(doc, list(programs), name, manage_tokens=may_manage_tokens)
    backend.save(doc)
    click.echo(
        text(
            S_(
                "Created token {id} for {name} ({programs}) in {store}.\nIt is shown only now: keep it in a password "
                "manager and give it as DATACITY_STAFF_TOKEN."
            ),
            id=record["id"],
            name=record["name"],
            programs=", ".join(record["programs"]),
            store=backend.describe(),
        ),
        err=True,
    )
    click.echo(token)


@staff_token.command("revoke", help=S_("Revoke a token by its id (the 8 characters after dcs_)."))
@click.argument("token_id")
@store_options
@handled
def token_revoke(token_id: str, data_dir: Path, secret_name: str | None) -> None:
    backend = _backend(data_dir, secret_name)
    doc = backend.load()
    record = tokens.revoke(doc, token_id.strip())
    backend.save(doc)
    done = (
        S_("Revoked token {id} ({name}); the API refuses it within a minute.")
        if secret_name
        else S_("Revoked token {id} ({name}); the API refuses it at once.")
    )
    click.echo(text(done, id=record["id"], name=record["name"]))


@staff_token.command("list", help=S_("List tokens (never their hashes)."))
@store_options
@AS_JSON
@handled
def token_list(data_dir: Path, secret_name: str | None, as_json: bool) -> None:
    records = [tokens.public_view(r) for r in _backend(data_dir, secret_name).load()["tokens"]]
    if as_json:
        emit_json(records)
    elif not records:
        click.echo(text(S_("No staff token yet; create one with: datacity staff-token create --program P --name N")))
    else:
        click.echo(table(records, ["id", "name", "programs", "rights", "created_at", "revoked_at"]))


# --- moderate ----------------------------------------------------------------------------------------------------

# A comment's or proposal's id: 16 URL-safe characters. Ids made before 2026-12 may start with '-', which click
# would read as an option ("No such option '-d'"); no option of these commands has this shape.
ITEM_ID_SHAPED = re.compile(r"^-[A-Za-z0-9_-]{15}$")
# Options of these commands that take a value: an id-shaped value after one of them is that option's value.
VALUED = {"--reason", "--note", "--api", "--token-file", "--program", "-p", "--kind", "--out", "--catalog"}


class TakesIds(StaffCommand):
    """A command whose id argument may start with '-': such a token is moved after '--', where click reads it as
    the argument whatever it looks like (`datacity moderate reject -dH6j... --reason spam` works as typed)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" not in args:
            ids = [i for i, a in enumerate(args) if ITEM_ID_SHAPED.match(a) and (i == 0 or args[i - 1] not in VALUED)]
            if ids:
                args = [a for i, a in enumerate(args) if i not in ids] + ["--"] + [args[i] for i in ids]
        return super().parse_args(ctx, args)


class TakesIdsGroup(StaffGroup):
    command_class = TakesIds


@click.group(cls=TakesIdsGroup, help=S_("The moderation queue and decisions on comments and proposals."))
def moderate() -> None:
    pass


COMMENT_COLUMNS = [
    "id",
    "challenge",
    "status",
    "reason",
    "created_at",
    "channel",
    "reports",
    "report_reasons",
    "display_name",
]
PROPOSAL_COLUMNS = ["id", "created_at", "status", "theme", "has_contact", "title"]


def _queue(api: StaffApi, program: str, kind: str, as_json: bool) -> None:
    entries = []
    for page in api.pages(f"/staff/programs/{program}/queue", {"kind": kind}):
        entries += items_of(page)
    if as_json:
        emit_json(entries)
        return
    if not entries:
        click.echo(text(S_("Nothing in the {kind} queue of {program}."), kind=kind, program=program))
        return
    click.echo(table(entries, PROPOSAL_COLUMNS if kind == "proposals" else COMMENT_COLUMNS))
    if kind != "proposals":
        # The text in full, under the table: a moderator decides on all of it, not on a table cell's 60 characters.
        for entry in entries:
            click.echo(f"\n--- {entry['id']} ---\n{entry.get('text', '')}")
    click.echo(
        "\n"
        + text(
            S_("{count} in the {kind} queue of {program}, oldest first."),
            count=len(entries),
            kind=kind,
            program=program,
        )
    )


@moderate.command("queue", help=S_("The moderation queue: pending or reported comments, or proposals, oldest first."))
@PROGRAM
@option("--kind", type=click.Choice(QUEUES), default=QUEUES[0], show_default=True)
@AS_JSON
@api_options
@handled
def moderate_queue(program: str, kind: str, as_json: bool, api: StaffApi) -> None:
    _queue(api, program, kind, as_json)


@moderate.command("proposals", help=S_("The proposals waiting for a decision (same as queue --kind proposals)."))
@PROGRAM
@AS_JSON
@api_options
@handled
def moderate_proposals(program: str, as_json: bool, api: StaffApi) -> None:
    _queue(api, program, "proposals", as_json)


def _decide(api: StaffApi, what: str, target: str, action: str, reason, note, as_json: bool) -> None:
    if note is not None and len(note) > LIMITS["staff_note"]:
        raise StaffError(
            text(
                S_("--note is {length} characters long, at most {limit}"), length=len(note), limit=LIMITS["staff_note"]
            )
        )
    body = {"action": action}
    if reason:
        body["reason"] = reason
    if note:
        body["note"] = note
    result = api.post(f"/staff/{what}s/{target}/decision", body)
    if as_json:
        emit_json(result)
        return
    change = f"{result['previous']} → {result['status']}" if "previous" in result else result.get("status", "done")
    click.echo(f"{what} {target}: {action}{f' ({reason})' if reason else ''}: {change}.")


def _decision_command(what: str, action: str, needs_reason: bool, help_text: str):
    def command(target: str, as_json: bool, api: StaffApi, reason: str | None = None, note: str | None = None):
        _decide(api, what, target, action, reason, note, as_json)

    command = handled(command)
    command = api_options(command)
    command = AS_JSON(command)
    command = option(
        "--note",
        help=S_("Optional, at most {limit} characters; goes to the audit log only."),
        help_values={"limit": LIMITS["staff_note"]},
    )(command)
    if needs_reason:
        command = option(
            "--reason", required=True, type=click.Choice(REASONS), help=S_("The reason category (audit log, record).")
        )(command)
    command = click.argument("target", metavar=f"{what.upper()}_ID")(command)
    name = action if what == "comment" else f"{action}-proposal"
    return moderate.command(name, help=help_text)(command)


_decision_command("comment", "approve", False, S_("Publish a pending comment, or keep a reported one published."))
_decision_command("comment", "reject", True, S_("Reject a pending or hidden comment (needs --reason)."))
_decision_command("comment", "hide", True, S_("Hide a published comment (needs --reason)."))
_decision_command("comment", "restore", False, S_("Publish a hidden comment again."))
_decision_command(
    "proposal", "approve", False, S_("Approve a resident's proposal (then: datacity proposal to-challenge).")
)
_decision_command("proposal", "reject", True, S_("Reject a resident's proposal (needs --reason)."))


@moderate.command("proposal", help=S_("Show one proposal (never its contact email)."))
@click.argument("proposal_id")
@AS_JSON
@api_options
@handled
def moderate_show_proposal(proposal_id: str, as_json: bool, api: StaffApi) -> None:
    found = api.get(f"/staff/proposals/{proposal_id}")
    if as_json:
        emit_json(found)
        return
    for key in ("id", "program", "status", "created_at", "theme", "has_contact", "title"):
        if key in found:
            click.echo(f"{key + ':':13} {found[key]}")
    click.echo("\n" + str(found.get("description", "")).strip())


# --- audit, results, vote log ------------------------------------------------------------------------------------

AUDIT_COLUMNS = ["id", "at", "actor_token", "actor_name", "program", "action", "target", "reason", "note"]


def audit_csv(entries: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(AUDIT_COLUMNS)
    for entry in entries:
        actor = entry.get("actor") or {}
        row = {**entry, "actor_token": actor.get("token"), "actor_name": actor.get("name")}
        writer.writerow([exports.safe_cell(row.get(c)) for c in AUDIT_COLUMNS])
    return out.getvalue()


@click.group(cls=StaffGroup, help=S_("The audit log of staff actions."))
def audit() -> None:
    pass


@audit.command(
    "export", help=S_("Write the program's whole audit log, oldest first, as CSV or JSON (by the file's extension).")
)
@PROGRAM
@option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help=S_("FILE.csv or FILE.json"))
@api_options
@handled
def audit_export(program: str, out: Path, api: StaffApi) -> None:
    if out.suffix.lower() not in (".csv", ".json"):
        raise StaffError(text(S_("--out must end with .csv or .json, not '{given}'"), given=out.suffix or out.name))
    entries = []
    for page in api.pages(f"/staff/programs/{program}/audit"):
        entries += items_of(page)
    if out.suffix.lower() == ".json":
        written = exports.json_text({"program": program, "entries": entries})
    else:
        written = audit_csv(entries)
    exports.write_files(out.parent if str(out.parent) else Path("."), {out.name: written})
    click.echo(plural(SP_("Wrote {out}: {n} audit entry.", "Wrote {out}: {n} audit entries."), len(entries), out=out))


def _optional_catalog(location: str | None, api: StaffApi) -> Catalog | None:
    where = catalog_location(location, api.base)
    try:
        return load_catalog(where)
    except StaffError as exc:
        click.echo(
            text(
                S_("warning: {error}; results.csv has no title columns, and its themes and SDGs are left empty"),
                error=exc,
            ),
            err=True,
        )
        return None


@click.group(cls=StaffGroup, help=S_("The consultation's results as open data."))
def results() -> None:
    pass


@results.command("export", help=S_("Write results.json (as received), results.csv, comments.csv and datapackage.json."))
@PROGRAM
@option("--out", type=click.Path(file_okay=False, path_type=Path), help=S_("Folder (default: results/PROGRAM/)."))
@CATALOG
@api_options
@handled
def results_export(program: str, out: Path | None, catalog: str | None, api: StaffApi) -> None:
    out = out or Path("results") / program
    raw = api.raw("GET", f"/staff/programs/{program}/results")
    try:
        doc = exports.check_results(json.loads(raw), program)
    except ValueError as exc:
        raise StaffError(text(S_("the results are not JSON: {error}"), error=exc)) from None
    found = _optional_catalog(catalog, api)
    files: dict[str, str | bytes] = {
        "results.json": raw,
        "results.csv": exports.results_csv(doc, found),
        "comments.csv": exports.comments_csv(doc),
        "datapackage.json": exports.json_text(
            exports.datapackage(doc, (out / "vote-log.csv").exists(), exports.title_languages(doc, found))
        ),
    }
    exports.write_files(out, files)
    votes = sum(int(c.get("votes_total", 0)) for c in doc["challenges"])
    click.echo(
        text(
            S_(
                "Wrote {out}/: results.json, results.csv ({challenges}, {votes}), comments.csv ({comments}), "
                "datapackage.json."
            ),
            out=out,
            challenges=plural(CHALLENGES, len(doc["challenges"])),
            votes=plural(VOTES, votes),
            comments=plural(COMMENTS, len(doc["comments"])),
        )
    )
    if doc.get("final") is not True:
        click.echo(text(S_("warning: the consultation is still open; these results are provisional.")), err=True)


@click.group("vote-log", cls=StaffGroup, help=S_("The vote log, from which anyone can recompute the tallies."))
def vote_log() -> None:
    pass


def _vote_log(api: StaffApi, program: str) -> tuple[str | bytes, dict]:
    """The whole vote log: one answer, or (past the API's page of entries) every answer joined in one document,
    each challenge's entries sorted as the API sorts them, written as the API writes JSON."""
    path = f"/staff/programs/{program}/vote-log"
    pages: list[dict] = []
    raw: str | bytes = b""
    cursor = None
    while True:
        try:
            raw = api.raw("GET", path if cursor is None else f"{path}?cursor={urllib.parse.quote(cursor)}")
        except ApiProblem as exc:
            if exc.status == 409:
                raise StaffError(
                    text(S_("{error} — the vote log is published once the consultation has closed"), error=exc)
                ) from None
            raise
        try:
            page = json.loads(raw)
        except ValueError as exc:
            raise StaffError(text(S_("the vote log is not JSON: {error}"), error=exc)) from None
        pages.append(page)
        cursor = page.get("next") if isinstance(page, dict) else None
        if not isinstance(cursor, str):
            break
    if len(pages) > 1:
        joined: dict[str, dict] = {}
        try:
            for page in pages:
                for challenge in page.get("challenges", []):
                    known = joined.setdefault(challenge["id"], {**challenge, "entries": []})
                    known["entries"] += challenge["entries"]
            for challenge in joined.values():
                challenge["entries"].sort(key=lambda e: (e["channel"], e["entry"]))
        except (KeyError, TypeError, AttributeError) as exc:
            raise StaffError(
                text(S_("a page of the vote log is not one the API sends ({error})"), error=repr(exc))
            ) from None
        whole = {key: value for key, value in pages[0].items() if key != "next"}
        whole["challenges"] = list(joined.values())
        raw = json.dumps(whole, ensure_ascii=False)
        pages = [whole]
    return raw, exports.check_vote_log(pages[0], program)


@vote_log.command(
    "export",
    help=S_("Write vote-log.json (as received) and vote-log.csv (challenge,channel,entry, sorted); once closed only."),
)
@PROGRAM
@option("--out", type=click.Path(file_okay=False, path_type=Path), help=S_("Folder (default: results/PROGRAM/)."))
@api_options
@handled
def vote_log_export(program: str, out: Path | None, api: StaffApi) -> None:
    out = out or Path("results") / program
    raw, doc = _vote_log(api, program)
    files: dict[str, str | bytes] = {"vote-log.json": raw, "vote-log.csv": exports.vote_log_csv(doc)}
    if (out / "results.json").exists():  # describe the vote log in the data package too
        try:
            existing = exports.check_results(json.loads((out / "results.json").read_bytes()), program)
            languages = exports.written_title_languages(out / "results.csv")
            files["datapackage.json"] = exports.json_text(exports.datapackage(existing, True, languages))
        except (ValueError, StaffError):
            pass
    exports.write_files(out, files)
    entries = len(exports.vote_log_rows(doc))
    click.echo(
        text(
            S_("Wrote {out}/: vote-log.json and vote-log.csv ({votes}, {challenges})."),
            out=out,
            votes=plural(VOTES, entries),
            challenges=plural(CHALLENGES, len(doc["challenges"])),
        )
    )
    click.echo(text(S_("Check them against the results: python3 scripts/verify_tally.py {out}/"), out=out))


# --- verify-tally ------------------------------------------------------------------------------------------------


def load_verify_tally():
    """scripts/verify_tally.py, the stand-alone script citizens run, as a module."""
    path = SCRIPTS / "verify_tally.py"
    spec = importlib.util.spec_from_file_location("datacity_verify_tally", path)
    if spec is None or spec.loader is None or not path.is_file():
        fail(text(S_("{path} is missing; run from a checkout of the repository"), path=path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@click.command(
    "verify-tally",
    cls=StaffCommand,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
    help=S_("Recompute the tallies from the vote log and compare with results.json (scripts/verify_tally.py; --help)."),
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def verify_tally(args: tuple[str, ...]) -> None:
    sys.exit(load_verify_tally().main(list(args), prog="datacity verify-tally"))


# --- import-workshop ---------------------------------------------------------------------------------------------


@click.command(
    "import-workshop",
    cls=StaffCommand,
    help=S_("Import offline votes and comments from a CSV file: all of it, or nothing if it has any problem."),
)
@PROGRAM
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@CATALOG
@option("--dry-run", is_flag=True, help=S_("Check the file only; send nothing."))
@api_options
@handled
def import_workshop(program: str, file: Path, catalog: str | None, dry_run: bool, api: StaffApi) -> None:
    found = load_catalog(catalog_location(catalog, api.base))
    if program not in found.programs:
        raise StaffError(text(S_("the catalog has no program '{program}'"), program=program))
    checked = workshop.check_file(file.read_bytes(), program, found)
    if not checked.ok:
        for problem in checked.problems:
            click.echo(problem.format(str(file)), err=True)
        fail(
            plural(
                SP_("{n} problem in {file}; nothing was imported", "{n} problems in {file}; nothing was imported"),
                len(checked.problems),
                file=file,
            )
        )
    counts = checked.counts()
    if dry_run:
        click.echo(
            text(
                S_("{file}: OK, {votes} and {comments}; nothing sent (--dry-run)."),
                file=file,
                votes=plural(VOTES, counts["votes"]),
                comments=plural(COMMENTS, counts["comments"]),
            )
        )
        return
    try:
        result = api.post(f"/staff/programs/{program}/imports", workshop.request_body(file.name, checked))
    except ApiProblem as exc:
        if exc.status == 422 and exc.problems:
            for item in exc.problems:
                field = item.get("field") or ""
                line = item.get("line") or "-"
                click.echo(f"{file}:{line}: {field + ': ' if field else ''}{item.get('message')}", err=True)
            fail(
                plural(
                    SP_(
                        "the API found {n} problem; nothing was imported",
                        "the API found {n} problems; nothing was imported",
                    ),
                    len(exc.problems),
                )
            )
        if exc.status == 409:
            raise StaffError(
                text(
                    S_("{error} (this file, digest {digest}…, was already imported)"),
                    error=exc,
                    digest=checked.digest[:12],
                )
            ) from None
        raise
    ident = result.get("import") or result.get("id") or result.get("import_id")
    votes = result.get("votes", counts["votes"])
    comments = result.get("comments", counts["comments"])
    click.echo(
        text(
            S_("Imported {file}: {votes} and {comments} (import {ident}).")
            if ident
            else S_("Imported {file}: {votes} and {comments}."),
            file=file,
            votes=plural(VOTES, int(votes)),
            comments=plural(COMMENTS, int(comments)),
            ident=ident,
        )
    )


# --- proposal ----------------------------------------------------------------------------------------------------


@click.group("proposal", cls=TakesIdsGroup, help=S_("Residents' proposals."))
def proposal_group() -> None:
    pass


@proposal_group.command(
    "to-challenge",
    help=S_("Write challenges/<program>/<id>.md, a draft challenge from an approved proposal, for a pull request."),
)
@click.argument("proposal_id")
@option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help=S_("The repository folder holding challenges/."),
)
@option("--id", "slug", metavar="SLUG", help=S_("The new challenge's id (default: from the proposal's title)."))
@option("--theme", type=click.Choice(list(proposal.THEMES)), help=S_("Theme, if the proposal has none."))
@option("--sdg", "sdgs", type=click.IntRange(1, 17), multiple=True, help=S_("SDG number (repeat; default 11)."))
@api_options
@handled
def proposal_to_challenge(
    proposal_id: str, root: Path, slug: str | None, theme: str | None, sdgs: tuple[int, ...], api: StaffApi
) -> None:
    # The API writes the draft (proposals/draft.py), the same text the console shows; here it lands in the repository.
    query = {"id": slug, "theme": theme, "sdgs": ",".join(str(n) for n in sdgs) or None}
    found = api.get(f"/staff/proposals/{proposal_id}/challenge-draft", {k: v for k, v in query.items() if v})
    for key in ("program", "id", "text"):
        if not isinstance(found.get(key), str):
            raise StaffError(text(S_("the API's draft has no '{key}'"), key=key))
    slug, draft = found["id"], found["text"]
    path, problems = proposal.write_challenge(root, found["program"], slug, draft)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    for problem in problems:
        click.echo(problem.format(root), err=True)
    if problems:
        fail(
            plural(
                SP_(
                    "wrote {path}, but it has {n} problem to fix before committing",
                    "wrote {path}, but it has {n} problems to fix before committing",
                ),
                len(problems),
                path=shown,
            )
        )
    click.echo(
        text(
            S_(
                "Wrote {path} (status: draft, passes datacity validate). Translate and check it, then open a pull request."
            ),
            path=shown,
        )
    )


COMMANDS = [staff_token, moderate, audit, results, vote_log, verify_tally, import_workshop, proposal_group, preview]


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)
