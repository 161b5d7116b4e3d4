"""The console's routes, described: HTML pages and form posts under /console (the viewer's /staff/)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec
from .rules import COOKIE_NAME

SECURITY = {
    "staffSession": {
        "type": "apiKey",
        "in": "cookie",
        "name": COOKIE_NAME,
        "description": "A console session, opened by POST /console/sign-in with a staff token (docs/staff.md).",
    }
}
PAGE = {"description": "A console page", "content": spec.HTML}
SEE = {"description": "Done: on to the next page", "headers": {"Location": {"schema": {"type": "string"}}}}
REFUSED = {
    code: {"description": text, "content": spec.HTML}
    for code, text in {
        "401": "No session, or it expired, was closed or its token revoked: the sign-in page",
        "403": "Missing or wrong CSRF value, another site's form, or a program the token does not cover",
        "404": "Unknown program or comment",
        "503": "Temporarily unavailable; nothing recorded was lost",
    }.items()
}
DRAFT_CHOICES = [
    {"name": name, "in": "query", "schema": {"type": "string"}, "description": text}
    for name, text in (
        ("id", "The draft challenge's id"),
        ("theme", "Its theme"),
        ("sdgs", "Its SDG numbers, e.g. 6,11"),
    )
]
LANG = {"name": "lang", "in": "query", "schema": {"enum": ["fr", "en"]}, "description": "The page's language"}
FORM = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}


def _page(operation_id: str, summary: str, parameters: list, more: dict | None = None) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff", "console"],
        "security": [{"staffSession": []}, {}],
        "parameters": [*parameters, LANG],
        "responses": {"200": PAGE, **REFUSED, **(more or {})},
    }


def _html(refusals: dict[str, str]) -> dict:
    return {code: {"description": text, "content": spec.HTML} for code, text in refusals.items()}


def _form(
    operation_id: str,
    summary: str,
    parameters: list,
    refusals: dict[str, str] | None = None,
    *,
    answer: str = "303",
    body: dict = FORM,
) -> dict:
    """A form post: a 303 on to the next page (or a page, `answer="200"`), the refusals as console pages."""
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff", "console"],
        "security": [{"staffSession": []}],
        "parameters": parameters,
        "requestBody": body,
        "responses": {answer: SEE if answer == "303" else PAGE, **REFUSED, **_html(refusals or {})},
    }


DECIDED = {"409": "Not possible from the item's status", "422": "A reason missing or not allowed"}


def paths(vocabulary: Vocabulary) -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    comment = spec.path_id("comment_id", spec.ITEM_ID)
    kind = {"name": "kind", "in": "query", "schema": {"enum": list(vocabulary.queues)}}
    return {
        "/console": {"get": _page("consoleHome", "The sign-in page, or signed in the programs of the token", [])},
        "/console/sign-in": {
            "post": _form(
                "consoleSignIn",
                "Sign in with a staff token (and the sign-in page's CSRF value): a new session cookie",
                [],
                {"429": "Too many sign-in attempts from this address"},
            )
        },
        "/console/sign-out": {"post": _form("consoleSignOut", "End the session", [])},
        "/console/programs/{program_id}": {
            "get": _page("consoleProgram", "Where the program's consultation stands", [program])
        },
        "/console/programs/{program_id}/queue": {
            "get": _page(
                "consoleQueue",
                "A moderation queue: full text, challenge, reports and their reasons",
                [program, kind, spec.CURSOR],
            )
        },
        "/console/comments/{comment_id}/decision": {
            "post": _form(
                "consoleCommentDecision",
                "Approve, reject, hide or restore a comment, with a reason and a note (audited)",
                [comment],
                DECIDED,
            )
        },
        **more_paths(),
    }


def _file(
    operation_id: str,
    summary: str,
    parameters: list,
    refusals: dict[str, str] | None = None,
    content: dict | None = None,
) -> dict:
    """A download: the file (Content-Disposition: attachment), or a console page saying why not."""
    described = _page(
        operation_id, summary, parameters, _html(refusals or {"409": "Not yet (the vote log opens after close)"})
    )
    described["responses"]["200"] = {
        "description": "A file (Content-Disposition: attachment)",
        "content": content or {"application/json": {"schema": {"type": "object"}}},
    }
    return described


def more_paths() -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    proposal = spec.path_id("proposal_id", spec.ITEM_ID)
    return {
        "/console/proposals/{proposal_id}": {
            "get": _page(
                "consoleProposal",
                "A proposal in full, with its decision form; approved, its draft challenge file for a pull request",
                [proposal, *DRAFT_CHOICES],
            )
        },
        "/console/proposals/{proposal_id}/challenge.md": {
            "get": _file(
                "consoleChallengeDraft",
                "The approved proposal's draft challenge file, to download",
                [proposal, *DRAFT_CHOICES],
                {"409": "Not approved, or a challenge has that id", "422": "Not an id, theme or SDG list"},
                {"text/markdown": {"schema": {"type": "string"}}},
            )
        },
        "/console/proposals/{proposal_id}/email": {
            "post": _form(
                "consoleProposalEmail",
                "Show the proposer's email on the page answered (audited)",
                [proposal],
                answer="200",
            )
        },
        "/console/proposals/{proposal_id}/decision": {
            "post": _form(
                "consoleProposalDecision",
                "Approve or reject a proposal, with a reason and a note (audited)",
                [proposal],
                DECIDED,
            )
        },
        "/console/programs/{program_id}/imports": {
            "get": _page("consoleImports", "The workshop CSV upload form", [program]),
            "post": _form(
                "consoleImportUpload",
                "Import a workshop's CSV file: all of it, or each problem by line",
                [program],
                {
                    "409": "This file was already imported",
                    "413": "The file is too large",
                    "422": "Each problem with its line; nothing recorded",
                },
                body={"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
            ),
        },
        "/console/programs/{program_id}/audit": {
            "get": _page("consoleAudit", "The program's audit log, oldest first", [program, spec.CURSOR])
        },
        "/console/programs/{program_id}/results.json": {
            "get": _file("consoleResults", "The results document, as a file (audited)", [program])
        },
        "/console/programs/{program_id}/vote-log.json": {
            "get": _file("consoleVoteLog", "The vote log after close, as a file (audited)", [program])
        },
        "/console/programs/{program_id}/audit.json": {
            "get": _file("consoleAuditFile", "The whole audit log, as a file", [program])
        },
        "/console/programs/{program_id}/tokens": {
            "get": _page("consoleTokens", 'The program\'s staff tokens (the "manage tokens" right)', [program]),
            "post": _form(
                "consoleTokenCreate",
                "Create a staff token for programs of one's own: the page answered shows it once (audited)",
                [program],
                {"422": "A name missing or too long, or no program chosen"},
                answer="200",
            ),
        },
        "/console/programs/{program_id}/tokens/{token_id}/revoke": {
            "post": _form(
                "consoleTokenRevoke",
                "Revoke a staff token of one's programs and end its sessions (audited)",
                [program, spec.path_id("token_id", {"type": "string", "pattern": "^[0-9a-f]{8}$"})],
                {"409": "The token was already revoked"},
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {}
