"""The packaged templates lock the API to CloudFront, put AWS WAF in front of it, and say when it is hurting.

Origin lock (the "api" origin's secret header, the secret, the function's setting), the edge stack's web ACL (rules
evaluated here on sample requests), the alarms, the metric filters on the structured logs and the dashboard. What the
code defines (header name, table indexes, rate limits, timeouts) is read from the code, never copied here.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from pathlib import Path

import pytest

from chalicelib import origin_lock
from chalicelib.adapters import dynamodb
from chalicelib.settings import Settings
from infra import package as infra_package

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def resources(template: dict, kind: str) -> dict:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def distribution(template: dict) -> dict:
    return template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]


@pytest.fixture(scope="session")
def edges(packaged) -> dict[str, dict]:
    return {stage: json.loads((path / "edge.json").read_text(encoding="utf-8")) for stage, path in packaged.items()}


def web_acl(edge: dict) -> dict:
    (acl,) = resources(edge, "AWS::WAFv2::WebACL").values()
    return acl["Properties"]


def rules(edge: dict) -> dict[str, dict]:
    return {rule["Name"]: rule for rule in web_acl(edge)["Rules"]}


# --- Origin lock -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cloudfront_adds_the_origin_secret_to_api_requests_only(templates, stage):
    origins = {o["Id"]: o for o in distribution(templates[stage])["Origins"]}
    assert origins["api"]["OriginCustomHeaders"] == origins["api-forms"]["OriginCustomHeaders"]
    assert origins["api"]["OriginCustomHeaders"] == [
        {
            "HeaderName": origin_lock.HEADER,
            "HeaderValue": {
                "Fn::If": [
                    "HasOriginSecretVersion",
                    # Pinned to a version, so that a rotation changes the template and CloudFormation updates CloudFront.
                    {
                        "Fn::Sub": "{{resolve:secretsmanager:${OriginSecret}:SecretString:current::${OriginSecretVersion}}}"
                    },
                    {"Fn::Sub": "{{resolve:secretsmanager:${OriginSecret}:SecretString:current}}"},
                ]
            },
        }
    ]
    assert "OriginCustomHeaders" not in origins["site"]  # S3 never sees the secret


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_viewers_cannot_supply_or_see_the_origin_header(templates, stage):
    template = templates[stage]
    # CloudFront overwrites a viewer's header of the same name; it must also never be forwarded or cached on.
    for policy in resources(template, "AWS::CloudFront::OriginRequestPolicy").values():
        forwarded = policy["Properties"]["OriginRequestPolicyConfig"]["HeadersConfig"]
        assert origin_lock.HEADER not in {h.lower() for h in forwarded.get("Headers", [])}
    for policy in resources(template, "AWS::CloudFront::CachePolicy").values():
        keyed = policy["Properties"]["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]
        assert origin_lock.HEADER not in {h.lower() for h in keyed.get("Headers", [])}
    # The secret's value is in no template and no output: only a dynamic reference, resolved by CloudFormation.
    text = json.dumps(template)
    assert text.count("{{resolve:secretsmanager:${OriginSecret}") == 4  # two per API origin
    assert all("OriginSecretVersion" not in json.dumps(o["Value"]) for o in template["Outputs"].values())


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_generated_origin_secret_is_one_the_api_loads(templates, stage):
    secret = templates[stage]["Resources"]["OriginSecret"]["Properties"]
    env = infra_package.stage_environment(stage)
    assert secret["Name"] == f"{env['SECRET_NAME']}/origin-verify"  # under the stage's prefix, as IAM scopes it
    generate = secret["GenerateSecretString"]
    assert generate["GenerateStringKey"] == "current" and generate["ExcludePunctuation"] is True
    assert generate["PasswordLength"] >= 2 * origin_lock.MIN_LENGTH
    # What Secrets Manager makes of it: the template with a random alphanumeric string under the key.
    value = json.loads(generate["SecretStringTemplate"])
    alphabet = string.ascii_letters + string.digits
    value[generate["GenerateStringKey"]] = "".join(secrets.choice(alphabet) for _ in range(generate["PasswordLength"]))
    lock = origin_lock.OriginLock.from_secret(json.dumps(value))
    assert lock.previous == "" and lock.allows({origin_lock.HEADER: value["current"]})


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_api_function_is_told_where_the_origin_secret_is(templates, stage):
    functions = resources(templates[stage], "AWS::Serverless::Function")
    assert functions["APIHandler"]["Properties"]["Environment"]["Variables"]["ORIGIN_SECRET_NAME"] == {
        "Ref": "OriginSecret"
    }
    # Housekeeping answers no HTTP request: it has no use for the secret.
    assert "ORIGIN_SECRET_NAME" not in functions["Housekeeping"]["Properties"]["Environment"]["Variables"]


def permissions(template: dict) -> dict[str, dict]:
    return {name: r["Properties"] for name, r in resources(template, "AWS::Lambda::Permission").items()}


THIS_DISTRIBUTION = {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_only_this_distribution_may_call_the_apis_function_url(templates, stage):
    """The API's function URL takes IAM-signed requests only (AuthType AWS_IAM), CloudFront signs them (origin
    access control for Lambda), and the function's policy lets CloudFront call it for this distribution only."""
    template = templates[stage]
    url = template["Resources"]["ApiFunctionUrl"]["Properties"]
    assert url["AuthType"] == "AWS_IAM" and url["TargetFunctionArn"] == {"Fn::GetAtt": ["APIHandler", "Arn"]}
    assert "Qualifier" not in url
    origins = {o["Id"]: o for o in distribution(template)["Origins"]}
    oac_name = origins["api"]["OriginAccessControlId"]["Fn::GetAtt"][0]
    oac = template["Resources"][oac_name]["Properties"]["OriginAccessControlConfig"]
    assert (oac["OriginAccessControlOriginType"], oac["SigningBehavior"], oac["SigningProtocol"]) == (
        "lambda",
        "always",  # even a viewer's own Authorization is replaced: nobody reaches the URL with their signature
        "sigv4",
    )
    unqualified = {n: p for n, p in permissions(template).items() if p["FunctionName"] == url["TargetFunctionArn"]}
    # Both actions: function URLs created since October 2025 need lambda:InvokeFunction as well.
    assert sorted(
        (p["Action"], p.get("FunctionUrlAuthType"), p.get("InvokedViaFunctionUrl")) for p in unqualified.values()
    ) == [
        ("lambda:InvokeFunction", None, True),
        ("lambda:InvokeFunctionUrl", "AWS_IAM", None),
    ]
    for name, permission in unqualified.items():
        assert permission["Principal"] == "cloudfront.amazonaws.com", name
        assert permission["SourceArn"] == THIS_DISTRIBUTION, name


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_no_api_gateway_is_left_to_call_directly(templates, stage):
    """Chalice's REST API is taken out of its template (infra/package.py without_rest_api): no execute-api address
    exists any more, and the function is served by the function URL adapter, not Chalice's REST handler."""
    template = templates[stage]
    kinds = {r["Type"] for r in template["Resources"].values()}
    assert not {k for k in kinds if k.startswith("AWS::ApiGateway::") or k == "AWS::Serverless::Api"}
    assert "RestAPI" not in json.dumps(template) and "execute-api" not in json.dumps(template)
    handler = template["Resources"]["APIHandler"]["Properties"]
    assert "Events" not in handler
    module, attribute = handler["Handler"].split(".")
    import app as app_module

    assert module == "app" and getattr(app_module, attribute).__qualname__.startswith("handler.")
    assert all(p["Principal"] != "apigateway.amazonaws.com" for p in permissions(template).values())


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_unsigned_forms_url_serves_only_forms_and_staff_and_is_locked_by_the_secret(templates, stage):
    """Browsers cannot sign a form's body (origin access control for Lambda needs x-amz-content-sha256 on PUT and
    POST), and origin access control would replace the staff's Authorization: those go to a second function URL
    (AuthType NONE, on the alias), which the API's origin secret check alone locks, as before. No other path."""
    template = templates[stage]
    url = template["Resources"]["FormsFunctionUrl"]["Properties"]
    assert url["AuthType"] == "NONE" and url["Qualifier"] == infra_package.FORMS_ALIAS
    origins = {o["Id"]: o for o in distribution(template)["Origins"]}
    assert "OriginAccessControlId" not in origins["api-forms"]
    assert origins["api-forms"]["OriginCustomHeaders"][0]["HeaderName"] == origin_lock.HEADER
    served = {b["PathPattern"] for b in distribution(template)["CacheBehaviors"] if b["TargetOriginId"] == "api-forms"}
    assert served == {"/staff/*", "/api/staff/*", "/api/form/*"}
    alias = {"Ref": f"APIHandlerAlias{infra_package.FORMS_ALIAS}"}
    public = {n: p for n, p in permissions(template).items() if p["Principal"] == "*"}
    assert public and all(p["FunctionName"] == alias for p in public.values())
    # The function still refuses any request without CloudFront's secret (tests/api/test_function_url.py).
    assert template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]["ORIGIN_SECRET_NAME"]


