"""The OpenAPI 3.1 description of the API, assembled from each room's description of its own routes
(<room>/openapi.py: `paths(vocabulary)` and `schemas(vocabulary)`); tests/api/test_openapi.py keeps it in step with
app.routes. The shapes every room shares are here."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from ..kernel.catalog import Vocabulary

SLUG = {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "maxLength": 64}
ITEM_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{16}$"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
INSTANT = {"type": "string", "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}
CURSOR = {
    "name": "cursor",
    "in": "query",
    "schema": {"type": "string"},
    "description": "Opaque; the `next` value of the previous page",
}


def problem(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }


def ref(schema: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema}"}


def ok(schema: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def form_or_json(schema: str) -> dict:
    """A body a page's form or a script sends."""
    return {
        "required": True,
        "content": {
            "application/json": {"schema": ref(schema)},
            "application/x-www-form-urlencoded": {"schema": ref(schema)},
        },
    }


def json_body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


def path_id(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


COMMON_ERRORS = {
    "400": problem("Malformed request: invalid JSON, invalid UTF-8, invalid id or cursor"),
    "403": problem("Refused: the request comes from another site"),
    "404": problem("Unknown challenge, comment or program"),
    "409": problem("Participation is not open now; the message gives the dates"),
    "413": problem("Request body too large"),
    "415": problem("Unsupported content type"),
    "422": problem("A field is missing, unknown, too long or invalid; `field` names it"),
    "429": problem("Rate limited; see the Retry-After header"),
    "503": problem("Temporarily unavailable; nothing recorded was lost"),
}
STAFF_ERRORS = {
    "401": problem("Missing, malformed, unknown, wrong or revoked staff token (WWW-Authenticate: Bearer)"),
    "403": problem("The staff token does not cover this program"),
    "503": COMMON_ERRORS["503"],
}
STAFF_BAD = problem("Invalid id, cursor or body")
STAFF_UNKNOWN = problem("Unknown program, comment or proposal")
# A resident's state change: with the voter cookie, or without one yet (the answer sets it).
STATE_CHANGING = {"security": [{"voterCookie": []}, {}]}


def pick(*codes: str) -> dict:
    return {code: COMMON_ERRORS[code] for code in codes}


def operation(operation_id: str, summary: str, parameters: list, responses: dict, **more) -> dict:
    """A resident's (or anyone's) operation."""
    described = {"operationId": operation_id, "summary": summary, **more}
    if parameters:
        described["parameters"] = parameters
    return {**described, "responses": responses}


def staff(operation_id: str, summary: str, responses: dict, **more) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["staff"],
        "security": [{"staffToken": []}],
        **more,
        "responses": {**responses, **STAFF_ERRORS},
    }


def as_page(description: str, languages: Iterable[str]) -> list[dict]:
    """The query parameters of a route that can also answer as an HTML page for people following a link."""
    return [
        {"name": "format", "in": "query", "schema": {"enum": ["json", "html"]}, "description": description},
        {"name": "lang", "in": "query", "schema": {"enum": list(languages)}},
    ]


def shared_schemas() -> dict:
    return {
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": TEXT,
                "title": TEXT,
                "status": {"type": "integer"},
                "detail": TEXT,
                "field": TEXT,
                "window": ref("Window"),
                "state": TEXT,
            },
        },
        "Window": {"type": "object", "properties": {"opens": INSTANT, "closes": INSTANT}},
    }


def document(vocabulary: Vocabulary, rooms: Iterable[ModuleType], security_schemes: dict) -> dict:
    """The whole document; each room module gives `paths(vocabulary)` and `schemas(vocabulary)`."""
    paths: dict = {}
    schemas = shared_schemas()
    for room in rooms:
        paths.update(room.paths(vocabulary))
        schemas.update(room.schemas(vocabulary))
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
        "paths": paths,
        "components": {"securitySchemes": security_schemes, "schemas": schemas},
    }
