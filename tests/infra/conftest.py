"""Infrastructure tests: the site is built and both stages are packaged once per session, offline.

- INFRA_SITE_DIR=<dir> uses an already built site instead of building one (scripts/check_infra.sh passes site/).
- INFRA_BUILD_DIR=<dir> uses templates already packaged into <dir>/dev and <dir>/prod by `python -m infra.package`
  (scripts/check_infra.sh packages them once, lints them and hands them over here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.dynamodb_local import dynamodb_local  # noqa: F401  (session fixture: DynamoDB Local)

ROOT = Path(__file__).resolve().parents[2]
PINNED_NOW = "2026-11-26T12:00:00+00:00"  # as the site and browser tests: page states do not depend on the day
STAGES = ("dev", "prod")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds the site and packages the app (about a minute on 2 cores)")


@pytest.fixture(scope="session")
def infra_site(tmp_path_factory) -> Path:
    given = os.environ.get("INFRA_SITE_DIR")
    if given:
        site = Path(given).resolve()
        assert (site / "catalog.json").is_file(), f"INFRA_SITE_DIR={given} holds no built site"
        return site
    site = tmp_path_factory.mktemp("infra-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DATACITY_NOW": PINNED_NOW}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{done.stderr[-4000:]}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def packaged(infra_site, tmp_path_factory) -> dict[str, Path]:
    """stage -> directory holding sam.json, deployment.zip and merge-template.json."""
    given = os.environ.get("INFRA_BUILD_DIR")
    if given:
        dirs = {stage: Path(given).resolve() / stage for stage in STAGES}
        for stage, path in dirs.items():
            assert (path / "sam.json").is_file(), f"INFRA_BUILD_DIR={given}: {stage}/sam.json is missing"
        return dirs
    from infra.package import PackageError, package

    out = tmp_path_factory.mktemp("infra-build")
    dirs = {}
    for stage in STAGES:
        try:
            package(stage, out / stage, infra_site, region="eu-west-3")
        except PackageError as error:
            pytest.fail(str(error), pytrace=False)
        dirs[stage] = out / stage
    return dirs


@pytest.fixture(scope="session")
def templates(packaged) -> dict[str, dict]:
    return {stage: json.loads((path / "sam.json").read_text(encoding="utf-8")) for stage, path in packaged.items()}


@pytest.fixture(scope="session")
def prod(templates) -> dict:
    return templates["prod"]
