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


def _form(operation_id: str, summary: str, parameters: list, more: dict | None = None) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff", "console"],
        "security": [{"staffSession": []}],
        "parameters": parameters,
        "requestBody": FORM,
        "responses": {"303": SEE, **REFUSED, **(more or {})},
    }


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
                {"429": {"description": "Too many sign-in attempts from this address", "content": spec.HTML}},
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
                {
                    "409": {"description": "Not possible from the comment's status", "content": spec.HTML},
                    "422": {"description": "A reason missing or not allowed", "content": spec.HTML},
                },
            )
        },
        **more_paths(),
    }


def _file(operation_id: str, summary: str, parameters: list) -> dict:
    described = _page(
        operation_id,
        summary,
        parameters,
        {"409": {"description": "Not yet (the vote log opens after close)", "content": spec.HTML}},
    )
    described["responses"]["200"] = {
        "description": "A JSON file (Content-Disposition: attachment)",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    return described


def more_paths() -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    proposal = spec.path_id("proposal_id", spec.ITEM_ID)
    return {
        "/console/proposals/{proposal_id}": {
            "get": _page("consoleProposal", "A proposal in full, with its decision form", [proposal])
        },
        "/console/proposals/{proposal_id}/email": {
            "post": {
                **_form("consoleProposalEmail", "Show the proposer's email on the page answered (audited)", [proposal]),
                "responses": {"200": PAGE, **REFUSED},
            }
        },
        "/console/proposals/{proposal_id}/decision": {
            "post": _form(
                "consoleProposalDecision",
                "Approve or reject a proposal, with a reason and a note (audited)",
                [proposal],
                {
                    "409": {"description": "The proposal is no longer pending", "content": spec.HTML},
                    "422": {"description": "A reason missing or not allowed", "content": spec.HTML},
                },
            )
        },
        "/console/programs/{program_id}/imports": {
            "get": _page("consoleImports", "The workshop CSV upload form", [program]),
            "post": {
                **_form(
                    "consoleImportUpload", "Import a workshop's CSV file: all of it, or each problem by line", [program]
                ),
                "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                "responses": {
                    "303": SEE,
                    **REFUSED,
                    "409": {"description": "This file was already imported", "content": spec.HTML},
                    "413": {"description": "The file is too large", "content": spec.HTML},
                    "422": {"description": "Each problem with its line; nothing recorded", "content": spec.HTML},
                },
            },
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
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {}
