"""A real OpenID provider for the tests: panva's oidc-provider (tests/oidc_provider/provider.mjs) on loopback.

Installed on first use by scripts/install_oidc_provider.sh (`make test` installs it beforehand). `sign_in` plays the
resident's browser at the provider: it follows the provider's redirects and posts its sign-in and consent forms,
as a browser would, and stops at the redirect back to our callback.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.never_stored import remember

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc_provider" / "provider.mjs"


def install() -> Path:
    """The installed node_modules folder (installing it the first time)."""
    done = subprocess.run(
        [str(ROOT / "scripts" / "install_oidc_provider.sh")], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"could not install the OpenID provider: {done.stderr}")
    return Path(done.stdout.strip().splitlines()[-1])


@dataclass
class OidcProvider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    process: subprocess.Popen
    log: list[str]

    def sign_in(self, authorization_url: str, login: str, consent: bool = True) -> str:
        """Sign in at the provider as `login` (its subject); the address the provider sends the browser back to."""
        remember(login)  # no stored file may hold it at the end of the session (tests/never_stored.py)
        browser = requests.Session()
        url, method, data = authorization_url, "GET", None
        for _ in range(20):
            answer = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
            if answer.is_redirect:
                target = urljoin(url, answer.headers["Location"])
                if target.startswith(self.redirect_uri):
                    return target
                url, method, data = target, "GET", None
                continue
            assert answer.status_code == 200, f"{url}: {answer.status_code} {answer.text[:500]}"
            form = HTMLParser(answer.text).css_first("form")
            assert form is not None, f"{url}: no form in {answer.text[:500]}"
            data = {i.attributes["name"]: i.attributes.get("value") or "" for i in form.css("input[name]")}
            if "login" in data:
                data.update(login=login, password="any password")
            elif not consent:
                # The provider's consent page has a "cancel" link: the resident refuses.
                cancel = next(a for a in HTMLParser(answer.text).css("a") if "abort" in a.attributes.get("href", ""))
                url, method, data = urljoin(url, cancel.attributes["href"]), "GET", None
                continue
            url, method = urljoin(url, form.attributes["action"]), "POST"
        raise AssertionError("the provider never sent the browser back")


def start(redirect_uri: str) -> OidcProvider:
    modules = install()
    client_id, client_secret = "datacity-test", secrets.token_urlsafe(24)
    # ES modules find packages from their own folder up: run a copy of the script beside its node_modules.
    script = modules.parent / "provider.mjs"
    script.write_text(SCRIPT.read_text(encoding="utf-8"), encoding="utf-8")
    process = subprocess.Popen(
        ["node", str(script), client_id, client_secret, redirect_uri],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    issuer = None
    assert process.stdout is not None
    for line in process.stdout:
        log.append(line)
        if line.startswith("issuer "):
            issuer = line.split()[1]
            break
    if issuer is None:
        process.wait(timeout=10)
        raise RuntimeError("the OpenID provider did not start:\n" + "".join(log))

    def drain():  # keep its output for a failing test's report, and its pipe from filling
        for line in process.stdout:
            log.append(line)

    threading.Thread(target=drain, daemon=True).start()
    return OidcProvider(issuer, client_id, client_secret, redirect_uri, process, log)


@pytest.fixture(scope="module")
def oidc_provider():
    from .conftest import SITE

    provider = start(f"{SITE}/api/oidc/callback")
    yield provider
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
    if provider.process.returncode not in (0, -15, None):
        print("".join(provider.log), file=sys.stderr)
