"""Package one stage (dev or prod) of the whole product into a CloudFormation (SAM) template, offline.

    python -m infra.package --stage prod --out build/infra/prod [--site site] [--region eu-west-3]

1. Fills infra/resources.json (the merge template): the table's keys, attributes and indexes come from
   TABLE_DEFINITION in api/chalicelib/store/dynamodb.py, so code and infrastructure cannot drift; names from the
   stage's environment in api/.chalice/config.json; the security headers of the site and of the API from
   api/chalicelib/security_headers.py (the site's Content-Security-Policy from the built site).
2. Copies api/ into a staging directory with the built site's catalog.json as chalicelib/catalog.json (what the API
   reads in dev and prod: CATALOG_PATH), so the working tree is never touched.
3. Runs `chalice package --stage <stage> --merge-template <filled template> <out>` there.

The output directory then holds sam.json (the template), deployment.zip (the function's code) and
merge-template.json (the filled merge template, for review). Deploy with `aws cloudformation package` and
`aws cloudformation deploy` (docs/operations.md). Chalice's dependency cache is kept in .cache/infra/.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from infra import csp

ROOT = Path(__file__).resolve().parents[1]
API_DIR = ROOT / "api"
MERGE_TEMPLATE = ROOT / "infra" / "resources.json"
INDEX_REWRITE = ROOT / "infra" / "cloudfront" / "index_rewrite.js"
CHALICE_CACHE = ROOT / ".cache" / "infra" / "chalice-deployments"
STAGES = ("dev", "prod")
DEFAULT_REGION = "eu-west-3"

# AWS managed cache policies (the same ids in every account).
CACHE_POLICY_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # Managed-CachingOptimized
CACHE_POLICY_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled

# Request headers the API reads (api/chalicelib/web.py), besides the client-address header of the stage.
API_HEADERS = ["Origin", "Sec-Fetch-Site", "Accept-Language", "Content-Type"]

# TABLE_DEFINITION keys (CreateTable parameters) and the CloudFormation properties they become: same names.
TABLE_PROPERTIES = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "StreamSpecification",
    "TableClass",
)


# Headers CloudFront only sets through SecurityHeadersConfig (never as custom headers).
CLOUDFRONT_SECURITY_HEADERS = {
    "content-security-policy",
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "x-xss-protection",
}


class PackageError(RuntimeError):
    pass


def _api_modules():
    """The API's own modules, imported from api/ (the single source of the table design and cookie name)."""
    if str(API_DIR) not in sys.path:
        sys.path.insert(0, str(API_DIR))
    from chalicelib import identity
    from chalicelib.store import dynamodb

    return dynamodb, identity


def response_headers(csp_value: str) -> tuple[dict, dict]:
    """CloudFront's SecurityHeadersConfig and CustomHeadersConfig for the security headers of a policy (HTTPS).

    The headers are those the local server sends (chalicelib.security_headers.headers); CloudFront wants its
    own security headers in typed fields and refuses them as custom headers, so each is translated here. Every one
    overrides what the origin sent, as the local server does.
    """
    from chalicelib import security_headers

    security: dict[str, Any] = {}
    custom = []
    for name, value in security_headers.headers(csp_value, https=True):
        if name == "Content-Security-Policy":
            security["ContentSecurityPolicy"] = {"ContentSecurityPolicy": value, "Override": True}
        elif name == "X-Content-Type-Options" and value == "nosniff":
            security["ContentTypeOptions"] = {"Override": True}
        elif name == "X-Frame-Options":
            security["FrameOptions"] = {"FrameOption": value, "Override": True}
        elif name == "Referrer-Policy":
            security["ReferrerPolicy"] = {"ReferrerPolicy": value, "Override": True}
        elif name == "X-XSS-Protection" and value == "0":
            security["XSSProtection"] = {"Protection": False, "Override": True}
        elif name == "Strict-Transport-Security":
            parts = [part.strip() for part in value.split(";")]
            if not parts[0].startswith("max-age=") or not set(parts[1:]) <= {"includeSubDomains", "preload"}:
                raise PackageError(f"Strict-Transport-Security {value!r}: CloudFront cannot express it")
            security["StrictTransportSecurity"] = {
                "AccessControlMaxAgeSec": int(parts[0].removeprefix("max-age=")),
                "IncludeSubdomains": "includeSubDomains" in parts,
                "Preload": "preload" in parts,
                "Override": True,
            }
        elif name.lower() in CLOUDFRONT_SECURITY_HEADERS:
            raise PackageError(f"{name}: {value!r} has no CloudFront equivalent in infra/package.py")
        else:
            custom.append({"Header": name, "Value": value, "Override": True})
    return security, {"Items": custom}


