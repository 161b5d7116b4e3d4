"""The sign-in rules alone: discovery checks, return paths, and each claim of an ID token that must hold."""

from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from chalicelib.oidc import rules
from chalicelib.oidc.rules import Refused

ISSUER = "https://auth.example.gouv.fr"
CLIENT = rules.Client(ISSUER, "client-1", "secret")
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256", "use": "sig"})
JWKS = KeySet([KEY]).as_dict(private=False)
NOW = int(time.time())


def token(key=KEY, alg="RS256", **changes) -> str:
    claims = {"iss": ISSUER, "aud": "client-1", "sub": "s-1", "nonce": "n-1", "iat": NOW, "exp": NOW + 60}
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, key)


def test_a_good_id_token_gives_its_subject():
    assert rules.subject(token(), JWKS, CLIENT, "n-1", NOW) == "s-1"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"nonce": "other"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"iss": "https://evil.example"}, "token"),
        ({"aud": "another-client"}, "token"),
        ({"exp": NOW - 120}, "token"),
        ({"exp": None}, "token"),
        ({"iat": None}, "token"),
        ({"sub": None}, "token"),
        ({"aud": ["client-1", "other"]}, "token"),  # several audiences and no azp naming us
    ],
)
def test_each_claim_must_hold(changes, reason):
    with pytest.raises(Refused) as refused:
        rules.subject(token(**changes), JWKS, CLIENT, "n-1", NOW)
    assert refused.value.reason == reason


def test_a_token_signed_by_another_key_or_with_our_secret_is_refused():
    other = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    for signed in (token(key=other), token(key=OctKey.import_key(b"secret" * 6), alg="HS256")):
        with pytest.raises(Refused) as refused:
            rules.subject(signed, JWKS, CLIENT, "n-1", NOW)
        assert refused.value.reason == "token"


def test_discovery_must_name_its_own_issuer_and_https_endpoints():
    good = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/authorize",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
    }
    assert rules.endpoints(good, ISSUER).token_auth == "client_secret_post"
    for bad in ({**good, "issuer": "https://other"}, {**good, "token_endpoint": "http://auth.example/token"}, []):
        with pytest.raises(Refused) as refused:
            rules.endpoints(bad, ISSUER)
        assert refused.value.reason == "provider"


def test_the_authorisation_request_carries_pkce_state_and_nonce():
    flow = rules.new_flow()
    where = rules.endpoints(
        {"issuer": ISSUER, "authorization_endpoint": f"{ISSUER}/a", "token_endpoint": f"{ISSUER}/t",
         "jwks_uri": f"{ISSUER}/j"},
        ISSUER,
    )  # fmt: skip
    url = rules.authorization_url(where, CLIENT, "https://site/api/oidc/callback", flow)
    assert f"state={flow.state}" in url and f"nonce={flow.nonce}" in url and "code_challenge_method=S256" in url
    assert flow.code_verifier not in url and "scope=openid&" in url + "&"


def test_who_signed_in_is_the_issuer_and_the_subject_and_the_state_is_stored_only_hashed():
    assert rules.identifier(ISSUER, "s-1") == f"{ISSUER} s-1"
    key = b"k" * 32
    stored = rules.flow_key(key, "the-state")
    assert stored == rules.flow_key(key, "the-state") != rules.flow_key(key, "another-state")
    assert "the-state" not in stored and stored != rules.flow_key(b"j" * 32, "the-state")
