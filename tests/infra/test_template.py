"""The packaged templates (dev and prod) say what the code needs, and no more.

Everything the code defines is read from the code at test time (TABLE_DEFINITION, TTL_ATTRIBUTE, the cookie name,
the stage's environment), never copied here.
"""

from __future__ import annotations

import ast
import json
import re
import zipfile
from pathlib import Path

import pytest

from chalicelib.adapters import dynamodb
from chalicelib.identity import rules as identity
from chalicelib.verification import rules as verification
from chalicelib.web.function_url import API_PREFIX, FORM_PREFIX
from infra import package as infra_package

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
STORE_SOURCES = sorted((ROOT / "api" / "chalicelib" / "adapters" / "dynamodb").glob("*.py"))

# The DynamoDB actions the function may ever need: what each low-level client call requires in IAM.
# TransactWriteItems is not an IAM action: its Put / Update / Delete / ConditionCheck parts are authorised as
# PutItem / UpdateItem / DeleteItem / ConditionCheckItem.
CALL_TO_ACTIONS = {
    "get_item": {"dynamodb:GetItem"},
    "batch_get_item": {"dynamodb:BatchGetItem"},
    "query": {"dynamodb:Query"},
    "put_item": {"dynamodb:PutItem"},
    "update_item": {"dynamodb:UpdateItem"},
    "delete_item": {"dynamodb:DeleteItem"},
    "transact_write_items": {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
    },
}
ALLOWED_DYNAMODB = set().union(*CALL_TO_ACTIONS.values())


def resources(template: dict, kind: str) -> dict:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def only(template: dict, kind: str) -> dict:
    found = resources(template, kind)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return next(iter(found.values()))


def functions(template: dict) -> dict:
    return resources(template, "AWS::Serverless::Function")