def test_a_stage_with_iam_signed_staff_requests_is_not_packaged(monkeypatch):
    """STAFF_AUTH=iam relied on API Gateway's authorizer; a function URL has none, so packaging refuses it."""
    with pytest.raises(infra_package.PackageError, match="STAFF_AUTH"):
        infra_package.check_stage("prod", {**infra_package.stage_environment("prod"), "STAFF_AUTH": "iam"})


def test_prod_cannot_be_deployed_without_waf_or_permissions_boundary(templates):
    for stage, template in templates.items():
        rule = template["Rules"]["ProdIsProtected"]
        assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}, stage
        asserted = {json.dumps(a["Assert"]) for a in rule["Assertions"]}
        for parameter in ("WebAclArn", "PermissionsBoundaryArn"):
            assert json.dumps({"Fn::Not": [{"Fn::Equals": [{"Ref": parameter}, ""]}]}) in asserted
    config = distribution(templates["prod"])
    assert config["WebACLId"] == {"Fn::If": ["HasWebAcl", {"Ref": "WebAclArn"}, {"Ref": "AWS::NoValue"}]}
    pattern = templates["prod"]["Parameters"]["WebAclArn"]["AllowedPattern"]
    assert re.match(pattern, "arn:aws:wafv2:us-east-1:123456789012:global/webacl/datacity-prod/abcd")
    assert not re.match(pattern, "arn:aws:wafv2:eu-west-3:123456789012:regional/webacl/datacity-prod/abcd")


