"""Every setting is declared once, with a default and a line of help, and documented (docs/settings.md)."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from chalicelib.settings import DEFAULTS, SETTINGS, Settings
from tests import ROOT

DOCS = ROOT / "docs" / "settings.md"
COMPOSITE = {"rate_limits": "RATE_", "staff_iam_programs": "STAFF_IAM_PROGRAMS"}


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| (?:`([^`]*)`|\(empty\)) \|", DOCS.read_text(encoding="utf-8"), re.M)
    return {name: default for name, default in rows}


def test_every_setting_is_documented_with_its_default():
    assert documented() == DEFAULTS, "docs/settings.md and api/chalicelib/settings.py disagree"


def test_every_setting_has_a_line_of_help():
    for setting in SETTINGS:
        assert setting.help.endswith(".") and len(setting.help) <= 110, setting.name
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)


def test_every_field_comes_from_a_setting_and_every_setting_is_read():
    names = set(DEFAULTS)
    for f in fields(Settings):
        if f.name in COMPOSITE:
            assert any(n.startswith(COMPOSITE[f.name]) for n in names), f.name
        else:
            assert f.name.upper() in names, f"Settings.{f.name} has no declared setting"
    read = {f.name.upper() for f in fields(Settings)} | {n for n in names if n.startswith(("RATE_", "STAFF_IAM"))}
    assert names <= read, f"declared but never read: {names - read}"


def test_the_defaults_load_and_the_environment_overrides_them(tmp_path: Path):
    settings = Settings.load(environ={}, base_dir=tmp_path)
    assert settings.store == "sqlite" and settings.data_dir == tmp_path / ".data"
    assert settings.rate_limits["votes"] == (120, 600) and settings.staff_iam_programs == {}
    changed = Settings.load(environ={"COOKIE_SECURE": "true", "RATE_VOTES_PER_IP": "7"}, base_dir=tmp_path)
    assert changed.cookie_secure is True and changed.rate_limits["votes"] == (120, 7)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("STAFF_AUTH", "password", "STAFF_AUTH must be 'token' or 'iam'"),
        ("STORE", "postgres", "STORE must be 'sqlite' or 'dynamodb'"),
        ("STAFF_IAM_PROGRAMS", '["p"]', "STAFF_IAM_PROGRAMS must be a JSON object"),
    ],
)
def test_a_wrong_setting_stops_the_start_with_what_to_write(name, value, message):
    with pytest.raises(ValueError, match=message):
        Settings.load(environ={name: value})
