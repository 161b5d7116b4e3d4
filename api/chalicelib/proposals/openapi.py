"""The proposals room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web.openapi import (
    EMAIL,
    ITEM_ID,
    LANG_FIELD,
    MAYBE_TEXT,
    NONE,
    PAGE_ERRORS,
    SEE_OTHER,
    SLUG,
    STAFF_BAD,
    STAFF_UNKNOWN,
    STATE_CHANGING,
    TEXT,
    form_or_json,
    ok,
    operation,
    path_id,
    staff,
    written,
)
from .rules import STATUSES


def paths(vocabulary: Vocabulary) -> dict:
    return {
        "/programs/{program_id}/proposals": {
            "post": operation(
                "propose",
                "Propose a new challenge",
                [path_id("program_id", SLUG)],
                {"201": ok("ProposalReceipt"), "303": SEE_OTHER, **PAGE_ERRORS},
                **STATE_CHANGING,
                requestBody=form_or_json("NewProposal"),
            )
        },
        "/staff/proposals/{proposal_id}": {
            "get": staff(
                "staffProposal",
                "One proposal (never its email; has_contact)",
                {"200": ok("StaffProposal"), "400": STAFF_BAD, "404": STAFF_UNKNOWN},
                parameters=[path_id("proposal_id", ITEM_ID)],
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
                "title": {**written(one_line=True), "maxLength": limits["proposal_title"]},
                "description": {**written(one_line=False), "maxLength": limits["proposal_description"]},
                "theme": {"anyOf": [*NONE, {"enum": list(vocabulary.themes)}], "description": "none: no theme"},
                "email": {
                    "anyOf": [*NONE, EMAIL],
                    "description": "Only with consent=true; stored encrypted, deleted after the consultation",
                },
                "consent": {"type": "boolean"},
                "lang": LANG_FIELD,
            },
            # An email is kept only with the proposer's consent.
            "if": {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
            "then": {"required": ["consent"], "properties": {"consent": {"const": True}}},
        },
        "ProposalReceipt": {
            "type": "object",
            "properties": {
                "proposal": TEXT,
                "program": TEXT,
                "status": {
                    "enum": list(STATUSES),
                    "description": "pending; a proposal sent again answers as it stands",
                },
                "contact_kept_until": {"type": ["string", "null"], "format": "date"},
            },
        },
        "StaffProposal": {
            "type": "object",
            "properties": {
                "id": TEXT,
                "program": TEXT,
                "created_at": TEXT,
                "status": {"enum": list(STATUSES)},
                "reason": MAYBE_TEXT,
                "title": TEXT,
                "description": TEXT,
                "theme": MAYBE_TEXT,
                "has_contact": {"type": "boolean"},
            },
        },
    }
