"""infra/bootstrap.json: deploy roles with exactly what the stacks need, capped by permissions boundaries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from infra import deploy_policy
from infra import package as infra_package

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = json.loads((ROOT / "infra" / "bootstrap.json").read_text(encoding="utf-8"))
RESOURCES = BOOTSTRAP["Resources"]


def statements(resource: str) -> list[dict]:
    properties = RESOURCES[resource]["Properties"]
    if "PolicyDocument" in properties:
        return properties["PolicyDocument"]["Statement"]
    return [s for policy in properties["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def sample(resource) -> str:
    return deploy_policy.sample(resource["Fn::Sub"] if isinstance(resource, dict) else resource)


def test_the_cloudformation_role_grants_what_the_stacks_resources_need(packaged):
    (build,) = {path.parent for path in packaged.values()}
    assert deploy_policy.main(["--build", str(build)]) == 0
    granted = {a for s in statements("CloudFormationExecutionRole") for a in as_list(s["Action"])}
    templates = deploy_policy.load_templates(build)
    needed = deploy_policy.handler_actions(deploy_policy.resource_types(templates))
    assert granted <= set(needed) | set(deploy_policy.EXTRA)  # nothing no handler asks for
    # What the deploy needs beyond creating resources: the origin secret's dynamic reference is resolved with it.
    assert "secretsmanager:GetSecretValue" in granted and "wafv2:CreateWebACL" in granted


def test_no_deploy_role_is_an_administrator():
    for role in ("CloudFormationExecutionRole", "DeployRole"):
        properties = RESOURCES[role]["Properties"]
        assert "ManagedPolicyArns" not in properties, role
        assert properties["PermissionsBoundary"] == {"Ref": "DeploymentBoundary"}, role
        assert properties["RoleName"]["Fn::Sub"].endswith(("-bootstrap-cloudformation", "-bootstrap-deploy"))
        for statement in statements(role):
            assert statement["Effect"] == "Allow"
            for action in as_list(statement["Action"]):
                assert "*" not in action, f"{role}: {action}"
            for resource in as_list(statement["Resource"]):
                if resource == "*":
                    # Only actions IAM knows no resource for may name "*".
                    reference = deploy_policy.iam_reference()
                    for action in as_list(statement["Action"]):
                        assert deploy_policy.arn_formats(action, reference) is None, f"{role}: {action} on *"


def test_every_scoped_grant_fits_the_arns_iam_checks():
    reference = deploy_policy.iam_reference()
    for statement in statements("CloudFormationExecutionRole"):
        resources = [r for r in as_list(statement["Resource"]) if r != "*"]
        for action in as_list(statement["Action"]):
            formats = deploy_policy.arn_formats(action, reference)
            if not resources:
                continue
            assert formats, action
            assert any(re.fullmatch(f, sample(r)) for r in resources for f in formats), action


def test_roles_are_changed_only_with_the_application_boundary():
    by_sid = {s["Sid"]: s for s in statements("CloudFormationExecutionRole")}
    iam = [s for s in by_sid.values() if any(a.startswith("iam:") for a in as_list(s["Action"]))]
    for statement in iam:
        for action in as_list(statement["Action"]):
            if action in deploy_policy.BOUNDED_IAM:
                assert statement["Condition"] == deploy_policy.BOUNDARY_CONDITION, action
            if action == "iam:PassRole":
                assert statement["Condition"] == deploy_policy.PASS_ROLE_CONDITION
    granted = {a for s in iam for a in as_list(s["Action"])}
    assert not granted & {"iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:CreateUser"}
    boundary = {s["Sid"]: s for s in statements("DeploymentBoundary")}
    name = RESOURCES["ApplicationBoundary"]["Properties"]["ManagedPolicyName"]["Fn::Sub"]
    deny = boundary["NoRoleWithoutTheApplicationBoundary"]
    assert deny["Effect"] == "Deny" and set(deploy_policy.BOUNDED_IAM) <= set(deny["Action"])
    assert deny["Condition"]["StringNotEquals"]["iam:PermissionsBoundary"]["Fn::Sub"].endswith(f":policy/{name}")
    assert "iam:DeleteRolePermissionsBoundary" in boundary["NoEscapeFromBoundaries"]["Action"]
    assert boundary["HandsOffTheBootstrap"]["Effect"] == "Deny"
    assert boundary["HandsOffTheBootstrap"]["Resource"][0]["Fn::Sub"].endswith("-bootstrap-*")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_application_boundary_leaves_the_function_what_it_needs(templates, stage):
    """The boundary caps the functions' role: every action the role is given must remain possible under it."""
    env = infra_package.stage_environment(stage)
    boundary = statements("ApplicationBoundary")
    role = templates[stage]["Resources"]["DefaultRole"]["Properties"]["Policies"]
    names = {
        "dynamodb": [f"arn:aws:dynamodb:eu-west-3:123456789012:table/{env['TABLE_NAME']}/index/GSI1"],
        "secretsmanager": [
            f"arn:aws:secretsmanager:eu-west-3:123456789012:secret:{name}-AbCdEf"
            for name in (env["SECRET_NAME"], env["STAFF_TOKENS_SECRET"], f"{env['SECRET_NAME']}/origin-verify")
        ],
        "logs": [f"arn:aws:logs:eu-west-3:123456789012:log-group:/aws/lambda/datacity-{stage}-api:*"],
        "ses": [f"arn:aws:ses:eu-west-3:123456789012:identity/{env['SITE_ORIGIN'].split('//', 1)[1]}"],
    }
    for statement in (s for policy in role for s in policy["PolicyDocument"]["Statement"]):
        for action in as_list(statement["Action"]):
            arns = names[action.split(":")[0]]
            fits = [
                b
                for b in boundary
                if action in b["Action"] and all(any(glob(r, stage, arn) for r in b["Resource"]) for arn in arns)
            ]
            assert fits, f"the application boundary would refuse {action} to the {stage} functions"


def glob(pattern: dict, stage: str, arn: str) -> bool:
    """Whether an IAM resource pattern (a Fn::Sub with * wildcards) of the bootstrap of this stage covers the ARN."""
    text = pattern["Fn::Sub"].replace("${GitHubEnvironment}", stage)
    text = deploy_policy.sample(text.replace("*", "\0")).replace("\0", "*")
    return re.fullmatch(re.escape(text).replace(r"\*", ".*"), arn) is not None


def test_the_deploy_role_reads_only_the_origin_secrets_version():
    granted = {a for s in statements("DeployRole") for a in as_list(s["Action"])}
    assert "secretsmanager:GetSecretValue" not in granted
    (describe,) = [s for s in statements("DeployRole") if "secretsmanager:DescribeSecret" in as_list(s["Action"])]
    assert describe["Resource"]["Fn::Sub"].endswith("/origin-verify-*")
    assert BOOTSTRAP["Outputs"]["ApplicationBoundaryArn"]["Value"] == {"Ref": "ApplicationBoundary"}
