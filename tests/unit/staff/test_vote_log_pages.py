"""`datacity vote-log export` joins a vote log sent in several answers into the one document a single answer is."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from staff import cli
from staff.exports import StaffError

HEAD = {"format": "datacity-vote-log/1", "program": "p", "generated_at": "2027-01-02T12:00:00+00:00", "hash": "h"}


def entry(text, channel="online"):
    return {"entry": text * 64, "channel": channel}


class PagedApi:
    """The API's answers by cursor (None: the first), as bytes; records the paths asked."""

    def __init__(self, pages):
        self.pages, self.paths = pages, []

    def raw(self, method, path):
        assert method == "GET"
        self.paths.append(path)
        query = urllib.parse.urlparse(path).query
        cursor = urllib.parse.parse_qs(query).get("cursor", [None])[0]
        return json.dumps(self.pages[cursor], ensure_ascii=False).encode()


def test_pages_join_into_one_document_sorted_as_one_answer_is():
    whole = {
        **HEAD,
        "challenges": [
            {"id": "a", "salt": "s" * 64, "entries": [entry("1"), entry("2"), entry("3"), entry("9", "workshop")]},
            {"id": "b", "salt": "t" * 64, "entries": [entry("4")]},
        ],
    }
    api = PagedApi(
        {
            None: {**HEAD, "challenges": [{"id": "a", "salt": "s" * 64, "entries": [entry("3")]}], "next": "x+/="},
            "x+/=": {
                **HEAD,
                "challenges": [{"id": "a", "salt": "s" * 64, "entries": [entry("9", "workshop"), entry("1")]}],
                "next": "y",
            },
            "y": {
                **HEAD,
                "challenges": [
                    {"id": "a", "salt": "s" * 64, "entries": [entry("2")]},
                    {"id": "b", "salt": "t" * 64, "entries": [entry("4")]},
                ],
            },
        }
    )
    raw, doc = cli._vote_log(api, "p")
    assert json.loads(raw) == doc == whole
    assert raw == json.dumps(whole, ensure_ascii=False)  # written as the API writes one answer
    assert api.paths[1] == "/staff/programs/p/vote-log?cursor=x%2B/%3D"  # the cursor is quoted


def test_one_answer_is_kept_byte_for_byte():
    single = {**HEAD, "challenges": [{"id": "a", "salt": "s" * 64, "entries": [entry("1")]}]}
    raw, doc = cli._vote_log(PagedApi({None: single}), "p")
    assert raw == json.dumps(single).encode() and doc == single


def test_a_page_that_is_not_the_apis_is_refused_with_a_message():
    api = PagedApi({None: {**HEAD, "challenges": [{"id": "a"}], "next": "n"}, "n": {**HEAD, "challenges": []}})
    with pytest.raises(StaffError, match="page of the vote log"):
        cli._vote_log(api, "p")
