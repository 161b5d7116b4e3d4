"""The CloudFormation execution role's permissions, derived from what the stacks create (least privilege).

    python -m infra.deploy_policy --build build/infra            # check infra/bootstrap.json (exit 1 if it differs)
    python -m infra.deploy_policy --build build/infra --write    # rewrite its CloudFormationExecutionRole policy

For every resource type in the packaged templates (main and edge stack; SAM's types counted as what SAM makes of
them), CloudFormation's own resource schemas list the IAM actions their create, read, update and delete handlers
call (cfn-lint ships those schemas). Each action is granted only on this stage's resources, by name prefix
(`<StackPrefix>-<GitHubEnvironment>`), or on "*" where IAM knows no resource for it (cfn-lint's copy of the Service
Authorization Reference says which). Features the stacks do not use (VPC, EFS, Kinesis, customer managed KMS keys,
Lambda layers and code signing...) are not granted, nor anything that would let the role escalate its own rights:
it may create or change a role only if that role carries the application permissions boundary.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BOOTSTRAP = ROOT / "infra" / "bootstrap.json"
ROLE = "CloudFormationExecutionRole"
POLICY = "DeployTheStacks"

# What SAM's resource types become (the Chalice template uses these two; the SAM specification lists the rest).
SAM_EXPANDS = {
    # With AutoPublishAlias (the forms' function URL points at that alias) also a Version and an Alias.
    "AWS::Serverless::Function": (
        "AWS::Lambda::Function",
        "AWS::Lambda::Permission",
        "AWS::Events::Rule",
        "AWS::Lambda::Version",
        "AWS::Lambda::Alias",
    ),
    "AWS::Serverless::Api": ("AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage"),
}
# Services some handlers may call for features these stacks never use: not granted.
UNUSED_SERVICES = {"ec2", "elasticfilesystem", "s3files", "s3tables", "firehose", "kinesis", "kms", "payments"}
# Actions not granted although a handler lists them, and why.
WITHHELD = {
    "iam:AttachRolePolicy": "the stacks' roles have inline policies only; attaching a managed one could grant anything",
    "iam:DetachRolePolicy": "no managed policy is ever attached",
    "iam:DeleteRolePermissionsBoundary": "a role of the stacks must never lose its permissions boundary",
    "iam:CreateServiceLinkedRole": "no resource of the stacks needs a service-linked role",
    "dynamodb:CreateTableReplica": "no global table",
    "dynamodb:AssociateTableReplica": "no global table",
    "dynamodb:ImportTable": "no import from S3",
    "secretsmanager:ReplicateSecretToRegions": "no replica secrets",
    "secretsmanager:RemoveRegionsFromReplication": "no replica secrets",
    "s3:PutBucketReplication": "no replication",
    "s3:PutReplicationConfiguration": "no replication",
    "s3:PutBucketAcl": "ACLs are disabled (BucketOwnerEnforced)",
    "s3:PutObjectAcl": "ACLs are disabled (BucketOwnerEnforced)",
    "s3:PutBucketWebsite": "the bucket is private, read through CloudFront only",
    "logs:PutResourcePolicy": "no log resource policy: it would let other services write into the stacks' logs",
    "logs:DeleteResourcePolicy": "no log resource policy",
    "lambda:AssociateRuntimeAlias": "no runtime alias",
    "lambda:PassCapacityProvider": "no capacity provider",
}
# Actions no handler lists that deploying still needs.
EXTRA: dict[str, str] = {}

_NAME = "${StackPrefix}-${GitHubEnvironment}"
_ACCOUNT = "${AWS::AccountId}"
_P = "arn:${AWS::Partition}"
# Where each service's actions may apply: this stage's resources only. The edge stack's live in us-east-1.
SCOPES: dict[str, list[str]] = {
    "apigateway": [
        f"{_P}:apigateway:${{AWS::Region}}::/restapis",
        f"{_P}:apigateway:${{AWS::Region}}::/restapis/*",
        f"{_P}:apigateway:${{AWS::Region}}::/tags/*",
    ],
    # CloudFront names its resources by generated ids: any of the account's, by type.
    "cloudfront": [
        f"{_P}:cloudfront::{_ACCOUNT}:{kind}/*"
        for kind in (
            "distribution",
            "function",
            "cache-policy",
            "origin-request-policy",
            "response-headers-policy",
            "origin-access-control",
        )
    ],
    "cloudwatch": [
        f"{_P}:cloudwatch:${{AWS::Region}}:{_ACCOUNT}:alarm:{_NAME}-*",
        f"{_P}:cloudwatch:us-east-1:{_ACCOUNT}:alarm:{_NAME}-*",
        f"{_P}:cloudwatch::{_ACCOUNT}:dashboard/{_NAME}",
    ],
    "dynamodb": [
        f"{_P}:dynamodb:${{AWS::Region}}:{_ACCOUNT}:table/{_NAME}",
        f"{_P}:dynamodb:${{AWS::Region}}:{_ACCOUNT}:table/{_NAME}/*",
    ],
    "events": [f"{_P}:events:${{AWS::Region}}:{_ACCOUNT}:rule/{_NAME}-*"],
    "iam": [f"{_P}:iam::{_ACCOUNT}:role/{_NAME}-*"],
    "lambda": [f"{_P}:lambda:${{AWS::Region}}:{_ACCOUNT}:function:{_NAME}-*"],
    "logs": [
        f"{_P}:logs:${{AWS::Region}}:{_ACCOUNT}:log-group:/aws/lambda/{_NAME}-*",
        f"{_P}:logs:${{AWS::Region}}:{_ACCOUNT}:log-group:/aws/lambda/{_NAME}-*:*",
    ],
    "s3": [f"{_P}:s3:::{_NAME}-*", f"{_P}:s3:::{_NAME}-*/*", "${ArtifactsBucket.Arn}/*"],
    "secretsmanager": [
        f"{_P}:secretsmanager:${{AWS::Region}}:{_ACCOUNT}:secret:${{StackPrefix}}/${{GitHubEnvironment}}*"
    ],
    # An SES identity is named by its domain or address, which no stage prefix can scope: the region's identities.
    "ses": [f"{_P}:ses:${{AWS::Region}}:{_ACCOUNT}:identity/*"],
    "sns": [f"{_P}:sns:${{AWS::Region}}:{_ACCOUNT}:{_NAME}-*", f"{_P}:sns:us-east-1:{_ACCOUNT}:{_NAME}-*"],
    "wafv2": [
        f"{_P}:wafv2:us-east-1:{_ACCOUNT}:global/webacl/{_NAME}/*",
        f"{_P}:wafv2:us-east-1:*:global/managedruleset/*/*",
    ],
}
# IAM actions on roles that change what a role may do: only on roles that carry the application boundary.
BOUNDED_IAM = ("iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePolicy")
BOUNDARY_CONDITION = {"StringEquals": {"iam:PermissionsBoundary": {"Ref": "ApplicationBoundary"}}}
PASS_ROLE_CONDITION = {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}
# Sample values for the ${...} of the scopes above, to test them against IAM's ARN formats.
SAMPLE = {
    "${AWS::Partition}": "aws",
    "${AWS::Region}": "eu-west-3",
    "${AWS::AccountId}": "123456789012",
    "${StackPrefix}": "datacity",
    "${GitHubEnvironment}": "prod",
    "${ArtifactsBucket.Arn}": "arn:aws:s3:::datacity-bootstrap-prod-artifactsbucket-abc",
}


def _cfnlint_data() -> Path:
    import cfnlint

    return Path(cfnlint.__file__).parent / "data"


def resource_types(templates: list[dict]) -> set[str]:
    found: set[str] = set()
    for template in templates:
        for resource in template["Resources"].values():
            found.update(SAM_EXPANDS.get(resource["Type"], (resource["Type"],)))
    return found


def handler_actions(types: set[str]) -> dict[str, set[str]]:
    """action -> the resource types whose CloudFormation handlers call it."""
    data = _cfnlint_data() / "schemas"
    index = {}
    for region in ("us-east-1", "eu-west-3"):
        index.update(json.loads((data / "providers" / f"{region}.json").read_text()))
    needed: dict[str, set[str]] = defaultdict(set)
    for kind in sorted(types):
        if kind not in index:
            raise ValueError(f"cfn-lint has no schema for {kind}: update cfn-lint or the SAM_EXPANDS table")
        schema = json.loads((data / "resources" / f"{index[kind]}.json").read_text())
        for operation in ("create", "read", "update", "delete"):
            for action in schema.get("handlers", {}).get(operation, {}).get("permissions", []):
                needed[action].add(kind)
    return needed


def iam_reference() -> dict:
    return json.loads((_cfnlint_data() / "AdditionalSpecs" / "Policies.json").read_text())


def arn_formats(action: str, reference: dict) -> list[str] | None:
    """The ARN patterns (regular expressions) IAM accepts for an action; None if it takes no resource ("*")."""
    service, name = action.split(":")
    entry = reference.get(service, {})
    kinds = entry.get("Actions", {}).get(name.lower(), {}).get("Resources", [])
    if not kinds:
        return None
    formats = []
    for kind in kinds:
        for arn in (
            entry.get("Resources", {}).get(kind.lower(), entry.get("Resources", {}).get(kind, {})).get("ARNFormats", [])
        ):
            formats.append(re.sub(r"\$\{[^}]+\}", "[^:]*", arn))
    return formats


def sample(scope: str) -> str:
    for name, value in SAMPLE.items():
        scope = scope.replace(name, value)
    return scope.replace("*", "x")


def scoped(action: str, reference: dict) -> list[str] | None:
    """This stage's resources the action may apply to; ["*"] if IAM knows none for it; None if none of ours fits."""
    formats = arn_formats(action, reference)
    if formats is None:
        return ["*"]
    fitting = [s for s in SCOPES.get(action.split(":")[0], []) if any(re.fullmatch(f, sample(s)) for f in formats)]
    return fitting or None


