"""The OpenAPI 3.1 description of the API (public and staff); tests/api/test_openapi.py keeps it in step with
app.routes."""

from __future__ import annotations

from .imports import CHANNELS, MAX_ROWS
from .rules import COMMENT_ACTIONS, MODERATION_REASONS, PROPOSAL_ACTIONS
from .store.base import QUEUE_KINDS, REPORT_REASONS

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 64}


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _ok(schema: str, description: str = "OK") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _body(schema: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {
        "required": True,
        "content": {"application/json": {"schema": ref}, "application/x-www-form-urlencoded": {"schema": ref}},
    }


COMMON_ERRORS = {
    "400": _problem("Malformed request: invalid JSON, invalid UTF-8, invalid id or cursor"),
    "403": _problem("Refused: the request comes from another site"),
    "404": _problem("Unknown challenge, comment or program"),
    "409": _problem("Participation is not open now; the message gives the dates"),
    "413": _problem("Request body too large"),
    "415": _problem("Unsupported content type"),
    "422": _problem("A field is missing, unknown, too long or invalid; `field` names it"),
    "429": _problem("Rate limited; see the Retry-After header"),
    "503": _problem("Temporarily unavailable; nothing recorded was lost"),
}


STAFF_ERRORS = {
    "401": _problem("Missing, malformed, unknown, wrong or revoked staff token (WWW-Authenticate: Bearer)"),
    "403": _problem("The staff token does not cover this program"),
    "503": COMMON_ERRORS["503"],
}
ITEM_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$"}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "schema": {"type": "string"},
    "description": "Opaque; the `next` value of the previous page",
}


def _id(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _staff(operation_id: str, summary: str, responses: dict, **more) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff"],
        "security": [{"staffToken": []}],
        **more,
        "responses": {**responses, **STAFF_ERRORS},
    }


