"""The comments room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web.openapi import (
    CURSOR,
    INSTANT,
    ITEM_ID,
    LANG_FIELD,
    PAGE_ERRORS,
    SEE_OTHER,
    SLUG,
    STATE_CHANGING,
    TEXT,
    as_page,
    form_or_json,
    ok,
    operation,
    optional_written,
    path_id,
    pick,
    problem,
    ref,
    written,
)
from .rules import ORDERS


def paths(vocabulary: Vocabulary) -> dict:
    challenge = path_id("challenge_id", SLUG)
    listing = [
        challenge,
        {"name": "order", "in": "query", "schema": {"enum": ["", *ORDERS]}, "description": "empty: oldest"},
        CURSOR,
        *as_page("html: a page with report forms, for browsers without JavaScript", vocabulary.languages),
    ]
    return {
        "/challenges/{challenge_id}/comments": {
            "get": operation(
                "comments",
                "Published comments, paginated",
                listing,
                {"200": ok("CommentPage", pages=True), **pick("400", "404", "422", "503", pages=True)},
            ),
            "post": operation(
                "addComment",
                "Post a comment (plain text)",
                [challenge],
                {
                    "201": ok("Comment", "Created (status pending or published), or the same comment sent before"),
                    "303": SEE_OTHER,
                    **PAGE_ERRORS,
                    "409": problem("Participation is not open now, or this comment was sent before and removed", True),
                },
                **STATE_CHANGING,
                requestBody=form_or_json("NewComment"),
            ),
        },
        "/comments/{comment_id}/reports": {
            "post": operation(
                "report",
                "Flag a comment",
                [path_id("comment_id", ITEM_ID)],
                {"201": ok("ReportReceipt"), "303": SEE_OTHER, **PAGE_ERRORS},
                **STATE_CHANGING,
                requestBody=form_or_json("NewReport"),
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    limits = vocabulary.limits
    return {
        "Comment": {
            "type": "object",
            "properties": {
                "id": TEXT,
                "text": TEXT,
                "display_name": {"type": ["string", "null"]},
                "created_at": INSTANT,
                "status": {"enum": ["pending", "published"]},
            },
        },
        "CommentPage": {
            "type": "object",
            "properties": {
                "challenge": TEXT,
                "order": {"enum": list(ORDERS)},
                "comments": {"type": "array", "items": ref("Comment")},
                "next": {"type": ["string", "null"]},
            },
        },
        "NewComment": {
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {
                "text": {**written(one_line=False), "maxLength": limits["comment"]},
                "display_name": {**optional_written(one_line=True), "maxLength": limits["display_name"]},
                "lang": LANG_FIELD,
            },
        },
        "NewReport": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": False,
            "properties": {"reason": {"enum": list(vocabulary.report_reasons)}, "lang": LANG_FIELD},
        },
        "ReportReceipt": {"type": "object", "properties": {"comment": TEXT, "reported": {"type": "boolean"}}},
    }
