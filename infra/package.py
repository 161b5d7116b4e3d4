"""Package one stage (dev or prod) of the whole product into a CloudFormation (SAM) template, offline.

    python -m infra.package --stage prod --out build/infra/prod [--site site] [--region eu-west-3]

1. Fills infra/resources.json (the merge template): the table's keys, attributes and indexes come from
   TABLE_DEFINITION in api/chalicelib/adapters/dynamodb/table.py, so code and infrastructure cannot drift; names from the
   stage's environment in api/.chalice/config.json; the security headers of the site and of the API from
   api/chalicelib/web/security_headers.py (the site's Content-Security-Policy from the built site).
2. Copies api/ into a staging directory with the built site's catalog.json as chalicelib/catalog.json (what the API
   reads in dev and prod: CATALOG_PATH), so the working tree is never touched. The function's dependencies are the
   Lambda platform's wheels of requirements/lambda.txt, downloaded with --require-hashes (so every file is the one
   locked) and unpacked into the copy's vendor/, which Chalice ships as is: Chalice's own download checks no hash.
3. Runs `chalice package --stage <stage> --merge-template <filled template> <out>` there.

4. Fills infra/edge.json, the stage's edge stack for us-east-1 (the AWS WAF web ACL of the distribution and its
   alarms: CloudFront takes web ACLs from that region only), into edge.json.

The output directory then holds sam.json (the template), deployment.zip (the function's code), edge.json and
merge-template.json (the filled merge template, for review). Deploy the edge stack first, then the main one, with
`aws cloudformation package` and `aws cloudformation deploy` (docs/operations.md). Chalice's dependency cache is kept
in .cache/infra/.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from infra import csp

ROOT = Path(__file__).resolve().parents[1]
API_DIR = ROOT / "api"
MERGE_TEMPLATE = ROOT / "infra" / "resources.json"
INDEX_REWRITE = ROOT / "infra" / "cloudfront" / "index_rewrite.js"
STAFF_REWRITE = ROOT / "infra" / "cloudfront" / "staff_rewrite.js"
EDGE_TEMPLATE = ROOT / "infra" / "edge.json"
RATE_LIMITED_PAGE = ROOT / "infra" / "waf" / "rate-limited.html"
CHALICE_CONFIG = API_DIR / ".chalice" / "config.json"
CHALICE_CACHE = ROOT / ".cache" / "infra" / "chalice-deployments"
LAMBDA_LOCK = ROOT / "requirements" / "lambda.txt"
WHEELS_CACHE = ROOT / ".cache" / "infra" / "lambda-wheels"
# The platform of Chalice's Lambda functions (x86_64, Amazon Linux 2 or newer: glibc 2.17 wheels run there).
LAMBDA_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64")
STAGES = ("dev", "prod")
DEFAULT_REGION = "eu-west-3"

# The alias SAM publishes on each deploy (AutoPublishAlias), which the forms' function URL points at: a function
# has one URL per qualifier, and the forms' URL (AuthType NONE) must be another than CloudFront's signed one.
FORMS_ALIAS = "live"
# What Chalice's template holds for API Gateway, replaced by the function URLs of infra/resources.json.
REST_API_RESOURCES = ("RestAPI", "APIHandlerInvokePermission")
REST_API_OUTPUTS = ("RestAPIId", "EndpointURL")

# AWS managed cache policies (the same ids in every account).
CACHE_POLICY_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # Managed-CachingOptimized
CACHE_POLICY_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # Managed-CachingDisabled

# Request headers the API reads (api/chalicelib/web/call.py), besides the client-address header of the stage.
API_HEADERS = ["Origin", "Sec-Fetch-Site", "Accept-Language", "Content-Type"]

# The edge stack's web ACL (infra/edge.json) and its rules' metric names, as the dashboard reads them (us-east-1).
WEB_ACL_NAME = "datacity-{stage}"
WAF_RULES = ("IpReputation", "RequestsPerIp", "ApiWritesPerIp", "KnownBadInputs", "CommonRules")
# A CloudWatch alarm may combine at most 10 metrics and expressions.
ALARM_METRICS_MAX = 10

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
    from chalicelib.adapters import dynamodb
    from chalicelib.identity import rules as identity

    return dynamodb, identity


def response_headers(csp_value: str) -> tuple[dict, dict]:
    """CloudFront's SecurityHeadersConfig and CustomHeadersConfig for the security headers of a policy (HTTPS).

    The headers are those the local server sends (chalicelib.web.security_headers.headers); CloudFront wants its
    own security headers in typed fields and refuses them as custom headers, so each is translated here. Every one
    overrides what the origin sent, as the local server does.
    """
    from chalicelib.web import security_headers

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


def function_url_events():
    """The API's function URL adapter (its path prefixes), imported from api/ like the modules above."""
    _api_modules()
    from chalicelib.web import function_url

    return function_url