def _json_body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _staff_paths() -> dict:
    program = _id("program_id", SLUG)
    comment = _id("comment_id", ITEM_ID)
    proposal = _id("proposal_id", ITEM_ID)
    bad = _problem("Invalid id, cursor or body")
    unknown = _problem("Unknown program, comment or proposal")
    return {
        "/programs/{program_id}/moderation": {
            "get": {
                "operationId": "moderationRecord",
                "summary": "The program's moderation record: counts only, never text (public)",
                "parameters": [program, *_as_page("html: the record as a page (linked from each program's page)")],
                "responses": {"200": _ok("ModerationRecord"), **_pick("400", "404", "503")},
            }
        },
        "/me/receipt": {
            "get": {
                "operationId": "myReceipt",
                "summary": "The caller's own voter token, to find their entries in the published vote log",
                "security": [{"voterCookie": []}],
                "parameters": _as_page("html: a page that shows the code and how to use it (linked from the site)"),
                "responses": {
                    "200": _ok("Receipt"),
                    "404": _problem("This browser has no voter token"),
                    "503": COMMON_ERRORS["503"],
                },
            }
        },
        "/staff/programs/{program_id}/queue": {
            "get": _staff(
                "staffQueue",
                "The moderation queue, oldest first, 50 a page",
                {"200": _ok("Queue"), "400": bad, "404": unknown, "422": _problem("Unknown queue kind")},
                parameters=[
                    program,
                    {"name": "kind", "in": "query", "schema": {"enum": list(QUEUE_KINDS), "default": "pending"}},
                    CURSOR,
                ],
            )
        },
        "/staff/comments/{comment_id}/decision": {
            "post": _staff(
                "staffCommentDecision",
                "Approve, reject, hide or restore a comment",
                {
                    "200": _ok("Decision"),
                    "400": bad,
                    "404": unknown,
                    "409": _problem("Impossible from the comment's current status, which `status` names"),
                    "413": COMMON_ERRORS["413"],
                    "415": COMMON_ERRORS["415"],
                    "422": COMMON_ERRORS["422"],
                },
                parameters=[comment],
                requestBody=_json_body("CommentDecision"),
            )
        },
        "/staff/proposals/{proposal_id}": {
            "get": _staff(
                "staffProposal",
                "One proposal (never its email; has_contact)",
                {"200": _ok("StaffProposal"), "400": bad, "404": unknown},
                parameters=[proposal],
            )
        },
        "/staff/proposals/{proposal_id}/decision": {
            "post": _staff(
                "staffProposalDecision",
                "Approve or reject a proposal",
                {
                    "200": _ok("Decision"),
                    "400": bad,
                    "404": unknown,
                    "409": _problem("The proposal is no longer pending; `status` names its status"),
                    "413": COMMON_ERRORS["413"],
                    "415": COMMON_ERRORS["415"],
                    "422": COMMON_ERRORS["422"],
                },
                parameters=[proposal],
                requestBody=_json_body("ProposalDecision"),
            )
        },
        "/staff/programs/{program_id}/results": {
            "get": _staff(
                "staffResults",
                "The results document (datacity-results/1): live while open, final once closed",
                {"200": _ok("Results"), "400": bad, "404": unknown},
                parameters=[program],
            )
        },
        "/staff/programs/{program_id}/vote-log": {
            "get": _staff(
                "staffVoteLog",
                "The vote log (datacity-vote-log/1), once the consultation has closed",
                {
                    "200": _ok("VoteLog"),
                    "400": bad,
                    "404": unknown,
                    "409": _problem("The consultation is still open; the message gives the dates"),
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
        "/staff/programs/{program_id}/imports": {
            "post": _staff(
                "staffImport",
                "Import offline votes and comments (workshops, paper, phone): all or nothing",
                {
                    "201": _ok("ImportReceipt", "Imported"),
                    "400": bad,
                    "404": unknown,
                    "409": _problem("This file (digest) was already imported"),
                    "413": COMMON_ERRORS["413"],
                    "415": COMMON_ERRORS["415"],
                    "422": _problem("Problems in the body or its rows: `problems` lists line, field and message"),
                },
                parameters=[program],
                requestBody=_json_body("Import"),
            )
        },
        "/staff/programs/{program_id}/audit": {
            "get": _staff(
                "staffAudit",
                "The audit log, oldest first, 100 a page",
                {"200": _ok("AuditPage"), "400": bad, "404": unknown},
                parameters=[program, CURSOR],
            )
        },
    }


def _as_page(description: str) -> list[dict]:
    """The query parameters of a route that can also answer as an HTML page for people following a link."""
    return [
        {"name": "format", "in": "query", "schema": {"enum": ["json", "html"]}, "description": description},
        {"name": "lang", "in": "query", "schema": {"enum": ["fr", "en"]}},
    ]


def document() -> dict:
    challenge = _id("challenge_id", SLUG)
    state_changing = {"security": [{"voterCookie": []}, {}]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "DataCity consultation API",
            "version": "1.0.0",
            "description": "Votes, comments and proposals on a program's challenges. Errors are RFC 9457 problem "
            "details. The voter is identified by the `dc_voter` first-party cookie, issued on first participation; "
            "only a keyed hash of it is stored.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/api"}],
        "paths": {
            "/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Service health",
                    "responses": {"200": _ok("Health"), "503": COMMON_ERRORS["503"]},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1 document"}},
                }
            },
            "/challenges/{challenge_id}/tally": {
                "get": {
                    "operationId": "tally",
                    "summary": "Vote count (if public now), whether the caller voted, the window",
                    "parameters": [challenge],
                    "responses": {"200": _ok("Tally"), **_pick("400", "404", "503")},
                }
            },
            "/challenges/{challenge_id}/vote": {
                "put": {
                    "operationId": "vote",
                    "summary": "Cast the caller's vote (idempotent)",
                    **state_changing,
                    "parameters": [challenge],
                    "responses": {"200": _ok("Tally"), **_pick("400", "403", "404", "409", "429", "503")},
                },
                "post": {
                    "operationId": "voteForm",
                    "summary": "Cast or withdraw the vote from an HTML form (works without JavaScript)",
                    "description": "A form post answers 303 to the challenge page with `#dc-msg-vote-recorded` or "
                    "`#dc-msg-vote-withdrawn`; JSON answers like PUT/DELETE.",
                    **state_changing,
                    "parameters": [challenge],
                    "requestBody": _body("VoteForm"),
                    "responses": {
                        "200": _ok("Tally"),
                        "303": {"description": "Back to the challenge page (form posts)"},
                        **_pick("400", "403", "404", "409", "429", "503"),
                    },
                },
                "delete": {
                    "operationId": "withdraw",
                    "summary": "Withdraw the caller's vote (idempotent)",
                    **state_changing,
                    "parameters": [challenge],
                    "responses": {"200": _ok("Tally"), **_pick("400", "403", "404", "409", "429", "503")},
                },
            },
            "/challenges/{challenge_id}/comments": {
                "get": {
                    "operationId": "comments",
                    "summary": "Published comments, paginated",
                    "parameters": [
                        challenge,
                        {"name": "order", "in": "query", "schema": {"enum": ["oldest", "newest"]}},
                        {
                            "name": "cursor",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "Opaque; the `next` value of the previous page",
                        },
                        *_as_page("html: a page with report forms, for browsers without JavaScript"),
                    ],
                    "responses": {"200": _ok("CommentPage"), **_pick("400", "404", "422", "503")},
                },
                "post": {
                    "operationId": "addComment",
                    "summary": "Post a comment (plain text)",
                    **state_changing,
                    "parameters": [challenge],
                    "requestBody": _body("NewComment"),
                    "responses": {"201": _ok("Comment", "Created (status pending or published)"), **COMMON_ERRORS},
                },
            },
            "/comments/{comment_id}/reports": {
                "post": {
                    "operationId": "report",
                    "summary": "Flag a comment",
                    **state_changing,
                    "parameters": [_id("comment_id", {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$"})],
                    "requestBody": _body("NewReport"),
                    "responses": {"201": _ok("ReportReceipt"), **COMMON_ERRORS},
                }
            },
            "/programs/{program_id}/proposals": {
                "post": {
                    "operationId": "propose",
                    "summary": "Propose a new challenge",
                    **state_changing,
                    "parameters": [_id("program_id", SLUG)],
                    "requestBody": _body("NewProposal"),
                    "responses": {"201": _ok("ProposalReceipt"), **COMMON_ERRORS},
                }
            },
            **_staff_paths(),
        },
        "components": {
            "securitySchemes": {
                "voterCookie": {"type": "apiKey", "in": "cookie", "name": "dc_voter"},
                "staffToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "dcs_<id>_<secret>",
                    "description": "A staff token (docs/staff.md). With STAFF_AUTH=iam the staff routes take "
                    "SigV4-signed requests instead, the caller's IAM ARN mapped to programs by STAFF_IAM_PROGRAMS.",
                },
            },
            "schemas": _schemas(),
        },
    }


def _pick(*codes: str) -> dict:
    return {code: COMMON_ERRORS[code] for code in codes}


def _schemas() -> dict:
    text = {"type": "string"}
    instant = {"type": "string", "format": "date-time"}
    return {
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": text,
                "title": text,
                "status": {"type": "integer"},
                "detail": text,
                "field": text,
                "window": {"$ref": "#/components/schemas/Window"},
                "state": text,
            },
        },
        "Window": {"type": "object", "properties": {"opens": instant, "closes": instant}},
        "Health": {
            "type": "object",
            "properties": {
                "status": {"const": "ok"},
                "challenges": {"type": "integer"},
                "programs": {"type": "integer"},
            },
        },
        "Tally": {
            "type": "object",
            "required": ["challenge", "count", "visible", "voted", "participation"],
            "properties": {
                "challenge": text,
                "program": text,
                "count": {"type": ["integer", "null"], "description": "null while counts are not public"},
                "visible": {"type": "boolean"},
                "changed": {"type": "boolean", "description": "vote answers: whether this request changed the vote"},
                "voted": {"type": "boolean"},
                "participation": {
                    "type": "object",
                    "properties": {
                        "state": {"enum": ["upcoming", "open", "closed"]},
                        "opens": instant,
                        "closes": instant,
                    },
                },
            },
        },
        "Comment": {
            "type": "object",
            "properties": {
                "id": text,
                "text": text,
                "display_name": {"type": ["string", "null"]},
                "created_at": instant,
                "status": {"enum": ["pending", "published"]},
            },
        },
        "CommentPage": {
            "type": "object",
            "properties": {
                "challenge": text,
                "order": {"enum": ["oldest", "newest"]},
                "comments": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
                "next": {"type": ["string", "null"]},
            },
        },
        "NewComment": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string", "maxLength": 2000},
                "display_name": {"type": "string", "maxLength": 60},
            },
        },
        "VoteForm": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"intent": {"enum": ["vote", "withdraw"]}, "lang": {"enum": ["fr", "en"]}},
        },
        "NewReport": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": False,
            "properties": {"reason": {"enum": list(REPORT_REASONS)}},
        },
        "ReportReceipt": {"type": "object", "properties": {"comment": text, "reported": {"type": "boolean"}}},
        "NewProposal": {
            "type": "object",
            "required": ["title", "description"],
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string", "maxLength": 120},
                "description": {"type": "string", "maxLength": 4000},
                "theme": {"type": "string"},
                "email": {
                    "type": "string",
                    "format": "email",
                    "description": "Only with consent=true; stored encrypted, deleted after the consultation",
                },
                "consent": {"type": "boolean"},
            },
        },
        **_staff_schemas(),
        "ProposalReceipt": {
            "type": "object",
            "properties": {
                "proposal": text,
                "program": text,
                "status": {"const": "pending"},
                "contact_kept_until": {"type": ["string", "null"], "format": "date"},
            },
        },
    }


