"""The verification room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec


def paths(vocabulary: Vocabulary) -> dict:
    program = [spec.path_id("program_id", spec.SLUG)]
    return_param = {
        "name": "return",
        "in": "query",
        "schema": {"type": "string"},
        "description": "The site path to come back to once verified (anything else than a path: the home page)",
    }
    return {
        "/programs/{program_id}/verify": {
            "get": spec.operation(
                "verifyPage",
                "The ways to confirm residence the program offers (html: the page residents use)",
                [*program, *spec.as_page("html: the page with each method's form", vocabulary.languages), return_param],
                {"200": spec.ok("VerifyMethods", pages=True), **spec.pick("400", "404", "503", pages=True)},
            )
        },
        "/programs/{program_id}/verification": {
            "get": spec.operation(
                "verificationStatus",
                "Whether the caller has a verified session this program accepts, how, until when",
                program,
                {"200": spec.ok("VerificationStatus"), **spec.pick("400", "404", "503")},
                security=[{"verifiedSession": []}, {}],
            ),
            "delete": spec.operation(
                "forgetVerification",
                "End the caller's verified session (a shared computer); clears the cookie",
                program,
                {"200": spec.ok("VerificationStatus"), **spec.pick("400", "403", "404", "503")},
                security=[{"verifiedSession": []}, {}],
            ),
        },
    }


def schemas(vocabulary: Vocabulary) -> dict:
    participation = {"type": "array", "items": {"enum": ["anonymous", "email", "oidc"]}}
    return {
        "VerifyMethods": {
            "type": "object",
            "required": ["program", "participation", "return"],
            "properties": {"program": spec.TEXT, "participation": participation, "return": spec.TEXT},
        },
        "VerificationStatus": {
            "type": "object",
            "required": ["program", "participation", "verified", "method", "expires_at"],
            "properties": {
                "program": spec.TEXT,
                "participation": participation,
                "verified": {"type": "boolean"},
                "method": {"enum": ["email", "oidc", None]},
                "expires_at": {"type": ["integer", "null"], "description": "epoch seconds"},
            },
        },
    }
