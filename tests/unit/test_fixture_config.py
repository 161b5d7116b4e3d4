"""The valid fixture's mkdocs.yml is the repository's, with the site in the fixture's two languages."""

from tests.site_config import HEADER, VALID_CONFIG, site_config


def test_the_valid_fixture_has_the_repository_s_configuration_in_french_and_english():
    expected = HEADER + site_config("fr", "en")
    assert VALID_CONFIG.read_text(encoding="utf-8") == expected, "run: .venv/bin/python -m tests.site_config"
    assert "- locale: ca" not in expected and "- locale: en" in expected
