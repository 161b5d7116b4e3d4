"""The verification room's routes, described (web/openapi.py assembles the document)."""

from __future__ import annotations

from ..kernel.catalog import Vocabulary
from ..web import openapi as spec

REQUEST_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{22}$"}
SECRET = {"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"}


def paths(vocabulary: Vocabulary) -> dict:
    program = [spec.path_id("program_id", spec.SLUG)]
    return_param = {
        "name": "return",
        "in": "query",
        "schema": {"type": "string"},
        "description": "The site path to come back to once verified (anything else than a path: the home page)",
    }
    html_page = {"description": "A page", "content": spec.HTML}
    lang = spec.as_page("", vocabulary.languages)[1]
    return {
        "/programs/{program_id}/verify/email": {
            "post": spec.operation(
                "verifyEmailRequest",
                "Send a one-time link and code to an address (the same answer for every valid address)",
                program,
                {
                    "202": spec.ok("EmailRequested", "Sent (a form post: the page to type the code in)", pages=True),
                    **spec.pick("400", "403", "404", "411", "413", "415", "422", "429", "503", pages=True),
                },
                requestBody=spec.form_or_json("EmailRequest"),
            )
        },
        "/programs/{program_id}/verify/email/link": {
            "get": spec.operation(
                "verifyEmailLinkPage",
                "The email's link: a page with the button that uses it (link scanners confirm nothing)",
                [
                    *program,
                    {
                        "name": "r",
                        "in": "query",
                        "required": True,
                        "schema": REQUEST_ID,
                        "description": "the request id",
                    },
                    {
                        "name": "s",
                        "in": "query",
                        "required": True,
                        "schema": SECRET,
                        "description": "the link's secret",
                    },
                    lang,
                ],
                {"200": html_page, **spec.pick("400", "404", "503", pages=True)},
            ),
            "post": spec.operation(
                "verifyEmailLink",
                "Use the link once: a verified session (Set-Cookie dc_verified), 303 back for a form",
                program,
                {
                    "200": spec.ok("VerificationStatus"),
                    "303": spec.SEE_OTHER,
                    **spec.pick("400", "403", "404", "409", "411", "413", "415", "422", "503", pages=True),
                },
                requestBody=spec.form_or_json("EmailLink"),
            ),
        },
        "/programs/{program_id}/verify/email/code": {
            "post": spec.operation(
                "verifyEmailCode",
                "Use the code typed in the page once: a verified session, 303 back for a form",
                program,
                {
                    "200": spec.ok("VerificationStatus"),
                    "303": spec.SEE_OTHER,
                    **spec.pick("400", "403", "404", "409", "411", "413", "415", "422", "503", pages=True),
                },
                requestBody=spec.form_or_json("EmailCode"),
            )
        },
        "/outbox": {
            "get": spec.operation(
                "outbox",
                "The local outbox (OUTBOX_PAGE, a local server only): the messages it sent",
                [lang],
                {"200": html_page, **spec.pick("404", "503", pages=True)},
            )
        },
        "/programs/{program_id}/verification/forget": {
            "post": spec.operation(
                "forgetVerificationForm",
                "The verify page's forget button: ends the session, 303 back to the verify page (a form)",
                program,
                {
                    "200": spec.ok("VerificationStatus"),
                    "303": spec.SEE_OTHER,
                    **spec.pick("400", "403", "404", "411", "413", "415", "422", "503", pages=True),
                },
                requestBody={**spec.form_or_json("ForgetForm"), "required": False},
            )
        },
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
        "ForgetForm": {
            "type": "object",
            "additionalProperties": False,
            # Checked as a text (kernel/inputs.py: no control character, at most 500), then made safe (rules.py).
            "properties": {
                "return": {**spec.optional_written(one_line=True), "maxLength": 500},
                "lang": spec.LANG_FIELD,
            },
        },
        "EmailRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["email"],
            "properties": {"email": spec.TEXT, "return": spec.MAYBE_TEXT, "lang": spec.LANG_FIELD},
        },
        "EmailRequested": {
            "type": "object",
            "required": ["program", "request", "expires_in", "return"],
            "properties": {
                "program": spec.TEXT,
                "request": {"type": "string", "description": "the request id, to send with the code"},
                "expires_in": {"type": "integer", "description": "seconds"},
                "return": spec.TEXT,
            },
        },
        "EmailLink": {
            "type": "object",
            "additionalProperties": False,
            "required": ["r", "s"],
            "properties": {"r": spec.TEXT, "s": spec.TEXT, "lang": spec.LANG_FIELD},
        },
        "EmailCode": {
            "type": "object",
            "additionalProperties": False,
            "required": ["request", "code"],
            "properties": {
                "request": spec.TEXT,
                "code": spec.TEXT,
                "return": spec.MAYBE_TEXT,
                "lang": spec.LANG_FIELD,
            },
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
