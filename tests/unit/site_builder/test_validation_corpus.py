"""Every broken file in tests/fixtures/broken yields its own message, on the right file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import main
from site_builder.load import load_site
from tests import FIXTURES

CASES = sorted(p.name for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def overlay(case: str, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "valid", root)
    source = FIXTURES / "broken" / case
    for path in source.rglob("*"):
        if path.is_file() and path.name != "EXPECT":
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return root


def test_valid_fixture_passes():
    site, problems = load_site(FIXTURES / "valid")
    assert problems == []
    assert [c.id for c in site.published()] == ["quiet-streets", "water-leaks"]


def test_corpus_covers_every_error_kind():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_broken_case_reports_its_problem(case, tmp_path):
    root = overlay(case, tmp_path)
    _, problems = load_site(root)
    messages = [p.format(root) for p in problems]
    for expected in (FIXTURES / "broken" / case / "EXPECT").read_text(encoding="utf-8").splitlines():
        assert any(m.startswith(expected) for m in messages), f"expected {expected!r}\n got {messages}"
    # Every message says how to fix it.
    assert all("; " in m for m in messages), messages


@pytest.mark.parametrize("case", ["unknown-theme", "yaml-syntax", "duplicate-id"])
def test_cli_prints_problems_and_fails(case, tmp_path):
    root = overlay(case, tmp_path)
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    expected = (FIXTURES / "broken" / case / "EXPECT").read_text(encoding="utf-8").splitlines()[0]
    assert expected in result.output


def test_cli_reports_every_problem_at_once(tmp_path):
    root = overlay("unknown-theme", tmp_path)
    extra = FIXTURES / "broken" / "sdg-out-of-range" / "challenges" / "test-city" / "water-leaks.md"
    shutil.copy(extra, root / "challenges" / "test-city" / "quiet-streets.md")
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    assert "unknown theme 'mobilty'" in result.output
    assert "SDG 18 is out of range" in result.output


def test_cli_github_annotations(tmp_path):
    root = overlay("unknown-theme", tmp_path)
    result = CliRunner().invoke(main, ["validate", "--root", str(root), "--github"])
    assert "::error file=challenges/test-city/water-leaks.md,line=8::" in result.output


def test_cli_ok_on_valid_content():
    result = CliRunner().invoke(main, ["validate", "--root", str(FIXTURES / "valid")])
    assert result.exit_code == 0, result.output
    assert "OK: 1 program, 2 published challenges, 1 draft." in result.output
