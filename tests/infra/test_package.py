"""infra.package and infra.csp refuse what would deploy something wrong (fast: no Chalice, no site build)."""

from __future__ import annotations

import json

import pytest

from chalicelib.adapters import dynamodb
from infra import csp
from infra import package as infra_package


@pytest.fixture
def tiny_site(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "catalog.json").write_text(json.dumps({"version": 1, "programs": [], "challenges": []}))
    (site / "index.html").write_text(
        '<html><head><script>var a=1;</script><script type="application/json">{"b": 2}</script>'
        '<script src="x.js"></script></head><body></body></html>'
    )
    (site / "en" / "index.html").write_text("<html><head><script>var a=1;</script></head></html>")
    return site


def test_the_merge_template_is_filled_for_a_stage(tiny_site):
    merge = infra_package.render_merge_template("prod", tiny_site)
    assert '"@' not in json.dumps(merge)
    table = merge["Resources"]["DataTable"]
    assert table["Properties"]["KeySchema"] == dynamodb.TABLE_DEFINITION["KeySchema"]
    assert table["DeletionPolicy"] == "Retain"
    policy = merge["Resources"]["SiteResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    script_src = [
        d
        for d in policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"].split("; ")
        if d.startswith("script-src")
    ][0]
    assert (
        script_src == f"script-src 'self' 'wasm-unsafe-eval' {csp.sha256_source('var a=1;')}"
    )  # one hash, JSON blocks not counted


def test_a_table_definition_key_the_template_does_not_map_is_refused(tiny_site, monkeypatch):
    monkeypatch.setitem(dynamodb.TABLE_DEFINITION, "ProvisionedThroughput", {"ReadCapacityUnits": 5})
    with pytest.raises(infra_package.PackageError, match="ProvisionedThroughput"):
        infra_package.render_merge_template("prod", tiny_site)


def test_a_table_without_indexes_gets_no_index_statement(tiny_site, monkeypatch):
    monkeypatch.delitem(dynamodb.TABLE_DEFINITION, "GlobalSecondaryIndexes")
    merge = infra_package.render_merge_template("dev", tiny_site)
    assert "GlobalSecondaryIndexes" not in merge["Resources"]["DataTable"]["Properties"]
    statements = merge["Resources"]["DefaultRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert "IndexQueries" not in {s["Sid"] for s in statements}


def test_unknown_stage_placeholder_and_missing_site_are_refused(tiny_site, tmp_path):
    with pytest.raises(infra_package.PackageError):
        infra_package.render_merge_template("staging", tiny_site)
    with pytest.raises(infra_package.PackageError, match="unknown placeholder"):
        infra_package.fill({"a": "@NOPE@"}, {}, set())
    with pytest.raises(infra_package.PackageError, match="catalog.json"):
        infra_package.package("prod", tmp_path / "out", tmp_path / "no-site")


def test_a_stage_that_is_not_on_dynamodb_is_refused():
    with pytest.raises(infra_package.PackageError, match="STORE"):
        infra_package.check_stage("local", infra_package.stage_environment("local"))


def test_inline_event_handlers_cannot_be_allowed_by_a_hash(tiny_site):
    (tiny_site / "bad.html").write_text('<a href="#" onclick="steal()">x</a>')
    with pytest.raises(csp.CspError, match="onclick"):
        csp.site_csp(tiny_site)


def test_a_policy_over_cloudfronts_limit_is_refused(tiny_site):
    for n in range(40):
        (tiny_site / f"p{n}.html").write_text(f"<script>var n={n};</script>")
    with pytest.raises(csp.CspError, match="over CloudFront"):
        csp.site_csp(tiny_site)


def cloudfront_to_headers(config: dict) -> list[tuple[str, str]]:
    """What a browser receives from a CloudFront response headers policy (the inverse of infra.package's mapping)."""
    security, answer = config["SecurityHeadersConfig"], []
    for key, value in security.items():
        assert value["Override"] is True, key
        if key == "ContentSecurityPolicy":
            answer.append(("Content-Security-Policy", value["ContentSecurityPolicy"]))
        elif key == "ContentTypeOptions":
            answer.append(("X-Content-Type-Options", "nosniff"))
        elif key == "FrameOptions":
            answer.append(("X-Frame-Options", value["FrameOption"]))
        elif key == "ReferrerPolicy":
            answer.append(("Referrer-Policy", value["ReferrerPolicy"]))
        elif key == "XSSProtection":
            assert value["Protection"] is False
            answer.append(("X-XSS-Protection", "0"))
        elif key == "StrictTransportSecurity":
            sts = f"max-age={value['AccessControlMaxAgeSec']}"
            sts += "; includeSubDomains" if value["IncludeSubdomains"] else ""
            sts += "; preload" if value["Preload"] else ""
            answer.append(("Strict-Transport-Security", sts))
        else:
            raise AssertionError(f"unexpected {key}")
    for item in config["CustomHeadersConfig"]["Items"]:
        assert item["Override"] is True
        answer.append((item["Header"], item["Value"]))
    return answer


def test_cloudfront_sets_the_headers_the_local_server_sends(tiny_site):
    """Both policies come from chalicelib.web.security_headers: CloudFront's, over HTTPS, are exactly its headers."""
    from chalicelib.web import security_headers

    merge = infra_package.render_merge_template("prod", tiny_site)
    policies = {
        "SiteResponseHeadersPolicy": security_headers.site_policy(tiny_site, https=True),
        "ApiResponseHeadersPolicy": security_headers.api_csp(https=True),
        "ConsoleResponseHeadersPolicy": security_headers.console_csp(https=True),
    }
    for name, policy in policies.items():
        config = merge["Resources"][name]["Properties"]["ResponseHeadersPolicyConfig"]
        assert sorted(cloudfront_to_headers(config)) == sorted(security_headers.headers(policy, https=True)), name
