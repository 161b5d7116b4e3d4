"""In Chromium, without JavaScript: a resident of a program verified by OpenID Connect votes, signing in at a real
provider (oidc-provider, started by the test) on the way, on the locally served product (api/serve.py).

The site is built with Montréal 2026 offering `oidc` only, its provider the test's; the provider's redirect URI
is the served product's own callback, so the browser goes challenge → verify page → provider's sign-in and
consent pages → callback → challenge, and the vote then counts once for that resident, on a second device too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.api.oidc_provider import start as start_provider
from tests.never_stored import remember

from .product import (
    _BOOT,
    MONTREAL_NOW,
    RAISED_IP_LIMITS,
    ROOT,
    SERVER_LIFETIME,
    SOURCES,
    START_TIMEOUT,
    Product,
    _free_port,
    _health,
    stop_process,
    wait_build,
)
from .test_accessibility import run_axe

SHOTS = ROOT / "screenshots" / "oidc"
PROGRAM = "montreal-2026"
CHALLENGE = "icy-sidewalks-seniors"


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Product, object]]:
    """The product on a fixed port, Montréal verified by the test's provider, its client secret in DATA_DIR."""
    tmp = tmp_path_factory.mktemp("oidc-product")
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    provider = start_provider(f"{origin}/api/oidc/callback")
    server = None
    try:
        source, site = tmp / "src", tmp / "site"
        (source / ".build" / "docs").mkdir(parents=True)
        for name in SOURCES:
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, source / name)
        program = source / "challenges" / PROGRAM / "program.yml"
        program.write_text(
            program.read_text(encoding="utf-8")
            + f"participation: [oidc]\noidc:\n  issuer: {provider.issuer}\n  client_id: {provider.client_id}\n"
            "  name: TestConnect\n",
            encoding="utf-8",
        )
        env = {**os.environ, "DATACITY_NOW": MONTREAL_NOW, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(source / "mkdocs.yml"), "-d", str(site)]
        with (tmp / "site-build.log").open("wb") as log:
            build = subprocess.Popen(cmd, cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_build(build, site)
        data = tmp / "data"
        data.mkdir()
        (data / "oidc_clients.json").write_text(json.dumps({PROGRAM: provider.client_secret}))
        serve_env = {
            **os.environ,
            **RAISED_IP_LIMITS,
            "DATA_DIR": str(data),
            "CATALOG_PATH": str(site / "catalog.json"),
            "DATACITY_NOW": MONTREAL_NOW,
            "DATACITY_QUIET": "1",
            "STORE": "sqlite",
        }
        serve_env.pop("SITE_ORIGIN", None)
        cmd = [sys.executable, "-c", _BOOT, str(SERVER_LIFETIME), str(ROOT / "api" / "serve.py")]
        cmd += ["--site", str(site), "--host", "127.0.0.1", "--port", str(port)]
        log_path = tmp / "server.log"
        with log_path.open("ab") as out:
            server = subprocess.Popen(cmd, cwd=ROOT, env=serve_env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while not _health(origin):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"the server did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield Product("oidc", origin, site, data, MONTREAL_NOW, server, log_path), provider
    finally:
        if server is not None:
            stop_process(server)
        stop_process(provider.process)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in_and_vote(browser: Browser, product: Product, login: str, lang: str, name: str) -> str:
    """One device: vote → confirm → sign in at the provider → back → vote; the vote message shown."""
    context = browser.new_context(base_url=product.origin, java_script_enabled=False, locale=f"{lang}-CA")
    page = context.new_page()
    path = f"/{PROGRAM}/challenges/{CHALLENGE}/" if lang == "fr" else f"/en/{PROGRAM}/challenges/{CHALLENGE}/"
    page.goto(path)
    with page.expect_navigation():
        page.locator("[data-dc=vote-button]").click()
    assert "/api/programs/montreal-2026/verify?" in page.url, page.url
    shot(page, f"oidc-verify-page-{lang}")
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Se connecter avec TestConnect" if lang == "fr" else "Sign in with TestConnect"
        ).click()
    provider_origin = page.url.split("/interaction/")[0]
    assert "/interaction/" in page.url, page.url
    page.locator("input[name=login]").fill(remember(login))
    page.locator("input[name=password]").fill("any password")
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    with page.expect_navigation(url=lambda url: url.startswith(product.origin)):
        page.locator("button[type=submit]").click()  # the provider's consent
    # Back at the challenge, at its participation section (verification/rules.py safe_return keeps the fragment).
    assert page.url == product.url(path) + "#participate", page.url
    assert not page.url.startswith(provider_origin)
    with page.expect_navigation():
        page.locator("[data-dc=vote-button]").click()
    assert page.url.startswith(product.url(path + "#dc-msg-vote-")), page.url
    shot(page, f"oidc-voted-{name}")
    message = page.url.rsplit("#dc-msg-", 1)[1]
    context.close()
    return message


def tally(product: Product) -> int:
    """The challenge's votes by verified residents (Montréal shows no counts before it closes: read the store)."""
    return product.query("SELECT count(*) FROM votes WHERE challenge = ? AND voter LIKE 'oidc:%'", CHALLENGE)[0][0]


def test_a_resident_signs_in_at_the_provider_and_votes_once_from_two_devices_without_javascript(browser, verified):
    product, _provider = verified
    before = tally(product)
    assert sign_in_and_vote(browser, product, "oidc-sub-claire", "fr", "phone") == "vote-recorded"
    assert tally(product) == before + 1
    # The same resident on a laptop, in English: signed in again, the vote is already counted.
    assert sign_in_and_vote(browser, product, "oidc-sub-claire", "en", "laptop") == "vote-already"
    assert tally(product) == before + 1
    # Another resident counts.
    assert sign_in_and_vote(browser, product, "oidc-sub-malik", "fr", "other") == "vote-recorded"
    assert tally(product) == before + 2
    # Nothing stored names the residents.
    for path in product.data_dir.rglob("*"):
        if path.is_file():
            assert b"oidc-sub-claire" not in path.read_bytes() and b"oidc-sub-malik" not in path.read_bytes(), path


def test_the_verify_page_with_the_provider_is_accessible(browser, verified):
    product, _provider = verified
    context = browser.new_context(base_url=product.origin, locale="fr-CA")
    page = context.new_page()
    page.goto(f"/api/programs/{PROGRAM}/verify?format=html&lang=fr&return=/{PROGRAM}/")
    expect(page.get_by_role("link", name="Se connecter avec TestConnect")).to_be_visible()
    assert run_axe(page) == []
    context.close()


def test_with_javascript_a_resident_signed_in_at_the_provider_votes_from_the_page(browser, verified):
    """The page's script casts the vote with the verified session the provider's sign-in gave (the dc_verified
    cookie travels with its request); on a second device the page knows the vote is cast, and it counts once."""
    from .test_participation import READY, TEXT

    product, _provider = verified
    before = tally(product)
    for device in ("phone", "laptop"):
        context = browser.new_context(base_url=product.origin, locale="fr-CA")
        page = context.new_page()
        path = f"/{PROGRAM}/challenges/{CHALLENGE}/"
        page.goto(f"/api/programs/{PROGRAM}/verify?format=html&lang=fr&return={path}")
        with page.expect_navigation():
            page.get_by_role("link", name="Se connecter avec TestConnect").click()
        page.locator("input[name=login]").fill(remember("oidc-sub-js"))
        page.locator("input[name=password]").fill("any password")
        with page.expect_navigation():
            page.locator("button[type=submit]").click()
        with page.expect_navigation(url=lambda url: url.startswith(product.origin)):
            page.locator("button[type=submit]").click()
        assert page.url == product.url(path), page.url
        page.wait_for_function(READY)
        if device == "phone":
            page.locator("[data-dc=vote-button]").click()
            expect(page.locator(".dc-live")).to_have_text(TEXT["fr"]["vote-recorded"])
        else:
            # The laptop's page already knows this resident voted: only withdrawing is offered.
            expect(page.locator("[data-dc=vote-button]")).to_be_hidden()
            expect(page.locator("[data-dc=withdraw-button]")).to_be_visible()
        shot(page, f"oidc-js-{device}")
        context.close()
    assert tally(product) == before + 1