def _staff_schemas() -> dict:
    text = {"type": "string"}
    maybe = {"type": ["string", "null"]}
    count = {"type": "integer", "minimum": 0}
    by_reason = {"type": "object", "additionalProperties": count}
    moderation = {
        "type": "object",
        "properties": {"published": count, "pending": count, "hidden": by_reason, "rejected": by_reason},
    }
    proposals = {
        "type": "object",
        "properties": {"received": count, "approved": count, "rejected": count, "pending": count},
    }
    decision = {
        "type": "object",
        "required": ["action"],
        "additionalProperties": False,
        "properties": {
            "reason": {"enum": list(MODERATION_REASONS), "description": "required for reject and hide, refused else"},
            "note": {"type": "string", "maxLength": 500, "description": "to the audit log only"},
        },
    }
    return {
        "ModerationRecord": {
            "type": "object",
            "properties": {"program": text, "moderation": moderation, "proposals": proposals},
        },
        "Receipt": {"type": "object", "properties": {"cookie": text, "token": text, "hash": text}},
        "StaffComment": {
            "type": "object",
            "properties": {
                "id": text,
                "challenge": text,
                "program": text,
                "created_at": text,
                "status": {"enum": ["pending", "published", "hidden", "rejected"]},
                "reason": maybe,
                "reports": count,
                "channel": text,
                "display_name": maybe,
                "text": text,
            },
        },
        "StaffProposal": {
            "type": "object",
            "properties": {
                "id": text,
                "program": text,
                "created_at": text,
                "status": {"enum": ["pending", "approved", "rejected"]},
                "reason": maybe,
                "title": text,
                "description": text,
                "theme": maybe,
                "has_contact": {"type": "boolean"},
            },
        },
        "Queue": {
            "type": "object",
            "properties": {
                "program": text,
                "kind": {"enum": list(QUEUE_KINDS)},
                "items": {
                    "type": "array",
                    "items": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/StaffComment"},
                            {"$ref": "#/components/schemas/StaffProposal"},
                        ]
                    },
                },
                "next": maybe,
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
        "AuditEntry": {
            "type": "object",
            "properties": {
                "id": text,
                "at": text,
                "actor": {"type": "object", "properties": {"token": text, "name": text}},
                "program": text,
                "action": text,
                "target": text,
                "reason": maybe,
                "note": maybe,
            },
        },
        "Decision": {
            "type": "object",
            "properties": {
                "id": text,
                "previous": text,
                "status": text,
                "audit": {"$ref": "#/components/schemas/AuditEntry"},
            },
        },
        "AuditPage": {
            "type": "object",
            "properties": {
                "program": text,
                "entries": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}},
                "next": maybe,
            },
        },
        "Results": {
            "type": "object",
            "description": "datacity-results/1 (docs/staff.md)",
            "properties": {
                "format": {"const": "datacity-results/1"},
                "licence": {"type": "object"},
                "program": text,
                "generated_at": text,
                "final": {"type": "boolean"},
                "window": {"$ref": "#/components/schemas/Window"},
                "channels": {"type": "array", "items": text},
                "challenges": {"type": "array", "items": {"type": "object"}},
                "comments": {"type": "array", "items": {"type": "object"}},
                "moderation": moderation,
                "proposals": proposals,
            },
        },
        "VoteLog": {
            "type": "object",
            "description": "datacity-vote-log/1 (docs/staff.md)",
            "properties": {
                "format": {"const": "datacity-vote-log/1"},
                "program": text,
                "generated_at": text,
                "hash": text,
                "challenges": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": text,
                            "salt": text,
                            "entries": {
                                "type": "array",
                                "items": {"type": "object", "properties": {"entry": text, "channel": text}},
                            },
                        },
                    },
                },
            },
        },
        "Import": {
            "type": "object",
            "required": ["source", "digest", "rows"],
            "additionalProperties": False,
            "properties": {
                "source": {"type": "string", "maxLength": 200},
                "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "rows": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_ROWS,
                    "items": {
                        "type": "object",
                        "required": ["line", "channel", "challenge", "kind", "collected_on"],
                        "additionalProperties": False,
                        "properties": {
                            "line": {"type": "integer", "minimum": 1},
                            "channel": {"enum": list(CHANNELS)},
                            "challenge": SLUG,
                            "kind": {"enum": ["vote", "comment"]},
                            "text": {"type": "string"},
                            "display_name": {"type": "string"},
                            "collected_on": {"type": "string", "format": "date"},
                        },
                    },
                },
            },
        },
        "ImportReceipt": {
            "type": "object",
            "properties": {
                "import": text,
                "program": text,
                "source": text,
                "digest": text,
                "votes": count,
                "comments": count,
                "by_channel": {"type": "object"},
                "audit": {"$ref": "#/components/schemas/AuditEntry"},
            },
        },
    }
