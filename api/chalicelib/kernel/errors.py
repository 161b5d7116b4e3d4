"""Errors as RFC 9457 problem details, with a message a person understands, in French or English."""

from __future__ import annotations

PROBLEM_TYPE = "application/problem+json"

# slug -> (status, title fr, title en)
KINDS: dict[str, tuple[int, str, str]] = {
    "bad-request": (400, "Requête invalide", "Invalid request"),
    "invalid-id": (400, "Identifiant invalide", "Invalid identifier"),
    "invalid-field": (422, "Champ invalide", "Invalid field"),
    "unauthorized": (401, "Authentification requise", "Authentication required"),
    "forbidden-origin": (403, "Origine refusée", "Origin refused"),
    "direct-access": (403, "Accès direct refusé", "Direct access refused"),
    "forbidden": (403, "Accès refusé", "Access refused"),
    "not-found": (404, "Introuvable", "Not found"),
    "method-not-allowed": (405, "Méthode non acceptée", "Method not allowed"),
    "not-open": (409, "Participation fermée", "Participation closed"),
    "still-open": (409, "Consultation en cours", "Consultation still open"),
    "conflict": (409, "Conflit", "Conflict"),
    "too-large": (413, "Requête trop volumineuse", "Request too large"),
    "unsupported-media-type": (415, "Format non pris en charge", "Unsupported format"),
    "rate-limited": (429, "Trop de requêtes", "Too many requests"),
    "unavailable": (503, "Service indisponible", "Service unavailable"),
}


class ApiError(Exception):
    """An expected failure: becomes a problem+json response, never a 500."""

    def __init__(
        self,
        kind: str,
        fr: str,
        en: str,
        *,
        field: str | None = None,
        retry_after: int | None = None,
        extra: dict | None = None,
        extra_by_lang: dict[str, dict] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(en)
        self.kind = kind
        self.status = KINDS[kind][0]
        self.detail = {"fr": fr, "en": en}
        self.field = field
        self.retry_after = retry_after
        self.extra = extra or {}
        # Members that depend on the answer's language (e.g. the per-line problems of an import).
        self.extra_by_lang = extra_by_lang or {}
        self._headers = headers or {}

    def body(self, lang: str) -> dict:
        status, title_fr, title_en = KINDS[self.kind]
        body = {
            "type": f"/api/problems/{self.kind}",
            "title": title_fr if lang == "fr" else title_en,
            "status": status,
            "detail": self.detail[lang],
        }
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        body.update(self.extra_by_lang.get(lang, {}))
        return body

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": PROBLEM_TYPE, "Content-Language": ""}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        headers.update(self._headers)
        return headers


def preferred_language(accept_language: str | None) -> str:
    """'fr' or 'en' from an Accept-Language header; French is the default."""
    best, best_q = "fr", -1.0
    for part in (accept_language or "").split(","):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()[:2]
        q = 1.0
        for param in pieces[1:]:
            if param.strip().startswith("q="):
                try:
                    q = float(param.strip()[2:])
                except ValueError:
                    q = 0.0
        if tag in ("fr", "en") and q > best_q:
            best, best_q = tag, q
    return best
