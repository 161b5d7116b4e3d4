"""The comments room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec
from .rules import ORDERS


def paths(vocabulary: Vocabulary) -> dict:
    challenge = spec.path_id("challenge_id", spec.SLUG)
    listing = [
        challenge,
        {"name": "order", "in": "query", "schema": {"enum": ["", *ORDERS]}, "description": "empty: oldest"},
        spec.CURSOR,
        *spec.as_page("html: a page with report forms, for browsers without JavaScript", vocabulary.languages),
    ]
    return {
        "/challenges/{challenge_id}/comments": {
            "get": spec.operation(
                "comments",
                "Published comments, paginated",
                listing,
                {"200": spec.ok("CommentPage", pages=True), **spec.pick("400", "404", "422", "503", pages=True)},
            ),
            "post": spec.submission(
                "addComment",
                "Post a comment (plain text)",
                challenge,
                spec.ok("Comment", "Created (status pending or published), or the same comment sent before"),
                "NewComment",
                {
                    "409": spec.problem(
                        "Participation is not open now, or this comment was sent before and removed", True
                    )
                },
            ),
        },
        "/comments/{comment_id}/reports": {
            "post": spec.submission(
                "report",
                "Flag a comment",
                spec.path_id("comment_id", spec.ITEM_ID),
                spec.ok("ReportReceipt"),
                "NewReport",
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    limits = vocabulary.limits
    return {
        "Comment": {
            "type": "object",
            "properties": {
                "id": spec.TEXT,
                "text": spec.TEXT,
                "display_name": {"type": ["string", "null"]},
                "created_at": spec.INSTANT,
                "status": {"enum": ["pending", "published"]},
            },
        },
        "CommentPage": {
            "type": "object",
            "properties": {
                "challenge": spec.TEXT,
                "order": {"enum": list(ORDERS)},
                "comments": {"type": "array", "items": spec.ref("Comment")},
                "next": {"type": ["string", "null"]},
            },
        },
        "NewComment": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {
                "text": {**spec.written(one_line=False), "maxLength": limits["comment"]},
                "display_name": {**spec.optional_written(one_line=True), "maxLength": limits["display_name"]},
                "lang": spec.LANG_FIELD,
            },
        },
        "NewReport": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": False,
            "properties": {"reason": {"enum": list(vocabulary.report_reasons)}, "lang": spec.LANG_FIELD},
        },
        "ReportReceipt": {"type": "object", "properties": {"comment": spec.TEXT, "reported": {"type": "boolean"}}},
    }