# --- AWS WAF (the edge stack) ----------------------------------------------------------------------------------


def _matches(statement: dict, request: dict) -> bool:
    """AWS WAF's semantics for the statements the web ACL's own rules use (byte matches, and/or/not)."""
    (kind, body), *_ = statement.items()
    if kind == "AndStatement":
        return all(_matches(s, request) for s in body["Statements"])
    if kind == "OrStatement":
        return any(_matches(s, request) for s in body["Statements"])
    if kind == "NotStatement":
        return not _matches(body["Statement"], request)
    if kind == "ByteMatchStatement":
        assert [t["Type"] for t in body["TextTransformations"]] == ["NONE"]
        (field,) = body["FieldToMatch"]
        value = {"UriPath": request["path"], "Method": request["method"]}[field]
        search = body["SearchString"]
        return {"EXACTLY": value == search, "STARTS_WITH": value.startswith(search)}[body["PositionalConstraint"]]
    raise AssertionError(f"no evaluator for {kind}: extend _matches")


def counted(rule: dict, method: str, path: str) -> bool:
    rate = rule["Statement"]["RateBasedStatement"]
    scope = rate.get("ScopeDownStatement")
    return scope is None or _matches(scope, {"method": method, "path": path})


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_web_acl_is_for_cloudfront_with_metrics_on_every_rule(edges, stage):
    acl = web_acl(edges[stage])
    assert acl["Scope"] == "CLOUDFRONT" and acl["DefaultAction"] == {"Allow": {}}
    assert acl["Name"] == acl["VisibilityConfig"]["MetricName"] == {"Fn::Sub": "datacity-${Stage}"}
    assert edges[stage]["Parameters"]["Stage"]["Default"] == stage
    assert infra_package.WEB_ACL_NAME.format(stage="${Stage}") == "datacity-${Stage}"  # what the dashboard reads
    found = rules(edges[stage])
    assert tuple(found) == infra_package.WAF_RULES  # in priority order
    assert [r["Priority"] for r in found.values()] == sorted({r["Priority"] for r in found.values()})
    for name, rule in found.items():
        visibility = rule["VisibilityConfig"]
        assert visibility["MetricName"] == name and visibility["CloudWatchMetricsEnabled"] is True
        assert visibility["SampledRequestsEnabled"] is True


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_managed_rule_groups_run_and_the_body_size_rule_only_counts(edges, stage):
    found = rules(edges[stage])
    groups = {
        name: rule["Statement"]["ManagedRuleGroupStatement"]
        for name, rule in found.items()
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }
    assert {g["Name"] for g in groups.values()} == {
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesCommonRuleSet",
    }
    assert all(g["VendorName"] == "AWS" for g in groups.values())
    assert all(found[name]["OverrideAction"] == {"None": {}} for name in groups)  # their rules block
    # The common rules block bodies over 8 KB; the API takes bodies up to MAX_BODY_BYTES (and staff imports up to
    # IMPORT_MAX_BYTES), and refuses larger ones itself with a clear message: that rule only counts.
    settings = Settings.load({})
    assert settings.max_body_bytes > 8 * 1024
    assert groups["CommonRules"]["RuleActionOverrides"] == [
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}
    ]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_rate_rules_count_per_address_and_api_writes_only_where_residents_write(edges, stage):
    found = rules(edges[stage])
    everything, writes = found["RequestsPerIp"], found["ApiWritesPerIp"]
    for rule in (everything, writes):
        rate = rule["Statement"]["RateBasedStatement"]
        assert rate["AggregateKeyType"] == "IP"  # the viewer's address as CloudFront sees it: cannot be forged
        assert rate["EvaluationWindowSec"] == {"Ref": "RateWindowSeconds"}
    assert everything["Statement"]["RateBasedStatement"]["Limit"] == {"Ref": "RequestsPerIpLimit"}
    assert writes["Statement"]["RateBasedStatement"]["Limit"] == {"Ref": "ApiWritesPerIpLimit"}
    assert counted(everything, "GET", "/fr/paris-2017/")
    for method in STATE_CHANGING:
        assert counted(writes, method, "/api/challenges/c1/vote")
        assert counted(writes, method, "/api/challenges/c1/comments")
        assert not counted(writes, method, "/api/staff/programs/p/imports")  # staff: authenticated, bursts
        assert not counted(writes, method, "/fr/")
    for method in ("GET", "HEAD", "OPTIONS"):
        assert not counted(writes, method, "/api/challenges/c1/tally")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_rate_limits_never_refuse_what_the_api_itself_accepts(edges, stage):
    parameters = edges[stage]["Parameters"]
    settings = Settings.load({})
    per_address_per_window = sum(per_ip for _per_token, per_ip in settings.rate_limits.values())
    # Even if one address spends its whole hourly allowance within one WAF window, the edge lets it through.
    assert parameters["ApiWritesPerIpLimit"]["Default"] >= per_address_per_window
    assert parameters["RequestsPerIpLimit"]["Default"] > parameters["ApiWritesPerIpLimit"]["Default"]
    assert parameters["RateWindowSeconds"]["Default"] in parameters["RateWindowSeconds"]["AllowedValues"]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_rate_limited_visitors_get_a_bilingual_page_with_status_429(edges, stage):
    acl = web_acl(edges[stage])
    for name in ("RequestsPerIp", "ApiWritesPerIp"):
        assert rules(edges[stage])[name]["Action"] == {
            "Block": {"CustomResponse": {"ResponseCode": 429, "CustomResponseBodyKey": "rate-limited"}}
        }
    body = acl["CustomResponseBodies"]["rate-limited"]
    assert body["ContentType"] == "TEXT_HTML"
    page = body["Content"]
    assert page == infra_package.RATE_LIMITED_PAGE.read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and '<div lang="en">' in page and "<title>" in page
    assert "<h1>" in page and 'name="viewport"' in page
    # 429 is not among the distribution's custom error pages: the visitor sees this page, not the 404 page.
    # It loads nothing (no script, no style sheet, no image, no other site) and its links stay on the site.
    assert not re.search(r"<script|<link|<img|<style|src=|https?:", page)
    assert set(re.findall(r'href="([^"]*)"', page)) == {"/"}


