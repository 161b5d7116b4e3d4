"""The votes room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec


def paths(vocabulary: Vocabulary) -> dict:
    challenge = [spec.path_id("challenge_id", spec.SLUG)]
    changed = {"200": spec.ok("Tally"), **spec.pick("400", "403", "404", "409", "429", "503")}
    return {
        "/challenges/{challenge_id}/tally": {
            "get": spec.operation(
                "tally",
                "Vote count (if public now), whether the caller voted, the window",
                challenge,
                {"200": spec.ok("Tally"), **spec.pick("400", "404", "503")},
            )
        },
        "/programs/{program_id}/tallies": {
            "get": spec.operation(
                "programTallies",
                "Every challenge's vote count of a program in one call (for a program page)",
                [spec.path_id("program_id", spec.SLUG)],
                {"200": spec.ok("ProgramTallies"), **spec.pick("400", "404", "503")},
                description="Counts may be up to `stale_seconds` old (TALLY_CACHE_SECONDS); a count is null while "
                "it is not public. Whether the caller voted is not said here: a challenge's own tally says it.",
            )
        },
        "/challenges/{challenge_id}/vote": {
            "put": spec.operation(
                "vote", "Cast the caller's vote (idempotent)", challenge, changed, **spec.STATE_CHANGING
            ),
            "post": spec.operation(
                "voteForm",
                "Cast or withdraw the vote from an HTML form (works without JavaScript)",
                challenge,
                {
                    "200": spec.ok("Tally"),
                    "303": spec.SEE_OTHER,
                    **spec.pick("400", "403", "404", "409", "411", "413", "415", "422", "429", "503", pages=True),
                },
                description="A form post answers 303 to the challenge page with `#dc-msg-vote-recorded` or "
                "`#dc-msg-vote-withdrawn`; JSON answers like PUT/DELETE.",
                **spec.STATE_CHANGING,
                requestBody={**spec.form_or_json("VoteForm"), "required": False},
            ),
            "delete": spec.operation(
                "withdraw", "Withdraw the caller's vote (idempotent)", challenge, changed, **spec.STATE_CHANGING
            ),
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {
        "Tally": {
            "type": "object",
            "required": ["challenge", "count", "visible", "voted", "participation"],
            "properties": {
                "challenge": spec.TEXT,
                "program": spec.TEXT,
                "count": {"type": ["integer", "null"], "description": "null while counts are not public"},
                "visible": {"type": "boolean"},
                "changed": {"type": "boolean", "description": "vote answers: whether this request changed the vote"},
                "voted": {"type": "boolean"},
                "participation": {"$ref": "#/components/schemas/Participation"},
            },
        },
        "ProgramTallies": {
            "type": "object",
            "required": ["program", "stale_seconds", "tallies"],
            "properties": {
                "program": spec.TEXT,
                "stale_seconds": {"type": "integer", "minimum": 0},
                "tallies": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["challenge", "count", "visible", "participation"],
                        "properties": {
                            "challenge": spec.TEXT,
                            "count": {"type": ["integer", "null"], "description": "null while counts are not public"},
                            "visible": {"type": "boolean"},
                            "participation": {"$ref": "#/components/schemas/Participation"},
                        },
                    },
                },
            },
        },
        "Participation": {
            "type": "object",
            "properties": {
                "state": {"enum": ["upcoming", "open", "closed"]},
                "opens": spec.INSTANT,
                "closes": spec.INSTANT,
            },
        },
        "VoteForm": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "intent": {"anyOf": [*spec.NONE, {"enum": ["vote", "withdraw"]}], "description": "none: vote"},
                "lang": spec.LANG_FIELD,
            },
        },
    }
