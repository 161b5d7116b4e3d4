"""The imports room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web.openapi import (
    COMMON_ERRORS,
    COUNT,
    SLUG,
    STAFF_BAD,
    STAFF_UNKNOWN,
    TEXT,
    json_body,
    ok,
    path_id,
    problem,
    ref,
    staff,
)
from .rules import KINDS, SOURCE_MAX_CHARS


def paths(vocabulary: Vocabulary) -> dict:
    return {
        "/staff/programs/{program_id}/imports": {
            "post": staff(
                "staffImport",
                "Import offline votes and comments (workshops, paper, phone): all or nothing",
                {
                    "201": ok("ImportReceipt", "Imported"),
                    "400": STAFF_BAD,
                    "404": STAFF_UNKNOWN,
                    "409": problem("This file (digest) was already imported"),
                    "413": COMMON_ERRORS["413"],
                    "415": COMMON_ERRORS["415"],
                    "422": problem("Problems in the body or its rows: `problems` lists line, field and message"),
                },
                parameters=[path_id("program_id", SLUG)],
                requestBody=json_body("Import"),
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {
        "Import": {
            "type": "object",
            "required": ["source", "digest", "rows"],
            "additionalProperties": False,
            "properties": {
                "source": {"type": "string", "maxLength": SOURCE_MAX_CHARS},
                "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "rows": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": vocabulary.limits["import_rows"],
                    "items": {
                        "type": "object",
                        "required": ["line", "channel", "challenge", "kind", "collected_on"],
                        "additionalProperties": False,
                        "properties": {
                            "line": {"type": "integer", "minimum": 1},
                            "channel": {"enum": list(vocabulary.offline_channels)},
                            "challenge": SLUG,
                            "kind": {"enum": list(KINDS)},
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
                "import": TEXT,
                "program": TEXT,
                "source": TEXT,
                "digest": TEXT,
                "votes": COUNT,
                "comments": COUNT,
                "by_channel": {"type": "object"},
                "audit": ref("AuditEntry"),
            },
        },
    }
