"""The system routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec


def paths(vocabulary: Vocabulary) -> dict:
    return {
        "/health": {
            "get": spec.operation(
                "health", "Service health", [], {"200": spec.ok("Health"), "503": spec.COMMON_ERRORS["503"]}
            )
        },
        "/openapi.json": {
            "get": spec.operation("openapi", "This document", [], {"200": {"description": "OpenAPI 3.1 document"}})
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
