"""The statement's status follows the audit and the checks, never above them (issue #15)."""

from __future__ import annotations

from site_builder.pages.accessibility import status


def audit(rate: int) -> dict:
    return {"audit": {"date": "2027-03-01", "by": "an auditor", "rate": rate}}


def test_no_audit_is_non_compliant_whatever_the_automated_checks_found():
    assert status({}, {"violations": 0}) == "none"


def test_an_audit_gives_partial_from_half_the_criteria_and_full_only_with_nothing_found_since():
    assert status(audit(100), {"violations": 0}) == "full"
    assert status(audit(100), {"violations": 3}) == "partial"
    assert status(audit(50), {"violations": 0}) == "partial"
    assert status(audit(49), {"violations": 0}) == "none"
