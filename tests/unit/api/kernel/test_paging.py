"""Opaque page cursors (kernel/paging.py)."""

from __future__ import annotations

import pytest

from chalicelib.kernel import paging
from chalicelib.kernel.errors import ApiError


def test_a_cursor_comes_back_as_it_went():
    after = ("2026-11-26T12:00:00.000000+00:00", "abc")
    assert paging.decode(paging.encode(after)) == after
    assert paging.decode(None) is None and paging.decode("") is None


@pytest.mark.parametrize("cursor", ["!!", "WzFd", paging.encode(("x" * 65, "y"))])
def test_a_cursor_we_did_not_write_is_a_400(cursor):
    with pytest.raises(ApiError) as refused:
        paging.decode(cursor)
    assert refused.value.status == 400 and refused.value.field == "cursor"


def test_a_page_and_the_cursor_of_the_next():
    assert paging.page_of([1, 2, 3], 2, lambda n: (str(n), "")) == ([1, 2], ("2", ""))
    assert paging.page_of([1, 2], 2, lambda n: (str(n), "")) == ([1, 2], None)
