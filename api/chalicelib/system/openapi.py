"""The system routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web.openapi import COMMON_ERRORS, ok, operation


def paths(vocabulary: Vocabulary) -> dict:
    return {
        "/health": {
            "get": operation("health", "Service health", [], {"200": ok("Health"), "503": COMMON_ERRORS["503"]})
        },
        "/openapi.json": {
            "get": operation("openapi", "This document", [], {"200": {"description": "OpenAPI 3.1 document"}})
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {
        "Health": {
            "type": "object",
            "properties": {
                "status": {"const": "ok"},
                "challenges": {"type": "integer"},
                "programs": {"type": "integer"},
            },
        },
    }
