"""The proposals room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec
from .rules import STATUSES


def paths(vocabulary: Vocabulary) -> dict:
    return {
        "/programs/{program_id}/proposals": {
            "post": spec.submission(
                "propose",
                "Propose a new challenge",
                spec.path_id("program_id", spec.SLUG),
                spec.ok("ProposalReceipt"),
                "NewProposal",
            )
        },
        "/staff/proposals/{proposal_id}": {
            "get": spec.staff(
                "staffProposal",
                "One proposal (never its email; has_contact)",
                {"200": spec.ok("StaffProposal")},
                parameters=[spec.path_id("proposal_id", spec.ITEM_ID)],
            )
        },
        "/staff/proposals/{proposal_id}/challenge-draft": {
            "get": spec.staff(
                "staffChallengeDraft",
                "An approved proposal as a draft challenge file for a pull request (what proposal to-challenge writes)",
                {
                    "200": spec.ok("ChallengeDraft"),
                    "409": spec.problem("Not approved, or a challenge already has that id"),
                    "422": spec.problem("An id, theme or SDG list that is not one"),
                },
                parameters=[
                    spec.path_id("proposal_id", spec.ITEM_ID),
                    {"name": "id", "in": "query", "schema": {"type": "string"}, "description": "The new id"},
                    {"name": "theme", "in": "query", "schema": {"enum": list(vocabulary.themes)}},
                    {"name": "sdgs", "in": "query", "schema": {"type": "string"}, "description": "e.g. 6,11"},
                ],
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    limits = vocabulary.limits
    return {
        "NewProposal": {
            "type": "object",
            "required": ["title", "description"],
            "additionalProperties": False,
            "properties": {
                "title": {**spec.written(one_line=True), "maxLength": limits["proposal_title"]},
                "description": {**spec.written(one_line=False), "maxLength": limits["proposal_description"]},
                "theme": {"anyOf": [*spec.NONE, {"enum": list(vocabulary.themes)}], "description": "none: no theme"},
                "email": {
                    "anyOf": [*spec.NONE, spec.EMAIL],
                    "description": "Only with consent=true; stored encrypted, deleted after the consultation",
                },
                "consent": {"type": "boolean"},
                "lang": spec.LANG_FIELD,
            },
            # An email is kept only with the proposer's consent.
            "if": {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
            "then": {"required": ["consent"], "properties": {"consent": {"const": True}}},
        },
        "ProposalReceipt": {
            "type": "object",
            "properties": {
                "proposal": spec.TEXT,
                "program": spec.TEXT,
                "status": {
                    "enum": list(STATUSES),
                    "description": "pending; a proposal sent again answers as it stands",
                },
                "contact_kept_until": {"type": ["string", "null"], "format": "date"},
            },
        },
        "ChallengeDraft": {
            "type": "object",
            "properties": {
                "proposal": spec.TEXT,
                "program": spec.TEXT,
                "id": spec.TEXT,
                "path": {**spec.TEXT, "description": "Where the file goes in the repository"},
                "text": {**spec.TEXT, "description": "The file: front matter and one body per language"},
            },
        },
        "StaffProposal": {
            "type": "object",
            "properties": {
                "id": spec.TEXT,
                "program": spec.TEXT,
                "created_at": spec.TEXT,
                "status": {"enum": list(STATUSES)},
                "reason": spec.MAYBE_TEXT,
                "title": spec.TEXT,
                "description": spec.TEXT,
                "theme": spec.MAYBE_TEXT,
                "has_contact": {"type": "boolean"},
            },
        },
    }