def _origin_lock():
    """The API's origin lock (header name), imported from api/ like the modules above."""
    _api_modules()
    from chalicelib import origin_lock

    return origin_lock


def chalice_setting(stage: str, name: str, config_path: Path = CHALICE_CONFIG) -> Any:
    """A Chalice setting (e.g. lambda_timeout) for the stage: the stage's own value, else the app-wide one."""
    config = json.loads(config_path.read_text(encoding="utf-8"))
    return config.get("stages", {}).get(stage, {}).get(name, config.get(name))


def stage_environment(stage: str, config_path: Path = CHALICE_CONFIG) -> dict[str, str]:
    """The environment variables Chalice gives the stage's functions (app-wide ones overridden by the stage's)."""
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if stage not in config.get("stages", {}):
        raise PackageError(f"stage '{stage}' is not in {config_path}")
    return {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}


def check_stage(stage: str, env: dict[str, str]) -> None:
    problems = []
    if env.get("STORE") != "dynamodb":
        problems.append("STORE must be 'dynamodb'")
    required = ("TABLE_NAME", "SECRET_NAME", "STAFF_TOKENS_SECRET", "OIDC_CLIENTS_SECRET", "CLIENT_IP_HEADER")
    for name in (*required, "SITE_ORIGIN", "CATALOG_PATH"):
        if not env.get(name):
            problems.append(f"{name} must be set")
    if env.get("CATALOG_PATH") and env["CATALOG_PATH"] != "chalicelib/catalog.json":
        problems.append("CATALOG_PATH must be chalicelib/catalog.json (the packaged copy of site/catalog.json)")
    if env.get("SITE_ORIGIN") and not env["SITE_ORIGIN"].startswith("https://"):
        problems.append("SITE_ORIGIN must be an https:// origin")
    if env.get("STAFF_AUTH", "token") != "token":
        # The function URLs have no authorizer: API Gateway checked STAFF_AUTH=iam's signatures, nothing would now.
        problems.append("STAFF_AUTH must be 'token' (the function URLs cannot check SigV4-signed staff requests)")
    if problems:
        raise PackageError(f"stage '{stage}' in api/.chalice/config.json: " + "; ".join(problems))


