"""The staff commands' help speaks the staff's language, click's own words included, in the language of each run."""

from __future__ import annotations

import gettext

import click
import pytest
from click.testing import CliRunner

from site_builder import staff_click, staff_text
from site_builder.cli import main

FRENCH = {"LANGUAGE": "fr"}
ENGLISH = {"LANGUAGE": "en"}


def run(env: dict[str, str], *args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), env=env, prog_name="datacity")


def every_command(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


@pytest.mark.parametrize("order", [("fr", "en"), ("en", "fr")])
def test_help_is_in_the_language_of_each_run_whatever_ran_before(order):
    # Help translated once (at import or at the first help shown) would keep the first run's language.
    for lang in order:
        result = run({"LANGUAGE": lang}, "--help")
        assert result.exit_code == 0, result.output
        if lang == "fr":
            assert result.output.startswith("Utilisation : datacity [OPTIONS] COMMAND [ARGS]...")
            # A heading's colon is French too (click writes it outside its message).
            for words in ("Outils pour l'équipe des programmes DataCity.", "\nOptions :\n", "\nCommandes :\n"):
                assert words in result.output, result.output
            assert "--help  Affiche ce message et quitte." in result.output
            assert "Vérifie chaque programme, défi et page" in result.output
            assert "Usage:" not in result.output and "Show this message" not in result.output
        else:
            assert result.output.startswith("Usage: datacity [OPTIONS] COMMAND [ARGS]...")
            assert "Tools for DataCity program staff." in result.output
            assert "\nOptions:\n" in result.output and "\nCommands:\n" in result.output
            assert "--help  Show this message and exit." in result.output
            assert "Check every program, challenge and page" in result.output


def test_an_option_help_with_a_value_and_clicks_required_mark_in_french():
    result = run(FRENCH, "moderate", "reject", "--help")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Refuse un commentaire en attente ou masqué (demande --reason)." in flat
    assert "La catégorie de motif (journal d'audit, registre). [obligatoire]" in flat
    assert "Facultatif, au plus 500 caractères ; ne va que dans le journal d'audit." in flat
    english = " ".join(run(ENGLISH, "moderate", "reject", "--help").output.split())
    assert "The reason category (audit log, record). [required]" in english
    assert "Optional, at most 500 characters; goes to the audit log only." in english


def test_clicks_errors_in_french_then_in_english():
    result = run(FRENCH, "moderate", "--nope")
    assert result.exit_code == 2
    assert "Essayez « datacity moderate --help » pour l'aide." in result.output
    assert "Erreur : Pas d'option '--nope'." in result.output
    missing = run(FRENCH, "staff-token", "revoke")
    assert "Erreur : Argument manquant 'TOKEN_ID'." in missing.output, missing.output
    result = run(ENGLISH, "moderate", "--nope")
    assert "Error: No such option '--nope'." in result.output
    assert "Error: Missing argument 'TOKEN_ID'." in run(ENGLISH, "staff-token", "revoke").output


@pytest.mark.parametrize("path", [p for p, _c in every_command()], ids=" ".join)
def test_every_command_help_is_french_from_usage_to_the_last_option(path):
    french = run(FRENCH, *path, "--help") if path != ("verify-tally",) else None
    command = dict(every_command())[path]
    assert command.help, f"{' '.join(path)} has no help"
    # The English each help is kept in, and the values of its {placeholders}.
    texts = [(command.__dict__["help"], {})] + [
        (p.__dict__["help"], getattr(p, "help_values", {})) for p in command.params if p.__dict__.get("help")
    ]
    for english, _values in texts:
        assert staff_text.text(english, "fr") != english, f"{' '.join(path)}: not translated: {english!r}"
    if french is not None:
        assert french.exit_code == 0, french.output
        assert french.output.startswith("Utilisation :") and "Affiche ce message et quitte." in french.output
        flat = "".join(french.output.split())  # click wraps lines at spaces and after hyphens
        for english, values in texts:
            assert "".join(staff_text.text(english, "fr", **values).split()) in flat, (english, french.output)


def test_click_finds_the_staff_language_as_the_staff_messages_do(monkeypatch):
    staff_click.install_click_words()
    for env in (
        {"LANGUAGE": "fr"},
        {"LANG": "fr_FR.UTF-8"},
        {"LANG": "fr_BE.UTF-8"},
        {"LANG": "C.UTF-8"},
        {"LANGUAGE": "de:fr", "LANG": "en_GB.UTF-8"},
        {"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"},
        {"LANGUAGE": "", "LC_ALL": "", "LANG": "fr_CA.UTF-8"},
        {},
    ):
        for name in staff_text.ENVIRONMENT:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        expected = "Utilisation :" if staff_text.language() == "fr" else "Usage:"
        assert gettext.gettext("Usage:") == expected, env


def test_without_a_writable_cache_the_commands_run_and_their_own_help_is_french(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file: no folder can be made under it
    staff_click._compiled_catalogs.cache_clear()
    try:
        assert staff_click._compiled_catalogs() is None
        result = run(FRENCH, "staff-token", "--help")
        assert result.exit_code == 0 and "Crée, révoque et liste les jetons d'équipe" in result.output
    finally:
        staff_click._compiled_catalogs.cache_clear()
