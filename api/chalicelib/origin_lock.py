"""Origin lock: the API answers only requests that came through the site's CloudFront distribution.

CloudFront adds the header HEADER to every request it sends to the API origin (infra/resources.json, the "api"
origin's OriginCustomHeaders); its value is the "current" member of the origin secret in Secrets Manager
(ORIGIN_SECRET_NAME). A viewer cannot supply it: CloudFront overwrites a viewer's header of the same name. During a
rotation the secret also holds the "previous" value, which is accepted too, so that neither CloudFront's edge
locations (which take minutes to switch) nor Lambda containers holding a cached copy of the secret refuse anyone
(docs/operations.md, "Rotating the origin secret").

Pure: no AWS call here. The caller fetches the secret's value and refuses a request that `allows` rejects with 403.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

HEADER = "x-datacity-origin-verify"
# CloudFormation generates the value (GenerateSecretString: letters and digits); a rotation may add "-" and "_".
MIN_LENGTH = 32
_ALLOWED = re.compile(r"[A-Za-z0-9_-]+")


class OriginSecretError(ValueError):
    """The origin secret's value cannot be used (the message names the member and what is wrong)."""


@dataclass(frozen=True)
class OriginLock:
    """The values CloudFront may send: the current one, and the previous one while a rotation is under way."""

    current: str
    previous: str = ""

    def __post_init__(self) -> None:
        check_value("current", self.current)
        if self.previous:
            check_value("previous", self.previous)

    @classmethod
    def from_secret(cls, text: str) -> OriginLock:
        """Parse the secret's value: {"current": "...", "previous": "..." or ""}."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as error:
            raise OriginSecretError(f"the origin secret is not JSON ({error})") from None
        if not isinstance(data, dict) or not isinstance(data.get("current"), str):
            raise OriginSecretError('the origin secret must be a JSON object with a "current" string')
        previous = data.get("previous") or ""
        if not isinstance(previous, str):
            raise OriginSecretError('the origin secret\'s "previous" must be a string (empty when no rotation)')
        return cls(data["current"], previous)

    def allows(self, headers: Mapping[str, str] | None) -> bool:
        """Whether the request carries the current or the previous value (compared in constant time)."""
        sent = header_value(headers)
        if sent is None:
            return False
        sent_bytes = sent.encode("utf-8", "surrogateescape")
        # Both comparisons always run, so the time taken does not tell which value (if any) matched.
        matches = [hmac.compare_digest(sent_bytes, value.encode("ascii")) for value in (self.current, self.previous)]
        return matches[0] or (bool(self.previous) and matches[1])


def check_value(member: str, value: str) -> None:
    if len(value) < MIN_LENGTH:
        raise OriginSecretError(f'the origin secret\'s "{member}" must be at least {MIN_LENGTH} characters long')
    if not _ALLOWED.fullmatch(value):
        raise OriginSecretError(
            f'the origin secret\'s "{member}" may hold only letters, digits, "-" and "_" (it travels in an HTTP header)'
        )


def header_value(headers: Mapping[str, str] | None) -> str | None:
    """The header's value, whatever the case of its name (Chalice's headers are case-insensitive, a dict is not)."""
    if not headers:
        return None
    value = headers.get(HEADER)
    if value is None:
        for name, candidate in headers.items():
            if name.lower() == HEADER:
                return candidate
    return value
