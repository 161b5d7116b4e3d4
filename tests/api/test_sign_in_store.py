"""The sign-in room's storage contract on every store: a sign-in is claimed once, even by callbacks at once."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.adapters.sqlite import SQLiteStore
from chalicelib.kernel.storage import AlreadyExists
from chalicelib.oidc.store import PendingSignIn


def pending(key: str | None = None) -> PendingSignIn:
    return PendingSignIn(key or uuid.uuid4().hex, "p", "voter-1", "sealed-secrets", "/p/", 1_800_000_000, 1_800_000_600)


def test_a_sign_in_is_kept_and_claimed_once(store):
    sign_in = pending()
    store.add_sign_in(sign_in)
    assert store.claim_sign_in(sign_in.key) == sign_in
    again = store.claim_sign_in(sign_in.key)
    assert again is not None and again.used and again.program == "p" and again.expires_at == 1_800_000_600
    assert store.claim_sign_in("unknown") is None


def test_a_taken_sign_in_key_is_refused(store):
    sign_in = pending()
    store.add_sign_in(sign_in)
    with pytest.raises(AlreadyExists):
        store.add_sign_in(pending(sign_in.key))


def test_twenty_callbacks_at_once_claim_a_sign_in_once(store):
    sign_in = pending()
    store.add_sign_in(sign_in)
    barrier = threading.Barrier(20)

    def claim(_):
        barrier.wait()
        return store.claim_sign_in(sign_in.key)

    with ThreadPoolExecutor(20) as pool:
        claimed = list(pool.map(claim, range(20)))
    assert sum(1 for c in claimed if c is not None and not c.used) == 1
    assert all(c is not None for c in claimed)


def test_expired_sign_ins_are_deleted_by_the_store(store):
    """SQLite: the hourly purge deletes them; DynamoDB: TTL does, from the item's expiry attribute."""
    sign_in = pending()
    store.add_sign_in(sign_in)
    if isinstance(store, SQLiteStore):
        store.purge_expired(sign_in.expires_at - 1)
        assert store.claim_sign_in(sign_in.key) is not None
        store.purge_expired(sign_in.expires_at)
        assert store.claim_sign_in(sign_in.key) is None
    else:
        from chalicelib.adapters.dynamodb import TTL_ATTRIBUTE
        from chalicelib.adapters.dynamodb.table import key

        item = store.client.get_item(TableName=store.table, Key=key(f"OIDCSIGNIN#{sign_in.key}", "S"))["Item"]
        assert item[TTL_ATTRIBUTE] == {"N": str(sign_in.expires_at)}