def role_statements(template: dict) -> list[dict]:
    role = template["Resources"]["DefaultRole"]
    return [s for policy in role["Properties"]["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def client_calls() -> set[str]:
    """The low-level DynamoDB client methods the store calls (self.client.<method>(...))."""
    calls = set()
    for source in STORE_SOURCES:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Attribute) and owner.attr == "client":
                    calls.add(node.func.attr)
                # Table._call("<operation>", ...): a client call named by its first argument.
                if node.func.attr == "_call" and node.args and isinstance(node.args[0], ast.Constant):
                    calls.add(node.args[0].value)
    assert calls, "no client call found: has the DynamoDB adapter moved?"
    return calls


# --- The table -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_table_is_generated_from_table_definition(templates, stage):
    table = only(templates[stage], "AWS::DynamoDB::Table")["Properties"]
    for name, value in dynamodb.TABLE_DEFINITION.items():
        assert table[name] == value, f"{name} differs from TABLE_DEFINITION"
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"] == {"AttributeName": dynamodb.TTL_ATTRIBUTE, "Enabled": True}
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert table["DeletionProtectionEnabled"] == {"Fn::If": ["IsProd", True, False]}
    assert templates[stage]["Resources"]["DataTable"]["Condition"] == "CreateTable"
    assert templates[stage]["Conditions"]["CreateTable"] == {"Fn::Equals": [{"Ref": "ExistingTableName"}, ""]}


def test_prod_keeps_its_data_and_dev_does_not(templates):
    assert templates["prod"]["Parameters"]["Stage"]["Default"] == "prod"
    assert templates["dev"]["Parameters"]["Stage"]["Default"] == "dev"
    for name in ("DataTable", "SiteBucket"):
        assert templates["prod"]["Resources"][name]["DeletionPolicy"] == "Retain"
        assert templates["prod"]["Resources"][name]["UpdateReplacePolicy"] == "Retain"
        assert templates["dev"]["Resources"][name]["DeletionPolicy"] == "Delete"
    for stage in ("dev", "prod"):
        assert templates[stage]["Resources"]["AppSecret"]["DeletionPolicy"] == "Retain"
        assert templates[stage]["Resources"]["StaffTokensSecret"]["DeletionPolicy"] == "Retain"
        assert templates[stage]["Resources"]["OidcClientsSecret"]["DeletionPolicy"] == "Retain"
        assert templates[stage]["Conditions"]["IsProd"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_functions_are_configured_for_the_resources_of_their_stack(templates, stage):
    template = templates[stage]
    env = infra_package.stage_environment(stage)
    table = only(template, "AWS::DynamoDB::Table")["Properties"]
    secrets = resources(template, "AWS::SecretsManager::Secret")
    # OriginSecret: tests/infra/test_protection.py.
    assert set(secrets) == {"AppSecret", "StaffTokensSecret", "OidcClientsSecret", "OriginSecret"}
    secret = secrets["AppSecret"]["Properties"]
    staff_tokens = secrets["StaffTokensSecret"]["Properties"]
    oidc_clients = secrets["OidcClientsSecret"]["Properties"]
    for created_empty in (
        secret,
        staff_tokens,
        oidc_clients,
    ):  # filled by infra.secret init / datacity staff-token create
        assert "SecretString" not in created_empty and "GenerateSecretString" not in created_empty
    assert set(functions(template)) == {"APIHandler", "Housekeeping"}
    for name, function in functions(template).items():
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["STORE"] == "dynamodb"
        # The stack's own table (named TABLE_NAME of the stage), or an existing one after a restore.
        assert variables["TABLE_NAME"] == {
            "Fn::If": ["CreateTable", {"Ref": "DataTable"}, {"Ref": "ExistingTableName"}]
        }
        assert table["TableName"] == env["TABLE_NAME"], name
        assert variables["SECRET_NAME"] == secret["Name"] == env["SECRET_NAME"], name
        assert variables["STAFF_TOKENS_SECRET"] == staff_tokens["Name"] == env["STAFF_TOKENS_SECRET"], name
        assert variables["OIDC_CLIENTS_SECRET"] == oidc_clients["Name"] == env["OIDC_CLIENTS_SECRET"], name
        assert len({staff_tokens["Name"], secret["Name"], oidc_clients["Name"]}) == 3
        assert variables["CATALOG_PATH"] == "chalicelib/catalog.json"
        assert function["Properties"]["Role"] == {"Fn::GetAtt": ["DefaultRole", "Arn"]}
        logging = function["Properties"]["LoggingConfig"]
        assert "LogGroup" in logging
        # One JSON object per line: the metric filters read its fields (docs/operations.md, "Logs").
        assert logging["LogFormat"] == "JSON" and logging["ApplicationLogLevel"] == "INFO"
    assert template["Resources"]["Housekeeping"]["Properties"]["Events"]["HousekeepingEvent"]["Type"] == "Schedule"
    assert template["Resources"]["Housekeeping"]["Properties"]["ReservedConcurrentExecutions"] == 1


def test_the_package_carries_the_sites_catalog(packaged, infra_site):
    with zipfile.ZipFile(packaged["prod"] / "deployment.zip") as archive:
        shipped = json.loads(archive.read("chalicelib/catalog.json"))
        names = set(archive.namelist())
    assert shipped == json.loads((infra_site / "catalog.json").read_text(encoding="utf-8"))
    assert "app.py" in names and "chalicelib/adapters/dynamodb/__init__.py" in names


# --- IAM -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_only_role_is_the_functions_least_privilege_role(templates, stage):
    template = templates[stage]
    roles = resources(template, "AWS::IAM::Role")
    assert set(roles) == {"DefaultRole"}
    assert not resources(template, "AWS::IAM::Policy") and not resources(template, "AWS::IAM::ManagedPolicy")
    properties = roles["DefaultRole"]["Properties"]
    assert "ManagedPolicyArns" not in properties
    # The bootstrap's application boundary caps the role even if its own policy grew (infra/bootstrap.json).
    assert properties["PermissionsBoundary"] == {
        "Fn::If": ["HasPermissionsBoundary", {"Ref": "PermissionsBoundaryArn"}, {"Ref": "AWS::NoValue"}]
    }
    assert properties["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_iam_policy_names_only_the_table_its_indexes_the_secret_and_the_log_groups(templates, stage):
    statements = role_statements(templates[stage])
    index_names = [i["IndexName"] for i in dynamodb.TABLE_DEFINITION.get("GlobalSecondaryIndexes", [])]
    allowed = [
        infra_package.table_arn(),
        *(infra_package.table_arn(f"/index/{name}") for name in index_names),
        {"Ref": "AppSecret"},
        {"Ref": "StaffTokensSecret"},
        {"Ref": "OidcClientsSecret"},
        {"Ref": "OriginSecret"},
        {"Fn::GetAtt": ["ApiHandlerLogGroup", "Arn"]},
        {"Fn::GetAtt": ["HousekeepingLogGroup", "Arn"]},
        SENDER_ARN,
    ]
    for statement in statements:
        assert statement["Effect"] == "Allow"
        assert "NotAction" not in statement and "NotResource" not in statement
        for resource in as_list(statement["Resource"]):
            assert resource in allowed, f"{statement.get('Sid')}: unexpected resource {resource}"
            assert "*" not in json.dumps(resource)
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
    by_sid = {s["Sid"]: s for s in statements}
    assert as_list(by_sid["TableItems"]["Resource"]) == [infra_package.table_arn()]
    assert infra_package.table_arn() == {
        "Fn::If": [
            "CreateTable",
            {"Fn::Sub": "${DataTable.Arn}"},
            {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${ExistingTableName}"},
        ]
    }
    assert as_list(by_sid["IndexQueries"]["Action"]) == ["dynamodb:Query"]
    assert as_list(by_sid["IndexQueries"]["Resource"]) == allowed[1 : 1 + len(index_names)]
    assert as_list(by_sid["Keys"]["Action"]) == ["secretsmanager:GetSecretValue"]
    assert as_list(by_sid["Keys"]["Resource"]) == [{"Ref": "AppSecret"}]
    # The staff tokens: read, and written by the console's Staff tokens page (a new version, never a new secret, never
    # a deletion), that secret only.
    assert as_list(by_sid["StaffTokens"]["Action"]) == [
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
    ]
    assert as_list(by_sid["StaffTokens"]["Resource"]) == [{"Ref": "StaffTokensSecret"}]
    # The OpenID client secrets: read only, that secret only (an operator writes them).
    assert as_list(by_sid["OidcClients"]["Action"]) == ["secretsmanager:GetSecretValue"]
    assert as_list(by_sid["OidcClients"]["Resource"]) == [{"Ref": "OidcClientsSecret"}]
    assert as_list(by_sid["OriginLock"]["Action"]) == ["secretsmanager:GetSecretValue"]
    assert as_list(by_sid["OriginLock"]["Resource"]) == [{"Ref": "OriginSecret"}]
    secret_actions = {a for s in statements for a in as_list(s["Action"]) if a.startswith("secretsmanager:")}
    assert secret_actions == {"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"}
    writers = [s["Sid"] for s in statements if "secretsmanager:PutSecretValue" in as_list(s["Action"])]
    assert writers == ["StaffTokens"]  # the keys and the origin secret stay read-only


SENDER_ARN = {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailSenderIdentity}"}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_api_sends_verification_emails_with_ses_from_the_declared_identity_only(templates, stage):
    """MAIL=ses in the stage, the sender identity declared by the stack, sending allowed from it and nothing else."""
    template = templates[stage]
    env = infra_package.stage_environment(stage)
    assert env["MAIL"] == "ses" and env.get("OUTBOX_PAGE", "false") == "false"
    identity_resource = only(template, "AWS::SES::EmailIdentity")["Properties"]
    assert identity_resource == {"EmailIdentity": {"Ref": "MailSenderIdentity"}}
    parameters = template["Parameters"]
    host = env["SITE_ORIGIN"].split("//", 1)[1]
    assert parameters["MailSenderIdentity"]["Default"] == host
    assert parameters["MailFrom"]["Default"] == f"DataCity <no-reply@{host}>"
    variables = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["MAIL"] == "ses" and variables["MAIL_FROM"] == {"Ref": "MailFrom"}
    by_sid = {s["Sid"]: s for s in role_statements(template)}
    assert as_list(by_sid["SendVerificationEmails"]["Action"]) == ["ses:SendEmail", "ses:SendRawEmail"]
    assert as_list(by_sid["SendVerificationEmails"]["Resource"]) == [SENDER_ARN]
    ses_actions = {a for s in role_statements(template) for a in as_list(s["Action"]) if a.startswith("ses:")}
    assert ses_actions == {"ses:SendEmail", "ses:SendRawEmail"}


def test_dynamodb_actions_are_exactly_what_the_store_calls(prod):
    granted = {a for s in role_statements(prod) for a in as_list(s["Action"]) if a.startswith("dynamodb:")}
    calls = client_calls()
    unknown = calls - set(CALL_TO_ACTIONS)
    assert not unknown, f"the store calls {unknown}: add them to CALL_TO_ACTIONS and to the role in resources.json"
    needed = set().union(*(CALL_TO_ACTIONS[call] for call in calls))
    assert needed <= granted, f"missing: {needed - granted}"
    assert granted <= ALLOWED_DYNAMODB, f"more than the store can use: {granted - ALLOWED_DYNAMODB}"
    assert "dynamodb:Scan" not in granted  # docs/storage.md: no request path scans


def test_every_action_exists_in_iam(prod):
    """Checked against the IAM action list that cfn-lint ships (from AWS's Service Authorization Reference)."""
    import cfnlint

    known = json.loads((Path(cfnlint.__file__).parent / "data" / "AdditionalSpecs" / "Policies.json").read_text())
    for statement in role_statements(prod):
        for action in as_list(statement["Action"]):
            service, name = action.split(":")
            assert name.lower() in known[service]["Actions"], f"{action} is not an IAM action"


# --- Site, CDN and headers -------------------------------------------------------------------------------------


def test_site_bucket_is_private_versioned_and_encrypted(prod):
    bucket = prod["Resources"]["SiteBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    allow, deny = prod["Resources"]["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"} and allow["Action"] == "s3:GetObject"
    assert "distribution/${Distribution}" in allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_cloudfront_serves_the_site_from_s3_and_the_api_under_slash_api(prod):
    config = prod["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["site"]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    assert origins["site"]["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    # No origin path: the viewer's /api/... reaches the function as /api/..., and the adapter removes the prefix.
    assert "OriginPath" not in origins["api"] and "OriginPath" not in origins["api-forms"]
    for origin, url in (("api", "ApiFunctionUrl"), ("api-forms", "FormsFunctionUrl")):
        host = {"Fn::Select": [2, {"Fn::Split": ["/", {"Fn::GetAtt": [url, "FunctionUrl"]}]}]}
        assert origins[origin]["DomainName"] == host
        assert origins[origin]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    stage_name = json.loads((ROOT / "api" / ".chalice" / "config.json").read_text())["api_gateway_stage"]
    console, staff, form, api = config["CacheBehaviors"]  # the first behavior whose pattern matches is used
    # The staff console on the site's origin: /staff/* to the API's /api/console/*, its session cookies forwarded;
    # its forms post bodies no browser can sign, so it goes to the forms' function URL.
    assert console["PathPattern"] == "/staff/*" and console["TargetOriginId"] == "api-forms"
    assert console["CachePolicyId"] == infra_package.CACHE_POLICY_DISABLED
    assert {"GET", "POST"} <= set(console["AllowedMethods"])
    rewrite = console["FunctionAssociations"][0]
    assert (
        rewrite["EventType"] == "viewer-request" and rewrite["FunctionARN"]["Fn::GetAtt"][0] == "StaffRewriteFunction"
    )
    console_policy = prod["Resources"]["ConsoleOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    assert console_policy["CookiesConfig"] == {"CookieBehavior": "whitelist", "Cookies": ["dc_staff", "dc_staff_pre"]}
    assert console_policy["QueryStringsConfig"] == {"QueryStringBehavior": "all"}
    # The console's own headers: the API's, plus the site's versioned script file (security_headers.console_csp).
    assert console["ResponseHeadersPolicyId"] == {"Ref": "ConsoleResponseHeadersPolicy"}
    assert api["PathPattern"] == f"/{stage_name}/*" and api["TargetOriginId"] == "api"
    assert api["CachePolicyId"] == infra_package.CACHE_POLICY_DISABLED
    assert {"PUT", "POST", "DELETE", "OPTIONS"} <= set(api["AllowedMethods"])
    # Forms without JavaScript post under /api/form/ (chalicelib/web/function_url.py FORM_PREFIX), otherwise as /api/*.
    assert form["PathPattern"] == f"/{stage_name}{FORM_PREFIX}/*" and form["TargetOriginId"] == "api-forms"
    assert {k: v for k, v in form.items() if k not in ("PathPattern", "TargetOriginId")} == {
        k: v for k, v in api.items() if k not in ("PathPattern", "TargetOriginId")
    }
    # The staff API needs Authorization, which CloudFront forwards only as part of a cache policy's key (and which
    # origin access control would replace by its signature: so the forms' URL); its answers are Cache-Control:
    # no-store, so with MinTTL 0 nothing is cached.
    assert staff["PathPattern"] == f"/{stage_name}/staff/*" and staff["TargetOriginId"] == "api-forms"
    assert staff["CachePolicyId"] == {"Ref": "StaffApiCachePolicy"}
    assert {k: v for k, v in staff.items() if k not in ("PathPattern", "CachePolicyId", "TargetOriginId")} == {
        k: v for k, v in api.items() if k not in ("PathPattern", "CachePolicyId", "TargetOriginId")
    }
    policy = prod["Resources"]["StaffApiCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == 0 and policy["DefaultTTL"] == 0
    keyed = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keyed["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]}
    assert keyed["CookiesConfig"] == {"CookieBehavior": "none"}
    site = config["DefaultCacheBehavior"]
    assert site["TargetOriginId"] == "site" and site["ViewerProtocolPolicy"] == "redirect-to-https"
    assert site["FunctionAssociations"][0]["EventType"] == "viewer-request"
    assert f"/{stage_name}" == API_PREFIX


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_api_requests_carry_what_the_api_reads(templates, stage):
    env = infra_package.stage_environment(stage)
    policy = templates[stage]["Resources"]["ApiOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    headers = {h.lower() for h in policy["HeadersConfig"]["Headers"]}
    assert policy["HeadersConfig"]["HeaderBehavior"] == "whitelist"
    assert env["CLIENT_IP_HEADER"].lower() in headers
    assert {"origin", "accept-language", "content-type", "sec-fetch-site"} <= headers
    assert "host" not in headers  # API Gateway answers only to its own host name
    # The voter's cookie and the verified session's (verification/rules.py): nothing else reaches the API.
    assert policy["CookiesConfig"] == {
        "CookieBehavior": "whitelist",
        "Cookies": [identity.COOKIE_NAME, verification.SESSION_COOKIE],
    }
    assert policy["QueryStringsConfig"] == {"QueryStringBehavior": "all"}
    # Every request header the API reads is forwarded (api/chalicelib/web/call.py: self.headers.get("...")).
    web = (ROOT / "api" / "chalicelib" / "web" / "call.py").read_text(encoding="utf-8")
    read = set(re.findall(r'headers\.get\("([a-z0-9-]+)"', web)) - {"cookie", "authorization"}
    assert read <= headers, f"the API reads {read - headers}, which CloudFront does not forward"
    # Authorization (staff routes only) cannot be in an origin request policy: the staff behavior's cache policy
    # forwards it (test_cloudfront_serves_the_site_from_s3_and_the_api_under_slash_api).
    staff_policy = templates[stage]["Resources"]["StaffApiCachePolicy"]["Properties"]["CachePolicyConfig"]
    forwarded = staff_policy["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]["Headers"]
    assert "authorization" in {h.lower() for h in forwarded} and "authorization" not in headers


def test_security_headers(prod):
    for name in ("SiteResponseHeadersPolicy", "ApiResponseHeadersPolicy", "ConsoleResponseHeadersPolicy"):
        config = prod["Resources"][name]["Properties"]["ResponseHeadersPolicyConfig"]
        security = config["SecurityHeadersConfig"]
        csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
        assert security["ContentTypeOptions"]["Override"] is True
        assert security["FrameOptions"]["FrameOption"] == "DENY"
        assert security["ReferrerPolicy"]["ReferrerPolicy"] in ("same-origin", "no-referrer", "strict-origin")
        custom = {item["Header"]: item["Value"] for item in config["CustomHeadersConfig"]["Items"]}
        assert "camera=()" in custom["Permissions-Policy"] and "geolocation=()" in custom["Permissions-Policy"]
        assert all(s["Override"] for s in security.values() if isinstance(s, dict) and "Override" in s)
    site_csp = prod["Resources"]["SiteResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"
    ]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives = dict(d.strip().split(" ", 1) for d in site_csp.split(";") if " " in d.strip())
    assert directives["default-src"] == "'self'"
    sources = directives["script-src"].split()
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    # Pagefind's search runs WebAssembly: 'wasm-unsafe-eval' allows compiling it, not JavaScript's eval().
    assert sources[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert sources[2:], "the built site has inline scripts: hashes expected"
    assert all(s.startswith("'sha256-") for s in sources[2:])


def test_outputs(prod):
    assert {
        "DistributionDomainName",
        "DistributionId",
        "SiteBucketName",
        "TableName",
        "SecretArn",
        "StaffTokensSecretArn",
        "OidcClientsSecretArn",
    } <= set(prod["Outputs"])