def policy_statements(templates: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """The role's statements, and the handler actions not granted with the reason."""
    reference = iam_reference()
    needed = handler_actions(resource_types(templates))
    left_out: dict[str, str] = {}
    grants: dict[tuple, list[str]] = defaultdict(list)
    for action in sorted(set(needed) | set(EXTRA)):
        service = action.split(":")[0]
        if service in UNUSED_SERVICES:
            left_out[action] = f"{service} is not used by the stacks"
            continue
        if action.split(":")[1].lower() not in reference.get(service, {}).get("Actions", {}):
            left_out[action] = "not an IAM action (the schema names an API call that IAM authorizes under another name)"
            continue
        if action in WITHHELD:
            left_out[action] = WITHHELD[action]
            continue
        resources = scoped(action, reference)
        if resources is None:
            left_out[action] = "acts on resources the stacks do not have"
            continue
        condition = None
        if action in BOUNDED_IAM:
            condition = "boundary"
        elif action == "iam:PassRole":
            condition = "pass"
        grants[(service, tuple(resources), condition)].append(action)
    statements = []
    for (service, resources, condition), actions in sorted(
        grants.items(), key=lambda g: (g[0][0], g[0][2] or "", g[0][1])
    ):
        sid = service.capitalize() + ("" if resources != ("*",) else "AnyResource")
        sid += {"boundary": "OnlyWithBoundary", "pass": "ToLambdaOnly", None: ""}[condition]
        sid = re.sub(r"[^A-Za-z0-9]", "", sid)
        taken = sum(1 for s in statements if s["Sid"].rstrip("0123456789") == sid)
        statement: dict[str, Any] = {
            "Sid": sid + (str(taken + 1) if taken else ""),
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": [r if r == "*" else {"Fn::Sub": r} for r in resources],
        }
        if condition == "boundary":
            statement["Condition"] = BOUNDARY_CONDITION
        elif condition == "pass":
            statement["Condition"] = PASS_ROLE_CONDITION
        statements.append(statement)
    return statements, left_out


def load_templates(build: Path) -> list[dict]:
    templates = []
    for stage in ("dev", "prod"):
        for name in ("sam.json", "edge.json"):
            path = build / stage / name
            if not path.is_file():
                raise FileNotFoundError(f"{path} is missing: run `python -m infra.package --stage {stage} ...` first")
            templates.append(json.loads(path.read_text(encoding="utf-8")))
    return templates


def current_statements(bootstrap: dict) -> list[dict]:
    policies = bootstrap["Resources"][ROLE]["Properties"]["Policies"]
    (policy,) = [p for p in policies if p["PolicyName"] == POLICY]
    return policy["PolicyDocument"]["Statement"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "infra", help="holds dev/ and prod/ packages")
    parser.add_argument("--write", action="store_true", help="rewrite infra/bootstrap.json")
    args = parser.parse_args(argv)
    statements, left_out = policy_statements(load_templates(args.build))
    bootstrap = json.loads(BOOTSTRAP.read_text(encoding="utf-8"))
    if args.write:
        policies = bootstrap["Resources"][ROLE]["Properties"]["Policies"]
        (policy,) = [p for p in policies if p["PolicyName"] == POLICY]
        policy["PolicyDocument"]["Statement"] = statements
        BOOTSTRAP.write_text(json.dumps(bootstrap, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(
            f"infra/bootstrap.json: {sum(len(s['Action']) for s in statements)} actions in {len(statements)} statements"
        )
        for action, why in sorted(left_out.items()):
            print(f"  not granted: {action}: {why}")
        return 0
    if current_statements(bootstrap) != statements:
        print(
            "infra/bootstrap.json: the CloudFormation role's policy is not what the stacks need: run "
            "`python -m infra.deploy_policy --write` and review the diff",
            file=sys.stderr,
        )
        return 1
    print("infra/bootstrap.json: the CloudFormation role's policy matches the stacks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
