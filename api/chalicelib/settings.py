"""The API's settings: each declared once below with its default and a line of help, overridden by the environment
variables of the Chalice stage (api/.chalice/config.json) or of the shell.

docs/settings.md lists them all; tests/unit/api/test_settings.py fails when one is missing there or its default
differs. What the pages and the API must agree on (text limits, reasons, channels) is not a setting: it comes from
the catalog the site build writes (site_builder/vocabulary.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("STORE", "sqlite", "Where participation is kept: sqlite (one file in DATA_DIR) or dynamodb (TABLE_NAME)."),
    Setting("DATA_DIR", ".data", "Folder of the SQLite store, the local keys and the local staff tokens."),
    Setting("TABLE_NAME", "datacity", "The DynamoDB table (STORE=dynamodb)."),
    Setting("SECRET_NAME", "", "Secrets Manager secret of the hash and email keys; empty: DATA_DIR/secret.json."),
    Setting("CATALOG_PATH", "../site/catalog.json", "The catalog the site build writes: what exists and when."),
    Setting("SITE_ORIGIN", "http://127.0.0.1:8000", "The site's origin: CORS, the Origin check, redirects."),
    Setting("API_BASE", "/api", "Where the API is mounted on the site's origin (form actions in its pages)."),
    Setting(
        "CLIENT_IP_HEADER",
        "",
        "Header carrying the client's address behind a CDN (CloudFront-Viewer-Address); empty: the socket's.",
    ),
    Setting(
        "ORIGIN_SECRET_NAME",
        "",
        "Secrets Manager secret of the origin lock (only CloudFront may call the API); empty: no lock, local use only.",
    ),
    Setting("COOKIE_SECURE", "false", "Mark the voter cookie Secure (true behind HTTPS)."),
    Setting("COOKIE_MAX_AGE_DAYS", "180", "How long the voter cookie lives, in days."),
    Setting("MAX_BODY_BYTES", "16384", "Largest body a resident's request may have (413 above)."),
    Setting("REPORTS_TO_HIDE", "3", "Reports from different residents that hide a comment until staff review it."),
    Setting("COMMENTS_PAGE_SIZE", "20", "Comments in one page of a challenge's comments."),
    Setting(
        "COMMENTS_CACHE_SECONDS", "5", "DynamoDB: seconds a comment page shown to residents may be stale (0: none)."
    ),
    Setting("TALLY_SHARDS", "10", "Counters a DynamoDB tally is spread over (1 to 100); see docs/storage.md."),
    Setting(
        "TALLY_CACHE_SECONDS",
        "2",
        "DynamoDB: seconds a tally shown to residents may be stale (each container reads it again after; 0: no copy).",
    ),
    Setting("EMAIL_RETENTION_DAYS", "183", "Days a proposer's email is kept after the consultation closes."),
    Setting("RATE_LIMIT_WINDOW_SECONDS", "3600", "Length of the window the rate limits below count in."),
    Setting(
        "RATE_LIMIT_BATCH",
        "10",
        "DynamoDB: hits a container counts before writing a rate counter (1: every hit); docs/storage.md.",
    ),
    # A limit per voter cookie and one per address, for each action, within one window.
    *(
        Setting(f"RATE_{action.upper()}_PER_{scope}", str(default), f"{what} {who} may send in one window.")
        for action, what, per_token, per_ip in (
            ("votes", "Votes and withdrawals", 120, 600),
            ("comments", "Comments", 20, 60),
            ("reports", "Reports", 30, 90),
            ("proposals", "Proposals", 5, 20),
        )
        for scope, who, default in (("TOKEN", "a voter cookie", per_token), ("IP", "one address", per_ip))
    ),
    # Verification emails: counted per address to verify (its keyed hash stands where the voter cookie does) and per
    # client address, so that nobody floods one inbox nor sends from one place to many.
    Setting("RATE_VERIFICATIONS_PER_TOKEN", "5", "Verification emails sent to one email address in one window."),
    Setting("RATE_VERIFICATIONS_PER_IP", "30", "Verification emails one client address may ask for in one window."),
    # Sign-ins started at an OpenID provider: each stores a record for OIDC_SIGN_IN_MINUTES and calls the provider.
    Setting("RATE_SIGN_INS_PER_TOKEN", "20", "OpenID sign-ins a voter cookie may start in one window."),
    Setting("RATE_SIGN_INS_PER_IP", "120", "OpenID sign-ins one client address may start in one window."),
    Setting(
        "VERIFIED_SESSION_HOURS",
        "168",
        "Hours a verified session (the dc_verified cookie) lasts before the resident verifies again.",
    ),
    Setting("VERIFY_LINK_MINUTES", "15", "Minutes a verification email's link and code stay valid (single use)."),
    Setting(
        "MAIL",
        "outbox",
        "How verification emails leave: outbox (files in DATA_DIR/outbox, local), smtp (SMTP_HOST) or ses.",
    ),
    Setting("MAIL_FROM", "DataCity <no-reply@datacity.localhost>", "The From of verification emails."),
    Setting("SMTP_HOST", "localhost", "MAIL=smtp: the SMTP server."),
    Setting("SMTP_PORT", "25", "MAIL=smtp: its port (587 with SMTP_STARTTLS, 465 with SMTP_TLS)."),
    Setting("SMTP_STARTTLS", "false", "MAIL=smtp: upgrade the connection with STARTTLS (true for port 587)."),
    Setting("SMTP_TLS", "false", "MAIL=smtp: TLS from the start (true for port 465)."),
    Setting("SMTP_USER", "", "MAIL=smtp: the login, if the server wants one."),
    Setting(
        "SMTP_PASSWORD", "", "MAIL=smtp: its password (set it in the environment, never in a file of the repository)."
    ),
    Setting("SES_CONFIGURATION_SET", "", "MAIL=ses: the SES configuration set to send with (empty: none)."),
    Setting(
        "OUTBOX_PAGE",
        "false",
        "Serve the local outbox at /api/outbox (MAIL=outbox only, for trying the product; never in production).",
    ),
    Setting(
        "STAFF_TOKENS_SECRET", "", "Secrets Manager secret of the staff tokens; empty: DATA_DIR/staff_tokens.json."
    ),
    Setting("STAFF_AUTH", "token", "How staff sign their requests: token (Bearer staff tokens) or iam (SigV4)."),
    Setting("STAFF_IAM_PROGRAMS", "{}", 'With STAFF_AUTH=iam: {"<IAM principal ARN>": ["<program>", ...]} (JSON).'),
    Setting("IMPORT_MAX_BYTES", "5000000", "Largest offline import body, under Lambda's 6 MB request limit."),
    Setting(
        "OIDC_CLIENTS_SECRET",
        "",
        "Secrets Manager secret of the programs' OpenID client secrets; empty: DATA_DIR/oidc_clients.json.",
    ),
    Setting("OIDC_SIGN_IN_MINUTES", "10", "Minutes a resident has to sign in at the OpenID provider and come back."),
)
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    store: str
    data_dir: Path
    table_name: str
    secret_name: str
    catalog_path: Path
    site_origin: str
    api_base: str
    client_ip_header: str
    origin_secret_name: str
    cookie_secure: bool
    cookie_max_age_days: int
    max_body_bytes: int
    reports_to_hide: int
    comments_page_size: int
    comments_cache_seconds: int
    tally_shards: int
    tally_cache_seconds: int
    email_retention_days: int
    rate_limit_window_seconds: int
    rate_limit_batch: int
    staff_tokens_secret: str
    staff_auth: str
    import_max_bytes: int
    verified_session_hours: int
    verify_link_minutes: int
    mail: str
    mail_from: str
    smtp_host: str
    smtp_port: int
    smtp_starttls: bool
    smtp_tls: bool
    smtp_user: str
    smtp_password: str
    ses_configuration_set: str
    outbox_page: bool
    oidc_clients_secret: str
    oidc_sign_in_minutes: int
    # action -> (per token, per hashed IP) within one window: the RATE_<ACTION>_PER_TOKEN / _PER_IP settings.
    rate_limits: dict
    # STAFF_IAM_PROGRAMS, parsed: IAM principal ARN -> programs.
    staff_iam_programs: dict

    @classmethod
    def load(cls, environ: dict | None = None, base_dir: Path | None = None) -> Settings:
        env = os.environ if environ is None else environ
        merged = {name: env.get(name, default) for name, default in DEFAULTS.items()}
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
            name[len("RATE_") : -len("_PER_TOKEN")].lower(): (
                int(merged[name]),
                int(merged[name[: -len("TOKEN")] + "IP"]),
            )
            for name in merged
            if name.startswith("RATE_") and name.endswith("_PER_TOKEN")
        }
        values["site_origin"] = values["site_origin"].rstrip("/")
        values["staff_iam_programs"] = _iam_programs(merged["STAFF_IAM_PROGRAMS"])
        if values["staff_auth"] not in ("token", "iam"):
            raise ValueError(f"STAFF_AUTH must be 'token' or 'iam', not '{values['staff_auth']}'")
        if values["rate_limit_batch"] < 1:
            raise ValueError(f"RATE_LIMIT_BATCH must be 1 or more, not {values['rate_limit_batch']}")
        if values["mail"] not in ("outbox", "smtp", "ses"):
            raise ValueError(f"MAIL must be 'outbox', 'smtp' or 'ses', not '{values['mail']}'")
        if values["outbox_page"] and values["mail"] != "outbox":
            raise ValueError("OUTBOX_PAGE=true needs MAIL=outbox (it shows the local outbox)")
        if values["store"] not in ("sqlite", "dynamodb"):
            raise ValueError(f"STORE must be 'sqlite' or 'dynamodb', not '{values['store']}'")
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
