"""The staff room's routes and its security scheme, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web.openapi import CURSOR, MAYBE_TEXT, SLUG, STAFF_BAD, STAFF_UNKNOWN, TEXT, ok, path_id, ref, staff

SECURITY = {
    "staffToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "dcs_<id>_<secret>",
        "description": "A staff token (docs/staff.md). With STAFF_AUTH=iam the staff routes take "
        "SigV4-signed requests instead, the caller's IAM ARN mapped to programs by STAFF_IAM_PROGRAMS.",
    },
}


def paths(vocabulary: Vocabulary) -> dict:
    return {
        "/staff/programs/{program_id}/audit": {
            "get": staff(
                "staffAudit",
                "The audit log, oldest first, 100 a page",
                {"200": ok("AuditPage"), "400": STAFF_BAD, "404": STAFF_UNKNOWN},
                parameters=[path_id("program_id", SLUG), CURSOR],
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {
        "AuditEntry": {
            "type": "object",
            "properties": {
                "id": TEXT,
                "at": TEXT,
                "actor": {"type": "object", "properties": {"token": TEXT, "name": TEXT}},
                "program": TEXT,
                "action": TEXT,
                "target": TEXT,
                "reason": MAYBE_TEXT,
                "note": MAYBE_TEXT,
            },
        },
        "AuditPage": {
            "type": "object",
            "properties": {
                "program": TEXT,
                "entries": {"type": "array", "items": ref("AuditEntry")},
                "next": MAYBE_TEXT,
            },
        },
    }
