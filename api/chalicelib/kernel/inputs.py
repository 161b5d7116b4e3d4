"""Strict reading of request bodies and ids: every bad input becomes a clear 4xx, never an exception."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl

from .errors import ApiError, Term
from .messages import N_

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ITEM_ID_RE = re.compile(r"^[A-Za-z0-9_-]{16}$")
# What no text a resident writes may hold: control characters (Unicode Cc: U+0000-001F and U+007F-009F; a long text
# keeps tab and new line) and the bidirectional overrides that can disguise a text; lone surrogates are refused too
# (_control_character). A regular-expression class, so that the OpenAPI document says the same (web/openapi.py).
REFUSED_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_EMAIL_PART = rf"[^@\s{REFUSED_CHARACTERS}]"
EMAIL_RE = re.compile(rf"^{_EMAIL_PART}{{1,64}}@{_EMAIL_PART}{{1,190}}\.{_EMAIL_PART}{{2,63}}$")
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
NOT_AN_ID = N_("'{value}' is not a valid {what} id.")
REQUIRED = N_("{label} is required.")


def check_slug(value: str, what: str) -> str:
    """A program's or a challenge's id (`what`: its name, marked with N_)."""
    if not isinstance(value, str) or len(value) > 64 or not SLUG_RE.match(value):
        raise ApiError("invalid-id", NOT_AN_ID, values={"value": _clip(value), "what": Term(what)})
    return value


def check_item_id(value: str, what: str) -> str:
    """A comment's or a proposal's id: 16 URL-safe characters."""
    if not isinstance(value, str) or not ITEM_ID_RE.match(value):
        raise ApiError("invalid-id", NOT_AN_ID, values={"value": _clip(value), "what": Term(what)})
    return value


def _clip(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def read_body(raw: bytes | None, content_type: str | None, max_bytes: int) -> dict[str, Any]:
    """A JSON object or a form, checked for size, encoding and syntax. Forms are returned as flat dicts."""
    raw = raw or b""
    if len(raw) > max_bytes:
        raise ApiError("too-large", N_("The request is larger than {kb} KB."), values={"kb": max_bytes // 1024})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError("bad-request", N_("The text sent is not valid UTF-8.")) from None
    kind = media_type(content_type)
    if kind == FORM:
        try:
            pairs = parse_qsl(
                text, keep_blank_values=True, strict_parsing=bool(text), errors="strict", max_num_fields=20
            )
        except (ValueError, UnicodeDecodeError):
            raise ApiError("bad-request", N_("The form sent is malformed.")) from None
        data: dict[str, Any] = {}
        for key, value in pairs:
            if key in data:
                raise ApiError("bad-request", N_("The field '{name}' is sent twice."), values={"name": _clip(key)})
            data[key] = value
        return data
    if kind not in (JSON, ""):
        raise ApiError(
            "unsupported-media-type",
            N_("Send the data as JSON (application/json)."),
        )
    if not text.strip():
        return {}
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        detail = str(exc) if isinstance(exc, _DuplicateKey) else "invalid JSON"
        raise ApiError("bad-request", N_("The JSON sent is invalid ({detail})."), values={"detail": detail}) from None
    if not isinstance(data, dict):
        raise ApiError("bad-request", N_("The JSON sent must be an object {…}."))
    return data


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(f"duplicate key '{_clip(key)}'")
        out[key] = value
    return out


def _no_constant(name):
    raise ValueError(f"{name} is not allowed")


class Fields:
    """Reads named fields out of a body, refusing unknown ones and wrong types with the field's name."""

    def __init__(self, data: dict[str, Any], allowed: set[str], is_form: bool = False):
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ApiError(
                "invalid-field",
                N_("Unknown field '{name}'. Accepted fields: {fields}."),
                values={"name": _clip(unknown[0]), "fields": ", ".join(sorted(allowed))},
                field=str(unknown[0])[:40],
            )
        self.data = data
        self.is_form = is_form

    def text(self, name: str, *, required: bool, max_chars: int, multiline: bool = False, label: str) -> str | None:
        """`label`: the field's name in a sentence, marked with N_ ('The title')."""
        value = self.data.get(name)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
        # Control characters are refused before blanks are looked for: Python's strip() takes U+001C..U+001F for
        # spaces, and a field of them alone is no more "left empty" than the OpenAPI document says.
        bad = _control_character(value.strip(" \t\n\v\f"), multiline) if isinstance(value, str) else None
        if bad is None and (value is None or (isinstance(value, str) and not value.strip())):
            if required:
                raise ApiError("invalid-field", REQUIRED, values={"label": Term(label)}, field=name)
            return None
        if not isinstance(value, str):
            raise ApiError("invalid-field", N_("{label} must be text."), values={"label": Term(label)}, field=name)
        value = value.strip()
        if bad is not None:
            raise ApiError(
                "invalid-field",
                N_("{label} contains a forbidden control character (U+{code})."),
                values={"label": Term(label), "code": f"{bad:04X}"},
                field=name,
            )
        if len(value) > max_chars:
            raise ApiError(
                "invalid-field",
                N_("{label} is {length} characters long; the maximum is {max_chars}."),
                values={"label": Term(label), "length": len(value), "max_chars": max_chars},
                field=name,
            )
        return value

    def flag(self, name: str, *, label: str) -> bool:
        value = self.data.get(name)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if self.is_form and value in ("on", "true", "1", "yes"):
            return True
        if self.is_form and value in ("", "false", "0", "no", "off"):
            return False
        raise ApiError("invalid-field", N_("{label} must be true or false."), values={"label": Term(label)}, field=name)

    def choice(self, name: str, allowed, *, required: bool, label: str) -> str | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise ApiError("invalid-field", REQUIRED, values={"label": Term(label)}, field=name)
            return None
        if not isinstance(value, str) or value not in allowed:
            choices = ", ".join(sorted(allowed))
            raise ApiError(
                "invalid-field",
                N_("{label} must be one of: {choices}."),
                values={"label": Term(label), "choices": choices},
                field=name,
            )
        return value


def _control_character(value: str, multiline: bool) -> int | None:
    for ch in value:
        if ch in "\n\t" and multiline:
            continue
        category = unicodedata.category(ch)
        # Cc: controls; Cs: lone surrogates; Co: private use; bidi overrides can disguise text.
        if category in ("Cc", "Cs") or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
            return ord(ch)
    return None


def check_email(value: str | None, max_chars: int) -> str | None:
    if value is None:
        return None
    if len(value) > max_chars or not EMAIL_RE.match(value):
        raise ApiError(
            "invalid-field",
            N_("The email address does not look valid (example: name@example.org)."),
            field="email",
        )
    return value
