"""Errors as RFC 9457 problem details, with a message a person understands, in the page's language (catalogs)."""

from __future__ import annotations

import datetime as dt

from .dates import long_date
from .messages import N_, NP_, Plural, plural, text

PROBLEM_TYPE = "application/problem+json"

# slug -> (status, title): the title in English, translated in the API's catalogs.
KINDS: dict[str, tuple[int, str]] = {
    "bad-request": (400, N_("Invalid request")),
    "invalid-id": (400, N_("Invalid identifier")),
    "invalid-field": (422, N_("Invalid field")),
    "unauthorized": (401, N_("Authentication required")),
    "forbidden-origin": (403, N_("Origin refused")),
    "direct-access": (403, N_("Direct access refused")),
    "forbidden": (403, N_("Access refused")),
    "verification-required": (403, N_("Verification required")),
    "not-found": (404, N_("Not found")),
    "method-not-allowed": (405, N_("Method not allowed")),
    "not-open": (409, N_("Participation closed")),
    "still-open": (409, N_("Consultation still open")),
    "conflict": (409, N_("Conflict")),
    "too-large": (413, N_("Request too large")),
    "unsupported-media-type": (415, N_("Unsupported format")),
    "sign-in-refused": (400, N_("Sign-in refused")),
    "rate-limited": (429, N_("Too many requests")),
    "bad-gateway": (502, N_("Identity provider unavailable")),
    "unavailable": (503, N_("Service unavailable")),
}


class Detail:
    """A problem's detail in any language: `detail[lang]`. `message` is marked with N_, or with NP_ and then
    `values["n"]` is the count CLDR picks its form by. Its values are filled in as given, but a `Term` is
    translated, a date written in words and `Minutes` with their unit, in the answer's language."""

    def __init__(self, message: str | Plural, values: dict | None = None):
        self.message, self.values = message, values or {}

    def __getitem__(self, lang: str) -> str:
        values = {key: _in(lang, value) for key, value in self.values.items()}
        if isinstance(self.message, tuple):
            n = values.pop("n")
            return plural(lang, self.message, n, **values)
        return text(lang, self.message, **values)


class Term(str):
    """A value of a message that is itself a message (marked with N_ where it is written): translated with it."""


class Minutes(int):
    """A number of minutes in a message: written with its unit in the language's plural form ('1 minute')."""


MINUTES = NP_("{n} minute", "{n} minutes")


def _in(lang: str, value: object) -> object:
    if isinstance(value, Term):
        return text(lang, value)
    if isinstance(value, Minutes):
        return plural(lang, MINUTES, value)
    if isinstance(value, dt.date):
        return long_date(lang, value)
    return value


class ApiError(Exception):
    """An expected failure: becomes a problem+json response, never a 500.

    `message` is English, marked with N_ (or NP_, its count in `values["n"]`), its {placeholders} filled from
    `values`, translated when answered. Everything after it is named: a problem has one message, in the code's
    English, never a pair of texts. A `Detail` in `extra` (e.g. each problem of an import) is translated with it.
    """

    def __init__(
        self,
        kind: str,
        message: str | Plural,
        *,
        values: dict | None = None,
        field: str | None = None,
        retry_after: int | None = None,
        extra: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.detail = Detail(message, values)
        super().__init__(self.detail["en"])
        self.kind = kind
        self.status = KINDS[kind][0]
        self.field = field
        self.retry_after = retry_after
        self.extra = extra or {}
        self._headers = headers or {}

    def body(self, lang: str) -> dict:
        status, title = KINDS[self.kind]
        body = {
            "type": f"/api/problems/{self.kind}",
            "title": text(lang, title),
            "status": status,
            "detail": self.detail[lang],
        }
        if self.field:
            body["field"] = self.field
        body.update(_written(lang, self.extra))
        return body

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": PROBLEM_TYPE, "Content-Language": ""}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        headers.update(self._headers)
        return headers


def _written(lang: str, value):
    """`value` with every Detail in it (at any depth of dicts and lists) written in `lang`."""
    if isinstance(value, Detail):
        return value[lang]
    if isinstance(value, dict):
        return {key: _written(lang, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_written(lang, item) for item in value]
    return value


def preferred_language(accept_language: str | None, languages: tuple[str, ...]) -> str:
    """The best of the site's `languages` for an Accept-Language header (RFC 4647 lookup: 'ca-ES' finds 'ca');
    the site's first (default) language when none is acceptable."""
    best, best_q = languages[0], 0.0
    known = {lang.lower(): lang for lang in languages}
    for part in (accept_language or "").split(","):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            if param.strip().startswith("q="):
                try:
                    q = float(param.strip()[2:])
                except ValueError:
                    q = 0.0
        while tag and tag not in known:
            tag = tag.rpartition("-")[0]
        if tag and q > best_q:
            best, best_q = known[tag], q
    return best
