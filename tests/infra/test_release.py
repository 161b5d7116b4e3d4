"""The release gate: production deploys a tagged release on main after the full test suite, from hashed locks."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from infra import lock

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step(job: dict, name: str) -> dict:
    (found,) = [s for s in job["steps"] if s.get("name") == name]
    return found


def test_deploys_start_from_release_tags_only():
    deploy = workflow("deploy.yml")
    assert deploy["on"]["push"] == {"tags": ["v*"]}  # no branch push deploys
    assert set(deploy["on"]) == {"push", "schedule", "workflow_dispatch"}
    pick = step(deploy["jobs"]["release"], "Check the release")["run"]
    assert "^v[0-9]+\\.[0-9]+\\.[0-9]+$" in pick
    assert 'git merge-base --is-ancestor "$sha" origin/main' in pick
    assert "--merged origin/main" in pick  # the daily run takes the latest release on main, not main itself
    for name in ("test", "deploy"):
        (checkout,) = [s for s in steps(deploy["jobs"][name]) if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout["with"]["ref"] == "${{ needs.release.outputs.sha }}", name


def test_the_deploy_waits_for_the_full_test_suite_of_that_release():
    jobs = workflow("deploy.yml")["jobs"]
    assert jobs["test"]["needs"] == "release"
    assert set(jobs["deploy"]["needs"]) == {"release", "test"}
    assert step(jobs["test"], "Test")["run"] == "make test"
    assert "environment" in jobs["deploy"] and "environment" not in jobs["test"]  # no AWS access while testing
    assert jobs["deploy"]["permissions"]["id-token"] == "write"
    assert workflow("deploy.yml")["permissions"] == {"contents": "read"}


def test_the_edge_stack_goes_to_us_east_1_first_and_the_stack_gets_its_protections():
    deploy = workflow("deploy.yml")["jobs"]["deploy"]
    names = [s.get("name") for s in steps(deploy)]
    assert names.index("Deploy the edge stack (AWS WAF, us-east-1)") < names.index("Deploy the stack")
    edge = step(deploy, "Deploy the edge stack (AWS WAF, us-east-1)")["run"]
    assert "--region us-east-1" in edge and "build/infra/$STAGE/edge.json" in edge
    main = step(deploy, "Deploy the stack")
    for parameter in ("WebAclArn", "PermissionsBoundaryArn", "OriginSecretVersion", "AlarmEmail"):
        assert f'"{parameter}=$' in main["run"], parameter
    assert main["env"]["WEB_ACL_ARN"] == "${{ steps.edge.outputs.web_acl }}"
    assert "--s3-bucket" in main["run"].split("aws cloudformation deploy", 1)[1]  # templates over 51,200 bytes


def test_every_python_install_of_the_pipelines_checks_hashes():
    texts = {path.name: path.read_text(encoding="utf-8") for path in WORKFLOWS.glob("*.yml")}
    texts["Makefile"] = (ROOT / "Makefile").read_text(encoding="utf-8")
    # The Makefile's environment is installed by scripts/setup.sh (`make venv`, `make serve`, `make test`).
    texts["setup.sh"] = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    for name, text in texts.items():
        for line in text.splitlines():
            if re.search(r"pip install (?!.*--no-deps --no-build-isolation -e \.)", line) and "pipx" not in line:
                assert "--require-hashes" in line, f"{name}: {line.strip()}"
    assert "--require-hashes --no-deps -r requirements/tools.txt" in texts["setup.sh"]
    assert '"infra.lock"' in texts["setup.sh"] and "@$(SETUP) python" in texts["Makefile"]


def test_pull_requests_audit_the_locks_and_publish_an_sbom():
    job = workflow("pull_request.yml")["jobs"]["supply-chain"]
    install = step(job, "Install pip-audit and the CycloneDX generator")["run"]
    assert "--require-hashes --no-deps -r requirements/audit.txt" in install
    audit = step(job, "Audit the locked dependencies")["run"]
    assert "pip-audit --strict" in audit and "--require-hashes" in audit
    assert "-r requirements/lambda.txt" in audit and "-r requirements/tools.txt" in audit
    sbom = step(job, "Software bill of materials (CycloneDX)")["run"]
    assert "cyclonedx-py requirements requirements/lambda.txt" in sbom
    assert "cyclonedx-py requirements requirements/tools.txt" in sbom
    upload = step(job, "Upload the SBOM")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "sbom/"


def test_the_locks_pin_with_hashes_everything_the_project_declares():
    assert lock.problems() == []
    pinned, problems = lock.pins(ROOT / "requirements" / "lambda.txt")
    assert not problems and {"cryptography", "cffi"} <= set(pinned)


def test_a_stale_or_unhashed_lock_is_refused(tmp_path):
    for name in (
        "pyproject.toml",
        "api/requirements.txt",
        *lock.LOCKS,
        "requirements/build.in",
        "requirements/audit.in",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"click>=8.1,<9",', '"click>=8.1,<9",\n  "left-pad>=1",'))
    tools = tmp_path / "requirements" / "tools.txt"
    lines, in_ruff = [], False
    for line in tools.read_text().splitlines():
        if line.startswith("ruff=="):
            in_ruff, line = True, line.split(" ")[0]
        elif not line.startswith(" "):
            in_ruff = False
        if not (in_ruff and "--hash=" in line):
            lines.append(line)
    tools.write_text("\n".join(lines) + "\n")
    api = tmp_path / "api" / "requirements.txt"
    api.write_text("cryptography>=99\n")
    found = lock.problems(tmp_path)
    assert any("left-pad>=1" in p and "does not pin" in p for p in found), found
    assert any("ruff has no --hash" in p for p in found), found
    assert any("cryptography>=99" in p and "pins cryptography==" in p for p in found), found


@pytest.mark.slow
def test_the_function_ships_exactly_the_locked_wheels(packaged):
    pinned, _ = lock.pins(ROOT / "requirements" / "lambda.txt")
    with zipfile.ZipFile(packaged["prod"] / "deployment.zip") as archive:
        names = archive.namelist()
        shipped = {
            m.group(1).lower().replace("_", "-"): m.group(2)
            for m in (re.match(r"([^/]+)-([^-/]+)\.dist-info/METADATA$", n) for n in names)
            if m
        }
        binaries = [n for n in names if n.endswith(".so")]
        assert all(archive.read(n)[:4] == b"\x7fELF" for n in binaries)  # Linux builds, for Lambda
    assert shipped == pinned
