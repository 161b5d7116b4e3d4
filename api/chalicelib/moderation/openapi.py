"""The moderation room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..comments.rules import STATUSES as COMMENT_STATUSES
from ..kernel.catalog import Vocabulary
from ..web.openapi import (
    COMMON_ERRORS,
    COUNT,
    CURSOR,
    ITEM_ID,
    MAYBE_TEXT,
    SLUG,
    STAFF_BAD,
    STAFF_UNKNOWN,
    TEXT,
    as_page,
    json_body,
    ok,
    operation,
    path_id,
    pick,
    problem,
    ref,
    staff,
)
from .rules import COMMENT_ACTIONS, PROPOSAL_ACTIONS

BY_REASON = {"type": "object", "additionalProperties": COUNT}
# The record's shape, also part of the results document (results/openapi.py).
MODERATION = {
    "type": "object",
    "properties": {"published": COUNT, "pending": COUNT, "hidden": BY_REASON, "rejected": BY_REASON},
}
PROPOSALS = {
    "type": "object",
    "properties": {"received": COUNT, "approved": COUNT, "rejected": COUNT, "pending": COUNT},
}


def decision(operation_id: str, summary: str, item: str, conflict: str, body: str) -> dict:
    """A staff decision on one item: JSON in, the decision and its audit entry out."""
    return staff(
        operation_id,
        summary,
        {
            "200": ok("Decision"),
            "400": STAFF_BAD,
            "404": STAFF_UNKNOWN,
            "409": problem(conflict),
            **{code: COMMON_ERRORS[code] for code in ("413", "415", "422")},
        },
        parameters=[path_id(item, ITEM_ID)],
        requestBody=json_body(body),
    )


def paths(vocabulary: Vocabulary) -> dict:
    program = path_id("program_id", SLUG)
    return {
        "/programs/{program_id}/moderation": {
            "get": operation(
                "moderationRecord",
                "The program's moderation record: counts only, never text (public)",
                [
                    program,
                    *as_page("html: the record as a page (linked from each program's page)", vocabulary.languages),
                ],
                {"200": ok("ModerationRecord", pages=True), **pick("400", "404", "503", pages=True)},
            )
        },
        "/staff/programs/{program_id}/queue": {
            "get": staff(
                "staffQueue",
                "The moderation queue, oldest first, 50 a page",
                {"200": ok("Queue"), "400": STAFF_BAD, "404": STAFF_UNKNOWN, "422": problem("Unknown queue kind")},
                parameters=[
                    program,
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"enum": list(vocabulary.queues), "default": vocabulary.queues[0]},
                    },
                    CURSOR,
                ],
            )
        },
        "/staff/comments/{comment_id}/decision": {
            "post": decision(
                "staffCommentDecision",
                "Approve, reject, hide or restore a comment",
                "comment_id",
                "Impossible from the comment's current status, which `status` names",
                "CommentDecision",
            )
        },
        "/staff/proposals/{proposal_id}/decision": {
            "post": decision(
                "staffProposalDecision",
                "Approve or reject a proposal",
                "proposal_id",
                "The proposal is no longer pending; `status` names its status",
                "ProposalDecision",
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    decision = {
        "type": "object",
        "required": ["action"],
        "additionalProperties": False,
        "properties": {
            "reason": {
                "enum": list(vocabulary.moderation_reasons),
                "description": "required for reject and hide, refused else",
            },
            "note": {
                "type": "string",
                "maxLength": vocabulary.limits["staff_note"],
                "description": "to the audit log only",
            },
        },
    }
    return {
        "ModerationRecord": {
            "type": "object",
            "properties": {"program": TEXT, "moderation": MODERATION, "proposals": PROPOSALS},
        },
        "StaffComment": {
            "type": "object",
            "properties": {
                "id": TEXT,
                "challenge": TEXT,
                "program": TEXT,
                "created_at": TEXT,
                "status": {"enum": list(COMMENT_STATUSES)},
                "reason": MAYBE_TEXT,
                "reports": COUNT,
                "channel": TEXT,
                "display_name": MAYBE_TEXT,
                "text": TEXT,
            },
        },
        "Queue": {
            "type": "object",
            "properties": {
                "program": TEXT,
                "kind": {"enum": list(vocabulary.queues)},
                "items": {"type": "array", "items": {"oneOf": [ref("StaffComment"), ref("StaffProposal")]}},
                "next": MAYBE_TEXT,
            },
        },
        "CommentDecision": {
            **decision,
            "properties": {"action": {"enum": list(COMMENT_ACTIONS)}, **decision["properties"]},
        },
        "ProposalDecision": {
            **decision,
            "properties": {"action": {"enum": list(PROPOSAL_ACTIONS)}, **decision["properties"]},
        },
        "Decision": {
            "type": "object",
            "properties": {"id": TEXT, "previous": TEXT, "status": TEXT, "audit": ref("AuditEntry")},
        },
    }
