"""The results room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..moderation.openapi import MODERATION, PROPOSALS
from ..web import openapi as spec


def paths(vocabulary: Vocabulary) -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    results, vote_log = vocabulary.formats["results"], vocabulary.formats["vote_log"]
    return {
        "/me/receipt": {
            "get": spec.operation(
                "myReceipt",
                "The caller's own voter token, to find their entries in the published vote log",
                [
                    *spec.as_page(
                        "html: a page that shows the code and how to use it (linked from the site)",
                        vocabulary.languages,
                    ),
                    {
                        "name": "program",
                        "in": "query",
                        "schema": spec.SLUG,
                        "description": "A verified program: the verified voter's code for it (docs/api.md)",
                    },
                ],
                {
                    "200": spec.ok("Receipt", pages=True),
                    "404": spec.problem("No voter token, or no verified session for the program", pages=True),
                    **spec.pick("400", "503", pages=True),
                },
                security=[{"voterCookie": []}, {"verifiedSession": []}],
            )
        },
        "/staff/programs/{program_id}/results": {
            "get": spec.staff(
                "staffResults",
                f"The results document ({results}): live while open, final once closed",
                {"200": spec.ok("Results")},
                parameters=[program],
            )
        },
        "/staff/programs/{program_id}/vote-log": {
            "get": spec.staff(
                "staffVoteLog",
                f"The vote log ({vote_log}), once the consultation has closed",
                {
                    "200": spec.ok("VoteLog"),
                    "409": spec.problem("The consultation is still open; the message gives the dates"),
                },
                parameters=[
                    program,
                    {
                        "name": "challenge",
                        "in": "query",
                        "schema": spec.SLUG,
                        "description": "Only this challenge",
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "schema": {"type": "string", "maxLength": 1000},
                        "description": "The `next` of the previous answer: the rest of a log longer than one answer "
                        "(20,000 entries at most)",
                    },
                ],
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    results, vote_log = vocabulary.formats["results"], vocabulary.formats["vote_log"]
    return {
        "Receipt": {
            "type": "object",
            "properties": {
                "cookie": spec.TEXT,
                "token": spec.TEXT,
                "code": {
                    **spec.TEXT,
                    "description": "The token as residents read it: Crockford base32 with two check characters, "
                    "in groups of four (votes/receipts.py); verify_tally.py accepts either",
                },
                "hash": spec.TEXT,
            },
        },
        "Results": {
            "type": "object",
            "description": f"{results} (docs/staff.md)",
            "properties": {
                "format": {"const": results},
                "licence": {"type": "object"},
                "program": spec.TEXT,
                "generated_at": spec.TEXT,
                "final": {"type": "boolean"},
                "window": spec.ref("Window"),
                "channels": {"type": "array", "items": spec.TEXT},
                "challenges": {"type": "array", "items": {"type": "object"}},
                "comments": {"type": "array", "items": {"type": "object"}},
                "moderation": MODERATION,
                "proposals": PROPOSALS,
            },
        },
        "VoteLog": {
            "type": "object",
            "description": f"{vote_log} (docs/staff.md)",
            "properties": {
                "format": {"const": vote_log},
                "program": spec.TEXT,
                "generated_at": spec.TEXT,
                "hash": spec.TEXT,
                "next": {"type": "string", "description": "present when more entries remain: pass it as cursor"},
                "challenges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": spec.TEXT,
                            "salt": spec.TEXT,
                            "entries": {
                                "type": "array",
                                "items": {"type": "object", "properties": {"entry": spec.TEXT, "channel": spec.TEXT}},
                            },
                        },
                    },
                },
            },
        },
    }
