"""Settings: the shipped defaults (defaults.json), overridden by environment variables set per Chalice stage."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path

DEFAULTS_FILE = Path(__file__).with_name("defaults.json")
ACTIONS = ("votes", "comments", "reports", "proposals")


@dataclass(frozen=True)
class Settings:
    store: str
    data_dir: Path
    table_name: str
    secret_name: str
    catalog_path: Path
    site_origin: str
    # Where the API is mounted on the site's origin, for form actions in pages the API renders.
    api_base: str
    # Header carrying the client's address behind a CDN (e.g. CloudFront-Viewer-Address); empty: the socket's.
    client_ip_header: str
    cookie_secure: bool
    cookie_max_age_days: int
    max_body_bytes: int
    comment_max_chars: int
    name_max_chars: int
    proposal_title_max_chars: int
    proposal_description_max_chars: int
    reports_to_hide: int
    comments_page_size: int
    tally_shards: int
    email_retention_days: int
    rate_limit_window_seconds: int
    # action -> (per token, per hashed IP) within one window
    rate_limits: dict
    # Staff API (docs/staff.md): the Secrets Manager secret holding the staff tokens (empty: DATA_DIR's file),
    # "token" (Bearer tokens) or "iam" (SigV4 through Chalice's IAMAuthorizer, ARNs mapped to programs below).
    staff_tokens_secret: str = ""
    staff_auth: str = "token"
    # IAM principal ARN -> programs (STAFF_IAM_PROGRAMS, JSON); only with staff_auth == "iam".
    staff_iam_programs: dict | None = None
    # Largest import body (POST /staff/programs/{program}/imports): under Lambda's 6 MB request payload.
    import_max_bytes: int = 5_000_000

    @classmethod
    def load(cls, environ: dict | None = None, base_dir: Path | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
        merged = {key: env.get(key, value) for key, value in raw.items()}
        base = base_dir or Path.cwd()
        values: dict = {}
        for f in fields(cls):
            if f.name in ("rate_limits", "staff_iam_programs"):
                continue
            text = merged[f.name.upper()]
            if f.type == "bool":
                values[f.name] = str(text).lower() in ("1", "true", "yes")
            elif f.type == "int":
                values[f.name] = int(text)
            elif f.type == "Path":
                path = Path(text)
                values[f.name] = path if path.is_absolute() else base / path
            else:
                values[f.name] = str(text)
        values["rate_limits"] = {
            action: (int(merged[f"RATE_{action.upper()}_PER_TOKEN"]), int(merged[f"RATE_{action.upper()}_PER_IP"]))
            for action in ACTIONS
        }
        values["site_origin"] = values["site_origin"].rstrip("/")
        values["staff_iam_programs"] = _iam_programs(merged["STAFF_IAM_PROGRAMS"])
        if values["staff_auth"] not in ("token", "iam"):
            raise ValueError(f"STAFF_AUTH must be 'token' or 'iam', not '{values['staff_auth']}'")
        return cls(**values)


def _iam_programs(text) -> dict:
    """STAFF_IAM_PROGRAMS: a JSON object {"<IAM principal ARN>": ["<program>", ...]}; refused at start if not."""
    value = json.loads(text) if isinstance(text, str) else text
    if not isinstance(value, dict) or not all(
        isinstance(arn, str) and isinstance(programs, list) and all(isinstance(p, str) for p in programs)
        for arn, programs in value.items()
    ):
        raise ValueError('STAFF_IAM_PROGRAMS must be a JSON object {"<IAM principal ARN>": ["<program>", ...]}')
    return {arn: tuple(programs) for arn, programs in value.items()}
