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


def test_a_challenge_texts_link_to_a_page_that_does_not_exist_is_refused_at_its_line(tmp_path):
    """A link between generated pages (another challenge's file name, a page from the challenge's folder) can only be
    followed once the pages exist: the validator generates them and refuses a dead one at the line staff wrote,
    and the build stops on the same line, not on a warning that names the generated page."""
    root = tmp_path / "root"
    shutil.copytree(FIXTURES / "valid", root)
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / ".build" / "docs").mkdir(parents=True)
    challenge = root / "challenges" / "test-city" / "water-leaks.md"
    text = challenge.read_text(encoding="utf-8").replace(
        "Le texte en français.",
        "Le texte en français, près des [rues calmes](quiet-streets.md#participate).\n\n"
        "Lire la [vie privée](../../privacy.md) et [une page perdue](quiet-street.md).",
    )
    challenge.write_text(text, encoding="utf-8")
    line = text.splitlines().index("Lire la [vie privée](../../privacy.md) et [une page perdue](quiet-street.md).") + 1
    expected = (
        f"challenges/test-city/water-leaks.md:{line}: body: the link 'quiet-street.md' leads to no page of the site"
    )
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert result.output.count("leads to no page") == 1, result.output  # the other two links are good
    built = mkdocs_build(root, tmp_path / "site")
    assert built.returncode != 0
    assert expected in built.stderr and "Doc file" not in built.stderr