def stage_environment(stage: str, config_path: Path = API_DIR / ".chalice" / "config.json") -> dict[str, str]:
    """The environment variables Chalice gives the stage's functions (app-wide ones overridden by the stage's)."""
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if stage not in config.get("stages", {}):
        raise PackageError(f"stage '{stage}' is not in {config_path}")
    return {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}


def check_stage(stage: str, env: dict[str, str]) -> None:
    problems = []
    if env.get("STORE") != "dynamodb":
        problems.append("STORE must be 'dynamodb'")
    for name in ("TABLE_NAME", "SECRET_NAME", "STAFF_TOKENS_SECRET", "CLIENT_IP_HEADER", "SITE_ORIGIN", "CATALOG_PATH"):
        if not env.get(name):
            problems.append(f"{name} must be set")
    if env.get("CATALOG_PATH") and env["CATALOG_PATH"] != "chalicelib/catalog.json":
        problems.append("CATALOG_PATH must be chalicelib/catalog.json (the packaged copy of site/catalog.json)")
    if env.get("SITE_ORIGIN") and not env["SITE_ORIGIN"].startswith("https://"):
        problems.append("SITE_ORIGIN must be an https:// origin")
    if problems:
        raise PackageError(f"stage '{stage}' in api/.chalice/config.json: " + "; ".join(problems))


def placeholders(stage: str, site: Path) -> dict[str, Any]:
    """Every @NAME@ of infra/resources.json and its value for this stage (None: remove the property)."""
    dynamodb, identity = _api_modules()
    env = stage_environment(stage)
    check_stage(stage, env)
    definition = copy.deepcopy(dynamodb.TABLE_DEFINITION)
    unmapped = sorted(set(definition) - set(TABLE_PROPERTIES))
    if unmapped:
        raise PackageError(
            f"TABLE_DEFINITION has {unmapped}, which infra/package.py does not map to the table's CloudFormation "
            "properties: add them to TABLE_PROPERTIES and to DataTable in infra/resources.json"
        )
    indexes = [index["IndexName"] for index in definition.get("GlobalSecondaryIndexes", [])]
    indexes += [index["IndexName"] for index in definition.get("LocalSecondaryIndexes", [])]
    site_security, site_custom = response_headers(csp.site_csp(site))
    api_security, api_custom = response_headers(csp.API_CSP)
    values: dict[str, Any] = {
        "STAGE": stage,
        "TABLE_NAME": env["TABLE_NAME"],
        "SECRET_NAME": env["SECRET_NAME"],
        "STAFF_TOKENS_SECRET": env["STAFF_TOKENS_SECRET"],
        "RETAIN_IN_PROD": "Retain" if stage == "prod" else "Delete",
        "TTL_ATTRIBUTE": dynamodb.TTL_ATTRIBUTE,
        "TABLE_NAME_IN_USE": {"Fn::If": ["CreateTable", {"Ref": "DataTable"}, {"Ref": "ExistingTableName"}]},
        "TABLE_ARN": table_arn(),
        "INDEX_ARNS": [table_arn(f"/index/{name}") for name in indexes] or None,
        "INDEX_REWRITE_CODE": INDEX_REWRITE.read_text(encoding="utf-8"),
        "API_FORWARDED_HEADERS": [env["CLIENT_IP_HEADER"], *API_HEADERS],
        "VOTER_COOKIE": identity.COOKIE_NAME,
        "SITE_SECURITY_HEADERS": site_security,
        "SITE_CUSTOM_HEADERS": site_custom,
        "API_SECURITY_HEADERS": api_security,
        "API_CUSTOM_HEADERS": api_custom,
        "CACHE_POLICY_OPTIMIZED": CACHE_POLICY_OPTIMIZED,
        "CACHE_POLICY_DISABLED": CACHE_POLICY_DISABLED,
    }
    for name in TABLE_PROPERTIES:
        values[f"TABLE_DEFINITION.{name}"] = definition.get(name)
    return values


def table_arn(suffix: str = "") -> dict:
    """The ARN of the table in use: the stack's own, or the existing one named by the ExistingTableName parameter."""
    existing = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${ExistingTableName}"
    return {"Fn::If": ["CreateTable", {"Fn::Sub": "${DataTable.Arn}" + suffix}, {"Fn::Sub": existing + suffix}]}


