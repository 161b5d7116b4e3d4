"""Contacts come from content/site.yml and program.yml, checked with their line (issue #15)."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.load import load_site
from tests import ROOT

SITE_YML = """publisher:
  fr: Ville de Test
  en: City of Test
contact:
  email: contact@ville-test.fr
  privacy: dpo@ville-test.fr
  accessibility: {accessibility}
"""


def copy_repo(tmp: Path) -> Path:
    for name in ("mkdocs.yml", "content", "challenges"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp / name)
    return tmp


def messages(problems, root: Path) -> list[str]:
    return [p.format(root) for p in problems]


def test_the_repository_declares_every_contact_its_pages_show():
    site, problems = load_site(ROOT)
    assert problems == []
    assert set(site.contact) == {"email", "privacy", "accessibility"}
    assert all(p.contact.get("email") for p in site.programs.values())


def test_a_placeholder_address_is_refused_at_its_line(tmp_path):
    root = copy_repo(tmp_path)
    (root / "content" / "site.yml").write_text(SITE_YML.format(accessibility="accessibilite@datacity.example"))
    _, problems = load_site(root)
    found = messages(problems, root)
    assert any(
        m.startswith("content/site.yml:7: contact.accessibility:") and "placeholder" in m and "write the address" in m
        for m in found
    ), found


def test_a_malformed_program_contact_is_refused_at_its_line(tmp_path):
    root = copy_repo(tmp_path)
    program = root / "challenges" / "lyon-2027" / "program.yml"
    text = program.read_text().replace("email: lyon-2027@consultation.example.org", "email: équipe lyon")
    program.write_text(text)
    line = text.splitlines().index("  email: équipe lyon") + 1
    _, problems = load_site(root)
    assert any(
        m.startswith(f"challenges/lyon-2027/program.yml:{line}: contact.email: 'équipe lyon' is not an email")
        for m in messages(problems, root)
    ), messages(problems, root)


def test_a_page_showing_an_undeclared_contact_is_refused(tmp_path):
    root = copy_repo(tmp_path)
    (root / "content" / "site.yml").unlink()
    page = root / "content" / "en" / "accessibility.md"
    page.write_text(page.read_text() + "\nOr write to <!-- contact: acessibility -->\n")
    _, problems = load_site(root)
    found = messages(problems, root)
    assert any(
        m.startswith("content/fr/privacy.md:")
        and "privacy contact, which is not declared" in m
        and "content/site.yml" in m
        for m in found
    ), found
    assert any("unknown contact 'acessibility'" in m and "did you mean" in m.lower() for m in found), found


def test_example_org_addresses_are_refused_on_a_site_published_elsewhere(tmp_path, monkeypatch):
    """example.org/.com/.net reach no one: only the example site, published at consultation.example.org, may use
    its own domain; a site published at its city's address refuses them in site.yml and program.yml alike."""
    root = copy_repo(tmp_path)
    (root / "content" / "site.yml").write_text(SITE_YML.format(accessibility="a11y@example.com"))
    program = root / "challenges" / "lyon-2027" / "program.yml"
    text = program.read_text()
    line = text.splitlines().index("  email: lyon-2027@consultation.example.org") + 1
    monkeypatch.setenv("DATACITY_SITE_URL", "https://participez.ville-test.fr/")
    found = messages(load_site(root)[1], root)
    for prefix, reserved in (
        ("content/site.yml:7: contact.accessibility: 'a11y@example.com'", "example.com"),
        (
            f"challenges/lyon-2027/program.yml:{line}: contact.email: 'lyon-2027@consultation.example.org'",
            "example.org",
        ),
    ):
        assert any(
            m.startswith(prefix) and f"{reserved} is reserved" in m and m.endswith("on your own domain") for m in found
        ), (prefix, found)
    for domain in ("x.invalid", "mairie.test", "example.net"):
        (root / "content" / "site.yml").write_text(SITE_YML.format(accessibility=f"a11y@{domain}"))
        assert any("content/site.yml:7: contact.accessibility:" in m for m in messages(load_site(root)[1], root))
    # The example site itself (its placeholder domain, or a local build) keeps its demonstration addresses.
    monkeypatch.delenv("DATACITY_SITE_URL")
    found = messages(load_site(root)[1], root)
    assert not any("program.yml" in m and "placeholder" in m for m in found), found
