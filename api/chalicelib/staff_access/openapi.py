"""The staff room's routes and its security scheme, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec

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
            "get": spec.staff(
                "staffAudit",
                "The audit log, oldest first, 100 a page",
                {"200": spec.ok("AuditPage")},
                parameters=[spec.path_id("program_id", spec.SLUG), spec.CURSOR],
            )
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    return {
        "AuditEntry": {
            "type": "object",
            "properties": {
                "id": spec.TEXT,
                "at": spec.TEXT,
                "actor": {"type": "object", "properties": {"token": spec.TEXT, "name": spec.TEXT}},
                "program": spec.TEXT,
                "action": spec.TEXT,
                "target": spec.TEXT,
                "reason": spec.MAYBE_TEXT,
                "note": spec.MAYBE_TEXT,
            },
        },
        "AuditPage": {
            "type": "object",
            "properties": {
                "program": spec.TEXT,
                "entries": {"type": "array", "items": spec.ref("AuditEntry")},
                "next": spec.MAYBE_TEXT,
            },
        },
    }