_DROP = object()


def fill(node: Any, values: dict[str, Any], used: set[str]) -> Any:
    """Replace every "@NAME@" string by its value; a None value removes the key (or list item) holding it."""
    if isinstance(node, str) and len(node) > 2 and node.startswith("@") and node.endswith("@"):
        name = node[1:-1]
        if name not in values:
            raise PackageError(f"infra/resources.json: unknown placeholder {node}")
        used.add(name)
        return _DROP if values[name] is None else copy.deepcopy(values[name])
    if isinstance(node, dict):
        filled = {key: fill(value, values, used) for key, value in node.items()}
        return {key: value for key, value in filled.items() if value is not _DROP}
    if isinstance(node, list):
        return [item for item in (fill(item, values, used) for item in node) if item is not _DROP]
    return node


def render_merge_template(stage: str, site: Path) -> dict:
    """infra/resources.json with every placeholder filled for this stage and this built site."""
    if stage not in STAGES:
        raise PackageError(f"stage must be one of {STAGES}, not '{stage}'")
    values = placeholders(stage, site)
    used: set[str] = set()
    template = fill(json.loads(MERGE_TEMPLATE.read_text(encoding="utf-8")), values, used)
    # A policy statement whose resources were all removed (no index) would be invalid: drop it.
    for policy in template["Resources"]["DefaultRole"]["Properties"]["Policies"]:
        statements = policy["PolicyDocument"]["Statement"]
        policy["PolicyDocument"]["Statement"] = [s for s in statements if "Resource" in s and s["Resource"] != []]
    leftover = json.dumps(template)
    if '"@' in leftover:
        raise PackageError("a placeholder was left in the merge template")
    return template


def _stage_api(workdir: Path, site: Path) -> Path:
    """A copy of api/ with the built site's catalog, and Chalice's dependency cache linked in."""
    src = workdir / "api"
    shutil.copytree(
        API_DIR,
        src,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "deployments", ".data", "catalog.json"),
    )
    shutil.copy2(site / "catalog.json", src / "chalicelib" / "catalog.json")
    CHALICE_CACHE.mkdir(parents=True, exist_ok=True)
    (src / ".chalice" / "deployments").symlink_to(CHALICE_CACHE, target_is_directory=True)
    return src


def chalice_command() -> list[str]:
    beside = Path(sys.executable).parent / "chalice"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("chalice")
    if found:
        return [found]
    raise PackageError("chalice is not installed (pip install -e '.[api]')")


def package(stage: str, out: Path, site: Path, region: str | None = None) -> Path:
    """Write out/sam.json, out/deployment.zip and out/merge-template.json; return the path of sam.json."""
    site, out = Path(site).resolve(), Path(out).resolve()
    if not (site / "catalog.json").is_file():
        raise PackageError(f"{site / 'catalog.json'} is missing: build the site first (make build)")
    merge = render_merge_template(stage, site)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("sam.json", "deployment.zip", "merge-template.json"):
        (out / name).unlink(missing_ok=True)
    merge_path = out / "merge-template.json"
    merge_path.write_text(json.dumps(merge, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    env = {**os.environ, "AWS_DEFAULT_REGION": region or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION}
    with tempfile.TemporaryDirectory(prefix="datacity-package-") as workdir:
        src = _stage_api(Path(workdir), site)
        command = [*chalice_command(), "package", "--stage", stage, "--merge-template", str(merge_path), str(out)]
        done = subprocess.run(command, cwd=src, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise PackageError(f"`chalice package` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    template = out / "sam.json"
    if not template.is_file():
        raise PackageError(f"`chalice package` wrote no {template}")
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Package one stage into a SAM template (offline).")
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--out", type=Path, required=True, help="output directory (e.g. build/infra/prod)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument(
        "--region", help=f"AWS_DEFAULT_REGION for chalice (default: the environment's, or {DEFAULT_REGION})"
    )
    parser.add_argument("--template-only", action="store_true", help="only write the filled merge template")
    args = parser.parse_args(argv)
    try:
        if args.template_only:
            args.out.mkdir(parents=True, exist_ok=True)
            merge = render_merge_template(args.stage, args.site)
            path = args.out / "merge-template.json"
            path.write_text(json.dumps(merge, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            path = package(args.stage, args.out, args.site, args.region)
    except (PackageError, csp.CspError) as error:
        print(f"infra.package: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
