"""The votes room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web.openapi import (
    INSTANT,
    LANG_FIELD,
    NONE,
    SEE_OTHER,
    SLUG,
    STATE_CHANGING,
    TEXT,
    form_or_json,
    ok,
    operation,
    path_id,
    pick,
)


def paths(vocabulary: Vocabulary) -> dict:
    challenge = [path_id("challenge_id", SLUG)]
    changed = {"200": ok("Tally"), **pick("400", "403", "404", "409", "429", "503")}
    return {
        "/challenges/{challenge_id}/tally": {
            "get": operation(
                "tally",
                "Vote count (if public now), whether the caller voted, the window",
                challenge,
                {"200": ok("Tally"), **pick("400", "404", "503")},
            )
        },
        "/challenges/{challenge_id}/vote": {
            "put": operation("vote", "Cast the caller's vote (idempotent)", challenge, changed, **STATE_CHANGING),
            "post": operation(
                "voteForm",
                "Cast or withdraw the vote from an HTML form (works without JavaScript)",
                challenge,
                {
                    "200": ok("Tally"),
                    "303": SEE_OTHER,
                    **pick("400", "403", "404", "409", "411", "413", "415", "422", "429", "503", pages=True),
                },
                description="A form post answers 303 to the challenge page with `#dc-msg-vote-recorded` or "
                "`#dc-msg-vote-withdrawn`; JSON answers like PUT/DELETE.",
                **STATE_CHANGING,
                requestBody={**form_or_json("VoteForm"), "required": False},
            ),
            "delete": operation(
                "withdraw", "Withdraw the caller's vote (idempotent)", challenge, changed, **STATE_CHANGING
            ),
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {
        "Tally": {
            "type": "object",
            "required": ["challenge", "count", "visible", "voted", "participation"],
            "properties": {
                "challenge": TEXT,
                "program": TEXT,
                "count": {"type": ["integer", "null"], "description": "null while counts are not public"},
                "visible": {"type": "boolean"},
                "changed": {"type": "boolean", "description": "vote answers: whether this request changed the vote"},
                "voted": {"type": "boolean"},
                "participation": {
                    "type": "object",
                    "properties": {
                        "state": {"enum": ["upcoming", "open", "closed"]},
                        "opens": INSTANT,
                        "closes": INSTANT,
                    },
                },
            },
        },
        "VoteForm": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "intent": {"anyOf": [*NONE, {"enum": ["vote", "withdraw"]}], "description": "none: vote"},
                "lang": LANG_FIELD,
            },
        },
    }