def placeholders(stage: str, site: Path) -> dict[str, Any]:
    """Every @NAME@ of infra/resources.json and its value for this stage (None: remove the property)."""
    dynamodb, identity = _api_modules()
    from chalicelib.console import rules as console_rules
    from chalicelib.verification import rules as verification_rules

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
    api_stage = chalice_setting(stage, "api_gateway_stage")
    if f"/{api_stage}" != function_url_events().API_PREFIX:
        raise PackageError(
            f"api_gateway_stage '{api_stage}' in api/.chalice/config.json: the site calls the API under "
            f"{function_url_events().API_PREFIX}/ (chalicelib/web/function_url.py API_PREFIX); keep them equal"
        )
    timeout_s = int(chalice_setting(stage, "lambda_timeout") or 60)
    site_security, site_custom = response_headers(csp.site_csp(site))
    api_security, api_custom = response_headers(csp.API_CSP)
    console_security, console_custom = response_headers(csp.CONSOLE_CSP)
    values: dict[str, Any] = {
        "STAGE": stage,
        "ORIGIN_SECRET_NAME": f"{env['SECRET_NAME']}/origin-verify",
        "FORMS_ALIAS": FORMS_ALIAS,
        "FORMS_ALIAS_RESOURCE": f"APIHandlerAlias{FORMS_ALIAS}",
        "API_ORIGIN_CONFIG": {
            "OriginProtocolPolicy": "https-only",
            "HTTPSPort": 443,
            "OriginSSLProtocols": ["TLSv1.2"],
            "OriginReadTimeout": 30,
            "OriginKeepaliveTimeout": 5,
        },
        "API_ORIGIN_HEADERS": [
            {
                "HeaderName": _origin_lock().HEADER,
                "HeaderValue": {
                    "Fn::If": [
                        "HasOriginSecretVersion",
                        {
                            "Fn::Sub": "{{resolve:secretsmanager:${OriginSecret}:SecretString:current::${OriginSecretVersion}}}"
                        },
                        {"Fn::Sub": "{{resolve:secretsmanager:${OriginSecret}:SecretString:current}}"},
                    ]
                },
            }
        ],
        "METRIC_NAMESPACE": metric_namespace(stage),
        "LATENCY_ALARM_MS": timeout_s * 800,
        "TABLE_THROTTLE_METRICS": table_throttle_metrics(definition),
        "DASHBOARD_BODY": dashboard_body(stage, definition),
        "TABLE_NAME": env["TABLE_NAME"],
        "SECRET_NAME": env["SECRET_NAME"],
        "STAFF_TOKENS_SECRET": env["STAFF_TOKENS_SECRET"],
        "OIDC_CLIENTS_SECRET": env["OIDC_CLIENTS_SECRET"],
        "RETAIN_IN_PROD": "Retain" if stage == "prod" else "Delete",
        "TTL_ATTRIBUTE": dynamodb.TTL_ATTRIBUTE,
        "TABLE_NAME_IN_USE": {"Fn::If": ["CreateTable", {"Ref": "DataTable"}, {"Ref": "ExistingTableName"}]},
        "TABLE_ARN": table_arn(),
        "INDEX_ARNS": [table_arn(f"/index/{name}") for name in indexes] or None,
        "INDEX_REWRITE_CODE": INDEX_REWRITE.read_text(encoding="utf-8"),
        "STAFF_REWRITE_CODE": STAFF_REWRITE.read_text(encoding="utf-8"),
        "CONSOLE_COOKIES": [console_rules.COOKIE_NAME, console_rules.PRE_COOKIE_NAME],
        "API_FORWARDED_HEADERS": [env["CLIENT_IP_HEADER"], *API_HEADERS],
        "VOTER_COOKIE": identity.COOKIE_NAME,
        "VERIFIED_COOKIE": verification_rules.SESSION_COOKIE,
        "MAIL_IDENTITY": urlsplit(env["SITE_ORIGIN"]).hostname,
        "MAIL_FROM": f"DataCity <no-reply@{urlsplit(env['SITE_ORIGIN']).hostname}>",
        "SITE_SECURITY_HEADERS": site_security,
        "SITE_CUSTOM_HEADERS": site_custom,
        "API_SECURITY_HEADERS": api_security,
        "API_CUSTOM_HEADERS": api_custom,
        "CONSOLE_SECURITY_HEADERS": console_security,
        "CONSOLE_CUSTOM_HEADERS": console_custom,
        "CACHE_POLICY_OPTIMIZED": CACHE_POLICY_OPTIMIZED,
        "CACHE_POLICY_DISABLED": CACHE_POLICY_DISABLED,
    }
    for name in TABLE_PROPERTIES:
        values[f"TABLE_DEFINITION.{name}"] = definition.get(name)
    return values


def metric_namespace(stage: str) -> str:
    """Where the metric filters on the API's structured logs put their counts."""
    return f"DataCity/{stage}"


def _table_indexes(definition: dict) -> list[str]:
    return [index["IndexName"] for index in definition.get("GlobalSecondaryIndexes", [])]


def table_throttle_metrics(definition: dict) -> list[dict]:
    """The table-throttles alarm: read and write throttle events of the table and of each global index, summed."""
    table = "@TABLE_NAME_IN_USE@"
    scopes = [[{"Name": "TableName", "Value": table}]]
    scopes += [
        [{"Name": "TableName", "Value": table}, {"Name": "GlobalSecondaryIndexName", "Value": name}]
        for name in _table_indexes(definition)
    ]
    metrics = []
    for n, dimensions in enumerate(scopes):
        for kind in ("Read", "Write"):
            metrics.append(
                {
                    "Id": f"{kind.lower()}{n}",
                    "ReturnData": False,
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/DynamoDB",
                            "MetricName": f"{kind}ThrottleEvents",
                            "Dimensions": copy.deepcopy(dimensions),
                        },
                        "Period": 60,
                        "Stat": "Sum",
                    },
                }
            )
    if len(metrics) + 1 > ALARM_METRICS_MAX:
        raise PackageError(
            f"the table has {len(scopes) - 1} global indexes: the table-throttles alarm would combine {len(metrics)} "
            f"metrics, over CloudWatch's {ALARM_METRICS_MAX}; split it in infra/package.py (table_throttle_metrics)"
        )
    ids = ", ".join(metric["Id"] for metric in metrics)
    metrics.append(
        {"Id": "throttled", "Label": "Throttled requests", "ReturnData": True, "Expression": f"SUM([{ids}])"}
    )
    return metrics


