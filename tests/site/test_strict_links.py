"""What `mkdocs build --strict` refuses, the validator refuses first, at the source file and line (issue #13): a
relative link in a challenge's text or a link to a missing page in a content page."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from site_builder.cli import main

from .conftest import FIXTURES, REPO, mkdocs_build

CASES = ("body-relative-link", "page-link-to-missing-page")


def test_the_validator_refuses_the_links_the_strict_build_refuses(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "valid", root)
    for case in CASES:
        source = FIXTURES / "broken" / case
        for path in source.rglob("*"):
            if path.is_file() and path.name != "EXPECT":
                shutil.copy(path, root / path.relative_to(source))
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / ".build" / "docs").mkdir(parents=True)
    built = mkdocs_build(root, tmp_path / "site")
    # Before the validator knew these links, the build stopped on warnings naming generated files
    # ("Doc file 'fr/test-city/challenges/water-leaks.md' contains a link 'images/carte.png'"); now it stops at once on
    # the validator's problems, at the files and lines the staff wrote.
    assert built.returncode != 0
    assert "Doc file" not in built.stderr
    for case in CASES:
        expected = (FIXTURES / "broken" / case / "EXPECT").read_text(encoding="utf-8").strip()
        assert expected in built.stderr
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    for case in CASES:
        expected = (FIXTURES / "broken" / case / "EXPECT").read_text(encoding="utf-8").strip()
        assert expected in result.output
