"""DataCity's tests, by kind (unit, api, site, browser, infra); each kind mirrors the code it tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