ALARMS = (
    "api-5xx",
    "api-latency",
    "api-function-errors",
    "api-function-throttles",
    "housekeeping-errors",
    "table-throttles",
    "direct-access",
)


def dashboard_body(stage: str, definition: dict) -> dict:
    """The stage's CloudWatch dashboard, as a Fn::Sub of its JSON body (names known only once the stack exists)."""
    handler = ["FunctionName", "${APIHandler}"]
    table = ["TableName", "${TableName}"]
    web_acl = WEB_ACL_NAME.format(stage=stage)
    namespace = metric_namespace(stage)

    def widget(title: str, metrics: list, x: int, y: int, region: str = "${AWS::Region}", **extra) -> dict:
        properties = {"title": title, "region": region, "metrics": metrics, "view": "timeSeries", "period": 300}
        properties.update(extra)
        return {"type": "metric", "x": x, "y": y, "width": 12, "height": 6, "properties": properties}

    alarm_arns = [
        f"arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:datacity-{stage}-{a}"
        for a in ALARMS
    ]
    widgets = [
        {
            "type": "text",
            "x": 0,
            "y": 0,
            "width": 12,
            "height": 6,
            "properties": {
                "markdown": f"## DataCity {stage}\n\nWhat each alarm means and what to do: `docs/operations.md`, "
                "section *Alarms*. The WAF and CloudFront graphs come from us-east-1, where their metrics live; "
                f"the WAF alarms are in the edge stack `datacity-{stage}-edge` there."
            },
        },
        {
            "type": "alarm",
            "x": 12,
            "y": 0,
            "width": 12,
            "height": 6,
            "properties": {"title": "Alarms", "alarms": alarm_arns},
        },
        widget(
            "API answers (the function URLs)",
            [
                ["AWS/Lambda", "UrlRequestCount", *handler, {"stat": "Sum", "label": "requests"}],
                ["AWS/Lambda", "Url4xxCount", *handler, {"stat": "Sum", "label": "4xx"}],
                ["AWS/Lambda", "Url5xxCount", *handler, {"stat": "Sum", "label": "5xx"}],
            ],
            0,
            6,
        ),
        widget(
            "API latency (ms)",
            [
                ["AWS/Lambda", "UrlRequestLatency", *handler, {"stat": "p50", "label": "p50"}],
                ["AWS/Lambda", "UrlRequestLatency", *handler, {"stat": "p99", "label": "p99"}],
                ["AWS/Lambda", "Duration", *handler, {"stat": "p99", "label": "function p99"}],
            ],
            12,
            6,
        ),
        widget(
            "API function (Lambda)",
            [
                ["AWS/Lambda", "Invocations", *handler, {"stat": "Sum"}],
                ["AWS/Lambda", "Errors", *handler, {"stat": "Sum"}],
                ["AWS/Lambda", "Throttles", *handler, {"stat": "Sum"}],
                ["AWS/Lambda", "ConcurrentExecutions", *handler, {"stat": "Maximum", "yAxis": "right"}],
            ],
            0,
            12,
        ),
        widget(
            "Housekeeping (hourly)",
            [
                ["AWS/Lambda", "Invocations", "FunctionName", "${Housekeeping}", {"stat": "Sum"}],
                ["AWS/Lambda", "Errors", "FunctionName", "${Housekeeping}", {"stat": "Sum"}],
            ],
            12,
            12,
            period=3600,
        ),
        widget(
            "DynamoDB capacity used (units per 5 min)",
            [
                ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", *table, {"stat": "Sum", "label": "write units"}],
                ["AWS/DynamoDB", "ConsumedReadCapacityUnits", *table, {"stat": "Sum", "label": "read units"}],
            ],
            0,
            18,
        ),
        widget(
            "DynamoDB throttles, conflicts, errors",
            [
                ["AWS/DynamoDB", "ReadThrottleEvents", *table, {"stat": "Sum"}],
                ["AWS/DynamoDB", "WriteThrottleEvents", *table, {"stat": "Sum"}],
                *(
                    ["AWS/DynamoDB", f"{kind}ThrottleEvents", *table, "GlobalSecondaryIndexName", name, {"stat": "Sum"}]
                    for name in _table_indexes(definition)
                    for kind in ("Read", "Write")
                ),
                ["AWS/DynamoDB", "TransactionConflict", *table, {"stat": "Sum"}],
                ["AWS/DynamoDB", "SystemErrors", *table, {"stat": "Sum"}],
            ],
            12,
            18,
        ),
        widget(
            "Refusals and errors logged by the API",
            [
                [namespace, "DirectAccessRefused", {"stat": "Sum", "label": "not through CloudFront (403)"}],
                [namespace, "RateLimited", {"stat": "Sum", "label": "rate-limited by the API (429)"}],
                [namespace, "ErrorsLogged", {"stat": "Sum", "label": "errors logged"}],
            ],
            0,
            24,
        ),
        widget(
            "AWS WAF: blocked requests by rule (us-east-1)",
            [
                ["AWS/WAFV2", "AllowedRequests", "WebACL", web_acl, "Rule", "ALL", {"stat": "Sum", "yAxis": "right"}],
                *(
                    ["AWS/WAFV2", "BlockedRequests", "WebACL", web_acl, "Rule", rule, {"stat": "Sum"}]
                    for rule in WAF_RULES
                ),
            ],
            12,
            24,
            region="us-east-1",
        ),
        widget(
            "CloudFront (us-east-1)",
            [
                [
                    "AWS/CloudFront",
                    "Requests",
                    "Region",
                    "Global",
                    "DistributionId",
                    "${Distribution}",
                    {"stat": "Sum", "yAxis": "right"},
                ],
                [
                    "AWS/CloudFront",
                    "4xxErrorRate",
                    "Region",
                    "Global",
                    "DistributionId",
                    "${Distribution}",
                    {"stat": "Average"},
                ],
                [
                    "AWS/CloudFront",
                    "5xxErrorRate",
                    "Region",
                    "Global",
                    "DistributionId",
                    "${Distribution}",
                    {"stat": "Average"},
                ],
            ],
            0,
            30,
            region="us-east-1",
        ),
    ]
    body = json.dumps({"widgets": widgets}, ensure_ascii=False)
    return {"Fn::Sub": [body, {"TableName": "@TABLE_NAME_IN_USE@"}]}


