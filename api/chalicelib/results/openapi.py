"""The results room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..moderation.openapi import MODERATION, PROPOSALS
from ..web.openapi import (
    SLUG,
    STAFF_BAD,
    STAFF_UNKNOWN,
    TEXT,
    as_page,
    ok,
    operation,
    path_id,
    pick,
    problem,
    ref,
    staff,
)


def paths(vocabulary: Vocabulary) -> dict:
    program = path_id("program_id", SLUG)
    results, vote_log = vocabulary.formats["results"], vocabulary.formats["vote_log"]
    return {
        "/me/receipt": {
            "get": operation(
                "myReceipt",
                "The caller's own voter token, to find their entries in the published vote log",
                as_page(
                    "html: a page that shows the code and how to use it (linked from the site)", vocabulary.languages
                ),
                {
                    "200": ok("Receipt", pages=True),
                    "404": problem("This browser has no voter token", pages=True),
                    **pick("400", "503", pages=True),
                },
                security=[{"voterCookie": []}],
            )
        },
        "/staff/programs/{program_id}/results": {
            "get": staff(
                "staffResults",
                f"The results document ({results}): live while open, final once closed",
                {"200": ok("Results"), "400": STAFF_BAD, "404": STAFF_UNKNOWN},
                parameters=[program],
            )
        },
        "/staff/programs/{program_id}/vote-log": {
            "get": staff(
                "staffVoteLog",
                f"The vote log ({vote_log}), once the consultation has closed",
                {
                    "200": ok("VoteLog"),
                    "400": STAFF_BAD,
                    "404": STAFF_UNKNOWN,
                    "409": problem("The consultation is still open; the message gives the dates"),
                },
                parameters=[
                    program,
                    {
                        "name": "challenge",
                        "in": "query",
                        "schema": SLUG,
                        "description": "Only this challenge (a log too large for one answer, over about 6 MB)",
                    },
                ],
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    results, vote_log = vocabulary.formats["results"], vocabulary.formats["vote_log"]
    return {
        "Receipt": {"type": "object", "properties": {"cookie": TEXT, "token": TEXT, "hash": TEXT}},
        "Results": {
            "type": "object",
            "description": f"{results} (docs/staff.md)",
            "properties": {
                "format": {"const": results},
                "licence": {"type": "object"},
                "program": TEXT,
                "generated_at": TEXT,
                "final": {"type": "boolean"},
                "window": ref("Window"),
                "channels": {"type": "array", "items": TEXT},
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
                "program": TEXT,
                "generated_at": TEXT,
                "hash": TEXT,
                "challenges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": TEXT,
                            "salt": TEXT,
                            "entries": {
                                "type": "array",
                                "items": {"type": "object", "properties": {"entry": TEXT, "channel": TEXT}},
                            },
                        },
                    },
                },
            },
        },
    }
