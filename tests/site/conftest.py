"""Build the example site once per test session, the way production does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
PINNED_NOW = "2026-11-26T12:00:00+00:00"


def mkdocs_build(root: Path, site_dir: Path, config: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DATACITY_NOW": PINNED_NOW}
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(config or root / "mkdocs.yml"),
        "-d",
        str(site_dir),
    ]
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@pytest.fixture
def fixture_root(tmp_path) -> Path:
    """The small valid fixture (its mkdocs.yml: the repository's, in French and English) and the theme."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / ".build" / "docs").mkdir(parents=True)
    return root