def render_edge_template(stage: str) -> dict:
    """infra/edge.json filled for this stage: the web ACL, its rate-limited page, its alarms."""
    if stage not in STAGES:
        raise PackageError(f"stage must be one of {STAGES}, not '{stage}'")
    page = RATE_LIMITED_PAGE.read_text(encoding="utf-8")
    # AWS WAF's limit for one custom response body.
    if len(page.encode("utf-8")) > 4096:
        raise PackageError(f"{RATE_LIMITED_PAGE} is over AWS WAF's 4 KB for a custom response body")
    values = {"STAGE": stage, "RATE_LIMITED_HTML": page}
    template = fill(json.loads(EDGE_TEMPLATE.read_text(encoding="utf-8")), values, set())
    if '"@' in json.dumps(template):
        raise PackageError("a placeholder was left in the edge template")
    return template


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
    # Generated values may hold placeholders of their own (the table in use): fill those first.
    for name in ("TABLE_THROTTLE_METRICS", "DASHBOARD_BODY"):
        values[name] = fill(values[name], values, set())
    template = fill(json.loads(MERGE_TEMPLATE.read_text(encoding="utf-8")), values, used)
    # A policy statement whose resources were all removed (no index) would be invalid: drop it.
    for policy in template["Resources"]["DefaultRole"]["Properties"]["Policies"]:
        statements = policy["PolicyDocument"]["Statement"]
        policy["PolicyDocument"]["Statement"] = [s for s in statements if "Resource" in s and s["Resource"] != []]
    leftover = json.dumps(template)
    if '"@' in leftover:
        raise PackageError("a placeholder was left in the merge template")
    return template


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def lambda_wheels(lock: Path = LAMBDA_LOCK, cache: Path = WHEELS_CACHE) -> list[Path]:
    """The Lambda platform's wheel of every pin of the lock, downloaded once and checked against its hashes."""
    python = f"{sys.version_info.major}{sys.version_info.minor}"
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--require-hashes"]
    command += ["--no-deps", "--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    for platform in LAMBDA_PLATFORMS:
        command += ["--platform", platform]
    for abi in (f"cp{python}", "abi3", "none"):
        command += ["--abi", abi]
    command += ["-r", str(lock), "-d", str(cache)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise PackageError(f"the function's locked dependencies ({lock}) did not download:\n{done.stderr[-3000:]}")
    wheels = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and "==" in line and not line.startswith("#"):
            name, version = line.split(";")[0].split("\\")[0].strip().split("==")
            prefix = f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-"
            found = sorted(w for w in cache.glob("*.whl") if w.name.lower().startswith(prefix))
            if not found:
                raise PackageError(f"no Lambda wheel of {name}=={version} in {cache}")
            wheels.append(found[-1])
    return wheels


def _stage_api(workdir: Path, site: Path) -> Path:
    """A copy of api/ with the built site's catalog, its locked dependencies vendored, Chalice's cache linked in."""
    src = workdir / "api"
    shutil.copytree(
        API_DIR,
        src,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "deployments", ".data", "catalog.json"),
    )
    shutil.copy2(site / "catalog.json", src / "chalicelib" / "catalog.json")
    vendor = src / "vendor"
    vendor.mkdir(exist_ok=True)
    for wheel in lambda_wheels():
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(vendor)
    (src / "requirements.txt").write_text(
        "# Vendored by infra/package.py from requirements/lambda.txt (hash-checked): nothing for Chalice to fetch.\n",
        encoding="utf-8",
    )
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
    for name in ("sam.json", "deployment.zip", "merge-template.json", "edge.json"):
        (out / name).unlink(missing_ok=True)
    write_json(out / "edge.json", render_edge_template(stage))
    merge_path = out / "merge-template.json"
    write_json(merge_path, merge)
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
    write_json(template, without_rest_api(json.loads(template.read_text(encoding="utf-8"))))
    return template


def without_rest_api(template: dict) -> dict:
    """Chalice's template without its API Gateway REST API: CloudFront calls the function URLs instead.

    Chalice always generates the REST API (RestAPI, with its OpenAPI definition) and API Gateway's permission
    to invoke the function; the merge template cannot delete resources, so they are taken out here, with the
    outputs that name them. Everything else Chalice generated (the functions, their role, the schedule) stays.
    """
    resources = template["Resources"]
    missing = [name for name in REST_API_RESOURCES if name not in resources]
    if missing:
        raise PackageError(f"`chalice package` no longer writes {missing}: check infra/package.py without_rest_api")
    for name in REST_API_RESOURCES:
        del resources[name]
    for name in REST_API_OUTPUTS:
        template.get("Outputs", {}).pop(name, None)
    leftover = [name for name, resource in resources.items() if resource["Type"].startswith("AWS::ApiGateway::")]
    leftover += [name for name, resource in resources.items() if resource["Type"] == "AWS::Serverless::Api"]
    if leftover or "RestAPI" in json.dumps(template):
        raise PackageError(f"the template still refers to API Gateway ({leftover or 'RestAPI'})")
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Package one stage into a SAM template (offline).")
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--out", type=Path, required=True, help="output directory (e.g. build/infra/prod)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: site/)")
    parser.add_argument(
        "--region", help=f"AWS_DEFAULT_REGION for chalice (default: the environment's, or {DEFAULT_REGION})"
    )
    parser.add_argument(
        "--template-only", action="store_true", help="only write the filled merge template and the edge template"
    )
    args = parser.parse_args(argv)
    try:
        if args.template_only:
            args.out.mkdir(parents=True, exist_ok=True)
            write_json(args.out / "edge.json", render_edge_template(args.stage))
            path = args.out / "merge-template.json"
            write_json(path, render_merge_template(args.stage, args.site))
        else:
            path = package(args.stage, args.out, args.site, args.region)
    except (PackageError, csp.CspError) as error:
        print(f"infra.package: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
