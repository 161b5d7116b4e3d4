"""The OpenAPI 3.1 description of the API, assembled from each room's description of its own routes
(<room>/openapi.py: `paths(vocabulary)` and `schemas(vocabulary)`); tests/api/test_openapi.py keeps it in step with
app.routes. The shapes every room shares are here."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from ..kernel.catalog import Vocabulary
from ..kernel.inputs import EMAIL_RE, ITEM_ID_RE, REFUSED_CHARACTERS, SLUG_RE

SLUG = {"type": "string", "pattern": SLUG_RE.pattern, "maxLength": 64}
ITEM_ID = {"type": "string", "pattern": ITEM_ID_RE.pattern}
# What no text a resident writes may hold (kernel/inputs.py), and, in one line, tab and new line too.
_ONE_LINE = REFUSED_CHARACTERS + r"\t\n\r"
_MULTILINE = REFUSED_CHARACTERS.replace(r"\x00-\x1f", r"\x00-\x08\x0b\x0c\x0e-\x1f")


def written(one_line: bool) -> dict:
    """A text a resident writes: something besides spaces (the API trims it), no character it refuses."""
    refused = _ONE_LINE if one_line else _MULTILINE
    return {"type": "string", "pattern": f"^[^{refused}]*[^\\s{refused}][^{refused}]*$"}


# An optional field left out: absent, null or empty (what a form sends for an empty field) all mean none.
NONE = [{"type": "null"}, {"const": ""}]


def optional_written(one_line: bool) -> dict:
    """An optional text: none, or written."""
    return {"anyOf": [*NONE, written(one_line)]}


# The page's language, which a form sends along (a script may too).
LANG_FIELD = {"type": ["string", "null"], "description": "the page's language, for the answer"}
EMAIL = {"type": "string", "pattern": EMAIL_RE.pattern, "maxLength": 254}
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


HTML = {"text/html": {"schema": {"type": "string"}}}


def problem(description: str, pages: bool = False) -> dict:
    """An error answer: problem+json, or with `pages` also an HTML page (a form post, a ?format=html link)."""
    content = {"application/problem+json": {"schema": ref("Problem")}}
    return {"description": description, "content": {**content, **(HTML if pages else {})}}


def ref(schema: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema}"}


def ok(schema: str, description: str = "OK", pages: bool = False) -> dict:
    """A success answer: JSON, or with `pages` also an HTML page (?format=html)."""
    content = {"application/json": {"schema": ref(schema)}}
    return {"description": description, "content": {**content, **(HTML if pages else {})}}


# The answer to a form post that went through: back to the page it came from, which shows the outcome's message.
SEE_OTHER = {
    "description": "A form post: back to the page, at `#dc-msg-<outcome>` (the page shows that outcome's message)",
    "headers": {"Location": {"schema": {"type": "string"}}},
}


def form_or_json(schema: str) -> dict:
    """A body a page's form or a script sends. A form cannot send null: its schema is the JSON one without it."""
    return {
        "required": True,
        "content": {
            "application/json": {"schema": ref(schema)},
            "application/x-www-form-urlencoded": {"schema": ref(schema + FORM)},
        },
    }


FORM = "_as_form"


def _without_null(schema):
    """The schema with every `{"type": "null"}` alternative taken out (what a form's fields can be)."""
    if isinstance(schema, list):
        return [_without_null(item) for item in schema if item != {"type": "null"}]
    if isinstance(schema, dict):
        return {key: _without_null(value) for key, value in schema.items()}
    return schema


def json_body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


def path_id(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


ERRORS = {
    "400": "Malformed request: invalid JSON, invalid UTF-8, invalid id or cursor",
    "403": "Refused: the request comes from another site, or does not say where it comes from",
    "404": "Unknown challenge, comment or program",
    "409": "Participation is not open now; the message gives the dates",
    "411": "A body sent in chunks without Content-Length (the local server refuses them)",
    "413": "Request body too large",
    "415": "Unsupported content type",
    "422": "A field is missing, unknown, too long or invalid; `field` names it",
    "429": "Rate limited; see the Retry-After header",
    "503": "Temporarily unavailable; nothing recorded was lost",
}
COMMON_ERRORS = {code: problem(text) for code, text in ERRORS.items() if code != "411"}
# A resident's form post, or a page followed by a link: its errors are HTML pages too (web/pages.py).
PAGE_ERRORS = {code: problem(text, pages=True) for code, text in ERRORS.items()}
STAFF_ERRORS = {
    "401": problem("Missing, malformed, unknown, wrong or revoked staff token (WWW-Authenticate: Bearer)"),
    "403": problem("The staff token does not cover this program"),
    "503": COMMON_ERRORS["503"],
}
STAFF_BAD = problem("Invalid id, cursor or body")
STAFF_UNKNOWN = problem("Unknown program, comment or proposal")
# A resident's state change: with the voter cookie, or without one yet (the answer sets it).
STATE_CHANGING = {"security": [{"voterCookie": []}, {}]}


def pick(*codes: str, pages: bool = False) -> dict:
    return {code: (PAGE_ERRORS if pages else COMMON_ERRORS)[code] for code in codes}


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
        {
            "name": "lang",
            "in": "query",
            "schema": {"type": "string"},
            "description": f"The page's language if the site has it ({', '.join(languages)}); else Accept-Language's",
        },
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


def _references(node) -> set[str]:
    """The names of the component schemas a part of the document refers to."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node))
    return set()


def document(vocabulary: Vocabulary, rooms: Iterable[ModuleType], security_schemes: dict) -> dict:
    """The whole document; each room module gives `paths(vocabulary)` and `schemas(vocabulary)`."""
    paths: dict = {}
    schemas = shared_schemas()
    for room in rooms:
        paths.update(room.paths(vocabulary))
        schemas.update(room.schemas(vocabulary))
    for name in [n[: -len(FORM)] for n in _references(paths) if n.endswith(FORM)]:
        schemas[name + FORM] = _without_null(schemas[name])
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
