"""The moderation room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..comments.rules import STATUSES as COMMENT_STATUSES
from ..kernel.catalog import Vocabulary
from ..web import openapi as spec
from .rules import COMMENT_ACTIONS, PROPOSAL_ACTIONS

BY_REASON = {"type": "object", "additionalProperties": spec.COUNT}
# The record's shape, also part of the results document (results/openapi.py).
MODERATION = {
    "type": "object",
    "properties": {"published": spec.COUNT, "pending": spec.COUNT, "hidden": BY_REASON, "rejected": BY_REASON},
}
PROPOSALS = {
    "type": "object",
    "properties": {"received": spec.COUNT, "approved": spec.COUNT, "rejected": spec.COUNT, "pending": spec.COUNT},
}


def decision(operation_id: str, summary: str, item: str, conflict: str, body: str) -> dict:
    """A staff decision on one item: JSON in, the decision and its audit entry out."""
    return spec.staff(
        operation_id,
        summary,
        {
            "200": spec.ok("Decision"),
            "409": spec.problem(conflict),
            **{code: spec.COMMON_ERRORS[code] for code in ("413", "415", "422")},
        },
        parameters=[spec.path_id(item, spec.ITEM_ID)],
        requestBody=spec.json_body(body),
    )


def paths(vocabulary: Vocabulary) -> dict:
    program = spec.path_id("program_id", spec.SLUG)
    return {
        "/programs/{program_id}/moderation": {
            "get": spec.operation(
                "moderationRecord",
                "The program's moderation record: counts only, never text (public)",
                [
                    program,
                    *spec.as_page("html: the record as a page (linked from each program's page)", vocabulary.languages),
                ],
                {"200": spec.ok("ModerationRecord", pages=True), **spec.pick("400", "404", "503", pages=True)},
            )
        },
        "/staff/programs/{program_id}/queue": {
            "get": spec.staff(
                "staffQueue",
                "The moderation queue, oldest first, 50 a page",
                {"200": spec.ok("Queue"), "422": spec.problem("Unknown queue kind")},
                parameters=[
                    program,
                    {
                        "name": "kind",
                        "in": "query",
                        "schema": {"enum": list(vocabulary.queues), "default": vocabulary.queues[0]},
                    },
                    spec.CURSOR,
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


# A verified program's (docs/api.md, "Verified participation"): votes by method, how its verifications ended.
VERIFICATION = {
    "type": "object",
    "description": "Only for a program whose residents verify before voting",
    "properties": {
        "votes": {"type": "object", "additionalProperties": spec.COUNT},
        "verifications": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"requested": spec.COUNT, "completed": spec.COUNT, "refused": spec.COUNT},
            },
        },
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
            "properties": {
                "program": spec.TEXT,
                "moderation": MODERATION,
                "proposals": PROPOSALS,
                "verification": VERIFICATION,
            },
        },
        "StaffComment": {
            "type": "object",
            "properties": {
                "id": spec.TEXT,
                "challenge": spec.TEXT,
                "program": spec.TEXT,
                "created_at": spec.TEXT,
                "status": {"enum": list(COMMENT_STATUSES)},
                "reason": spec.MAYBE_TEXT,
                "reports": spec.COUNT,
                "report_reasons": {
                    "type": "object",
                    "additionalProperties": spec.COUNT,
                    "description": "The residents' reasons for the reports, with how many gave each",
                },
                "channel": spec.TEXT,
                "display_name": spec.MAYBE_TEXT,
                "text": spec.TEXT,
            },
        },
        "Queue": {
            "type": "object",
            "properties": {
                "program": spec.TEXT,
                "kind": {"enum": list(vocabulary.queues)},
                "items": {"type": "array", "items": {"oneOf": [spec.ref("StaffComment"), spec.ref("StaffProposal")]}},
                "next": spec.MAYBE_TEXT,
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
            "properties": {
                "id": spec.TEXT,
                "previous": spec.TEXT,
                "status": spec.TEXT,
                "audit": spec.ref("AuditEntry"),
            },
        },
    }