def test_a_429_from_the_edge_is_not_turned_into_another_page(templates):
    assert {e["ErrorCode"] for e in distribution(templates["prod"])["CustomErrorResponses"]} == {403}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_edge_alarms_watch_the_web_acl_of_their_stage(edges, stage):
    alarms = {
        a["Properties"]["AlarmName"]["Fn::Sub"]: a["Properties"]
        for a in resources(edges[stage], "AWS::CloudWatch::Alarm").values()
    }
    assert set(alarms) == {"datacity-${Stage}-waf-blocks", "datacity-${Stage}-waf-api-writes-limited"}
    for name, alarm in alarms.items():
        dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
        assert alarm["Namespace"] == "AWS/WAFV2" and alarm["MetricName"] == "BlockedRequests"
        # CloudFront web ACLs report under WebACL and Rule (no Region), in us-east-1 like the alarms.
        assert dimensions["WebACL"] == web_acl(edges[stage])["VisibilityConfig"]["MetricName"]
        assert alarm["AlarmActions"] == [{"Ref": "EdgeAlarmTopic"}] == alarm["OKActions"]
        assert alarm["TreatMissingData"] == "notBreaching"
        assert name.removeprefix("datacity-${Stage}-") in alarm["AlarmDescription"]
    blocks = {d["Name"]: d["Value"] for d in alarms["datacity-${Stage}-waf-blocks"]["Dimensions"]}
    assert blocks["Rule"] == "ALL" and alarms["datacity-${Stage}-waf-blocks"]["Threshold"] == {
        "Ref": "BlocksAlarmThreshold"
    }
    writes = {d["Name"]: d["Value"] for d in alarms["datacity-${Stage}-waf-api-writes-limited"]["Dimensions"]}
    assert writes["Rule"] == "ApiWritesPerIp"
    assert edges[stage]["Outputs"]["WebAclArn"]["Value"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}


