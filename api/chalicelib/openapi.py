"""The OpenAPI 3.1 description of the public API; tests/api/test_openapi.py keeps it in step with app.routes."""

from __future__ import annotations

from .store.base import REPORT_REASONS

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


def _id(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


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
                        {
                            "name": "format",
                            "in": "query",
                            "schema": {"enum": ["json", "html"]},
                            "description": "html: a page with report forms, for browsers without JavaScript",
                        },
                        {"name": "lang", "in": "query", "schema": {"enum": ["fr", "en"]}},
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
        },
        "components": {
            "securitySchemes": {"voterCookie": {"type": "apiKey", "in": "cookie", "name": "dc_voter"}},
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