# --- Alarms, logs, dashboard (the main stack) ------------------------------------------------------------------


def main_alarms(template: dict) -> dict[str, dict]:
    return {
        a["Properties"]["AlarmName"]["Fn::Sub"].removeprefix("datacity-${Stage}-"): a["Properties"]
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
    }


def alarm_metrics(alarm: dict) -> list[dict]:
    """Every metric an alarm reads, as {"Namespace", "MetricName", "Dimensions": {name: value}}."""
    if "Metrics" in alarm:
        stats = [m["MetricStat"]["Metric"] for m in alarm["Metrics"] if "MetricStat" in m]
    else:
        stats = [alarm]
    return [
        {
            "Namespace": m["Namespace"],
            "MetricName": m["MetricName"],
            "Dimensions": {d["Name"]: d["Value"] for d in m.get("Dimensions", [])},
        }
        for m in stats
    ]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_alarm_notifies_the_topic_and_has_a_runbook(templates, stage):
    alarms = main_alarms(templates[stage])
    assert set(alarms) == set(infra_package.ALARMS)
    runbook = OPERATIONS.read_text(encoding="utf-8")
    edge_names = ("waf-blocks", "waf-api-writes-limited")
    for name in (*alarms, *edge_names):
        assert f"`{name}`" in runbook, f"docs/operations.md has no entry for the alarm {name}"
    for name, alarm in alarms.items():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] == alarm["OKActions"], name
        assert alarm["TreatMissingData"] == "notBreaching", name
        assert name in alarm["AlarmDescription"], name
    subscription = templates[stage]["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["TopicArn"] == {"Ref": "AlarmTopic"}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_alarms_watch_the_resources_of_their_own_stack(templates, stage):
    template = templates[stage]
    alarms = main_alarms(template)
    # The function URLs' own metrics (both URLs, by function): the function is this stack's, named per stage.
    for name in ("api-5xx", "api-latency"):
        for metric in alarm_metrics(alarms[name]):
            assert metric["Namespace"] == "AWS/Lambda", name
            assert metric["Dimensions"] == {"FunctionName": {"Ref": "APIHandler"}}, name
    five = {m["MetricName"] for m in alarm_metrics(alarms["api-5xx"])}
    assert five == {"Url5xxCount", "UrlRequestCount"}
    assert {m["MetricName"] for m in alarm_metrics(alarms["api-latency"])} == {"UrlRequestLatency"}
    (rate,) = [m for m in alarms["api-5xx"]["Metrics"] if m["ReturnData"]]
    assert rate["Expression"] == "IF(requests >= 20, 100 * errors / requests, 0)"
    timeout_ms = infra_package.chalice_setting(stage, "lambda_timeout") * 1000
    assert 0 < alarms["api-latency"]["Threshold"] < timeout_ms
    for name, function in (
        ("api-function-errors", "APIHandler"),
        ("api-function-throttles", "APIHandler"),
        ("housekeeping-errors", "Housekeeping"),
    ):
        (metric,) = alarm_metrics(alarms[name])
        assert metric["Namespace"] == "AWS/Lambda" and metric["Dimensions"] == {"FunctionName": {"Ref": function}}
    assert {m["MetricName"] for m in alarm_metrics(alarms["api-function-throttles"])} == {"Throttles"}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_throttle_alarm_covers_the_table_and_every_index(templates, stage):
    (alarm,) = [a for n, a in main_alarms(templates[stage]).items() if n == "table-throttles"]
    table = {"Fn::If": ["CreateTable", {"Ref": "DataTable"}, {"Ref": "ExistingTableName"}]}
    seen = set()
    for metric in alarm_metrics(alarm):
        assert metric["Namespace"] == "AWS/DynamoDB" and metric["Dimensions"]["TableName"] == table
        seen.add((metric["MetricName"], metric["Dimensions"].get("GlobalSecondaryIndexName")))
    indexes = [None, *(i["IndexName"] for i in dynamodb.TABLE_DEFINITION.get("GlobalSecondaryIndexes", []))]
    assert seen == {(f"{kind}ThrottleEvents", index) for kind in ("Read", "Write") for index in indexes}
    (total,) = [m for m in alarm["Metrics"] if m["ReturnData"]]
    assert total["Expression"] == "SUM([" + ", ".join(m["Id"] for m in alarm["Metrics"] if not m["ReturnData"]) + "])"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_metric_filters_read_the_documented_log_fields(templates, stage):
    template = templates[stage]
    filters = {
        f["Properties"]["FilterName"]: f["Properties"] for f in resources(template, "AWS::Logs::MetricFilter").values()
    }
    assert set(filters) == {"direct-access", "rate-limited", "errors"}
    runbook = OPERATIONS.read_text(encoding="utf-8")
    for name, metric_filter in filters.items():
        assert metric_filter["LogGroupName"] == {"Ref": "ApiHandlerLogGroup"}
        (transformation,) = metric_filter["MetricTransformations"]
        assert transformation["MetricNamespace"] == infra_package.metric_namespace(stage)
        for field in re.findall(r"\$\.([a-z_]+)", metric_filter["FilterPattern"]):
            assert f"| `{field}` |" in runbook, f"the log field {field} ({name}) is not in docs/operations.md"
    problems = {
        m.group(1) for f in filters.values() for m in re.finditer(r'\$\.problem = "([a-z-]+)"', f["FilterPattern"])
    }
    assert problems == {"direct-access", "rate-limited"}
    (direct,) = [a for n, a in main_alarms(template).items() if n == "direct-access"]
    (metric,) = alarm_metrics(direct)
    assert (metric["Namespace"], metric["MetricName"]) == (
        infra_package.metric_namespace(stage),
        filters["direct-access"]["MetricTransformations"][0]["MetricName"],
    )


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_dashboard_shows_every_alarm_and_graphs_real_metrics(templates, edges, stage):
    template = templates[stage]
    body, variables = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    known = set(template["Resources"]) | set(template["Parameters"]) | set(variables)
    known |= {"AWS::Region", "AWS::AccountId", "AWS::Partition"}
    for reference in re.findall(r"\$\{([^}]+)\}", body):
        assert reference in known, f"the dashboard refers to ${{{reference}}}, which the stack does not define"
    dashboard = json.loads(re.sub(r"\$\{[^}]+\}", "x", body))
    (alarm_widget,) = [w for w in dashboard["widgets"] if w["type"] == "alarm"]
    shown = {arn.rsplit(":alarm:", 1)[1] for arn in alarm_widget["properties"]["alarms"]}
    assert shown == {f"datacity-{stage}-{name}" for name in main_alarms(template)}
    graphs = [w["properties"] for w in dashboard["widgets"] if w["type"] == "metric"]
    namespaces = {m[0] for g in graphs for m in g["metrics"]}
    assert {"AWS/Lambda", "AWS/DynamoDB", "AWS/WAFV2", "AWS/CloudFront"} <= namespaces
    assert "AWS/ApiGateway" not in namespaces  # no REST API any more: its metrics would stay empty
    assert infra_package.metric_namespace(stage) in namespaces
    for graph in graphs:
        global_metrics = {m[0] for m in graph["metrics"]} & {"AWS/WAFV2", "AWS/CloudFront"}
        assert (graph["region"] == "us-east-1") == bool(global_metrics), graph["title"]
    waf = [m for g in graphs for m in g["metrics"] if m[0] == "AWS/WAFV2"]
    assert {m[m.index("Rule") + 1] for m in waf} == {"ALL", *rules(edges[stage])}
    assert {m[m.index("WebACL") + 1] for m in waf} == {infra_package.WEB_ACL_NAME.format(stage=stage)}
