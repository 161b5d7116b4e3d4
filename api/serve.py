"""Run the whole product on one local origin: the built site at /, the API at /api, on the SQLite store.

    python api/serve.py --site site --host 127.0.0.1 --port 8000 [--workers N]

Not deployed (Chalice packages app.py and chalicelib/ only). Production puts a CDN in front of S3 and the API's
function URLs with the same layout (the forms' /api/form/ prefix included: chalicelib/web/function_url.py
route_path), so pages and API share one origin there too, with the same security headers
(chalicelib/web/security_headers.py).

The HTTP server is granian (Rust: hyper and tokio), in worker processes that share the port, speaking RSGI, its
asynchronous interface, to `Product` below: a thin adapter that hands /api requests to the Chalice app as the
Lambda proxy events API Gateway sends (`ApiAdapter`), and serves the site with WhiteNoise (`SiteFiles`).

Why granian with RSGI, measured on this 2-core machine with `wrk` on new votes, each candidate in front of the
same request handling (docs/benchmarks.md, "API"): gunicorn (gthread), waitress and uvicorn's WSGI mode took
about twice the CPU per vote of the hand-written server this replaces, so half the votes per second. granian took
15-25 % more CPU per vote than it, yet more votes per second under load, with a shorter tail. Its WSGI interface
was a little cheaper than RSGI but hands a request to a Python thread as soon as the head is in, and the thread
then blocks while the client sends the body: a few clients sending slowly would hold every thread. With RSGI the
body arrives in the event loop, where it is bounded in size, time and total memory (below), and only a complete
request reaches the Chalice app. uvicorn's ASGI mode was about as cheap, but has no timeout for a request's head
and took a 20 MB header; hyper has both limits. The Chalice app runs in the loop's thread, as in the old server: a
vote takes well under a millisecond and needs no thread hand-over.

What this server guarantees (tests/api/test_local_server.py):
- Limits: a request's head (hyper: 400 for what does not parse, 414 for a target over 64 KB, 431 beyond 100
  headers or hyper's buffer: a head of 200 KB), within HEADER_TIMEOUT, and an idle keep-alive connection closed
  after it. hyper accepts bare LF line ends (RFC 9112 allows it) and, against RFC 9112, a missing or repeated
  Host: harmless here, where nothing depends on Host. A body within
  BODY_TIMEOUT (408), of at most MAX_REQUEST_BYTES (413: Lambda's limit, so a staff import the API accepts in
  production passes here), with a Content-Length (411 for chunks), and at most BODY_BUDGET_BYTES of bodies being
  received at once in a worker (beyond, a request waits its turn, then 503 with Retry-After: memory stays bounded
  however many clients send large bodies).
- The client's address comes from the socket only: any X-Local-Client-Ip a client sends is replaced.
- Path parameters reach the API percent-decoded, as API Gateway passes them.
- Static files: WhiteNoise's content types, ETag and Last-Modified with 304, gzip and Brotli when the client takes
  them, `max-age=300` (what production's S3 objects get) and a far-future `immutable` for mkdocs-material's
  versioned assets (a hash in the name); `index.html` for folders; nothing outside the site folder (`..` or a
  symbolic link out is a 404); a rebuilt site is served at once (files are looked up per request).
- Security headers on every answer, the site's policy or the API's (chalicelib/web/security_headers.py), replacing
  any the app set, as CloudFront's response headers policies do in production.
- An access log without addresses: each line names the client by a keyed hash of its address that changes every
  day (content/*/privacy.md).
- Graceful shutdown on SIGTERM or Ctrl+C: no new connection, requests already started are answered (at most
  SHUTDOWN_GRACE seconds), then the process exits 0. A worker that dies is started again; a worker whose parent
  is gone stops. The hourly housekeeping runs in one worker (the one holding DATA_DIR/housekeeping.lock).
- Out of file descriptors, granian logs one line per failed accept and retries; the soft limit is raised to the
  hard one at start.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import errno
import fcntl
import gzip
import hashlib
import hmac
import ipaddress
import json
import os
import resource
import signal
import socket
import sys
import threading
import time
import traceback
from pathlib import Path
from stat import S_ISREG
from urllib.parse import parse_qs, quote
from wsgiref.headers import Headers

from whitenoise import WhiteNoise
from whitenoise.responders import MissingFileError, NotARegularFileError, StaticFile

API_DIR = Path(__file__).resolve().parent
if str(API_DIR) not in sys.path:  # run from elsewhere (runpy, granian's workers): chalicelib is beside this file
    sys.path.insert(0, str(API_DIR))

from chalicelib.web import function_url, security_headers  # noqa: E402  (pure: reads no setting when imported)

# Set by this server from the socket; any value a client sends is dropped.
CLIENT_IP_HEADER = "X-Local-Client-Ip"
MAX_REQUEST_BYTES = 6 * 1024 * 1024  # Lambda's limit for a synchronous request (the API's IMPORT_MAX_BYTES fits)
MAX_HEAD_BYTES = 64 * 1024  # hyper's read buffer per connection, which bounds a request's head
BODY_BUDGET_BYTES = 32 * 1024 * 1024  # per worker: request bodies being received at once
HEADER_TIMEOUT = float(os.environ.get("DATACITY_HEADER_TIMEOUT", "10"))  # a request's head, and keep-alive idle
BODY_TIMEOUT = float(os.environ.get("DATACITY_BODY_TIMEOUT", "10"))  # a request's body, from its first byte
SHUTDOWN_GRACE = 10  # seconds a stopping worker has to finish what it started before it is killed
# Worker processes (WORKERS or --workers to change): one per core, up to 4. A worker answers in one thread, so uses
# at most one core; SQLite and the store's lock file serialise the workers' writes.
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))
PAGE_MAX_AGE = 300  # seconds, as production's `aws s3 sync --cache-control "public, max-age=300, ..."`
# mkdocs-material's assets carry the first 8 hex digits of their content's hash: main.57a0d79d.min.css
VERSIONED = r"\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?$"
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".map", ".svg", ".xml", ".txt", ".ico", ".webmanifest"}
COMPRESS_MIN_BYTES = 512
BROTLI_QUALITY = 8  # 11 is 3 % smaller and 35 times slower (0.2 s against 7 s for our site's 4.7 MB of text)

_CLIENT_IP_KEY = CLIENT_IP_HEADER.lower()


# --------------------------------------------------------------------------------------------------------------
# Configuration, shared by the parent process and the workers through the environment
# --------------------------------------------------------------------------------------------------------------


def stage_environment(host: str, port: int) -> None:
    """Apply the 'local' stage's environment (without overriding the caller's) for an origin of host:port."""
    config_file = json.loads((API_DIR / ".chalice" / "config.json").read_text(encoding="utf-8"))
    stage = {**config_file.get("environment_variables", {})}
    stage.update(config_file["stages"]["local"].get("environment_variables", {}))
    for key, value in stage.items():
        os.environ.setdefault(key, value)
    shown = f"[{host}]" if ":" in host else host
    os.environ["SITE_ORIGIN"] = f"http://{shown}:{port}"
    os.environ["CLIENT_IP_HEADER"] = CLIENT_IP_HEADER
    if str(API_DIR) not in sys.path:
        sys.path.insert(0, str(API_DIR))


def load_app(host: str, port: int):
    """Apply the 'local' stage's environment, import app.py; (app, config) as `chalice local` would have them."""
    from chalice.config import Config

    stage_environment(host, port)
    config_file = json.loads((API_DIR / ".chalice" / "config.json").read_text(encoding="utf-8"))
    config = Config.create(
        chalice_stage="local", app_name=config_file["app_name"], config_from_disk=config_file, project_dir=str(API_DIR)
    )
    import app as app_module

    return app_module.app, config


# --------------------------------------------------------------------------------------------------------------
# The API: Chalice's request handling, with the event API Gateway would send
# --------------------------------------------------------------------------------------------------------------


class ApiAdapter:
    """Turn an HTTP request into the Lambda proxy event API Gateway would send, and call the Chalice app with it.

    Generic over `app.routes`: every route, method, header, query string, path parameter and body goes through
    in the event format `chalice local` uses (which app.py's tests and handlers expect). The route table is
    compiled once, and again whenever the app's routes change. Routes are matched on the percent-decoded path,
    so path parameters arrive decoded, as API Gateway passes them. Two cases go to Chalice's own LocalGateway,
    so they keep its exact behaviour: OPTIONS without a view of its own (the CORS preflight API Gateway
    generates) and routes with an authorizer (LocalGateway runs built-in authorizers locally).
    """

    def __init__(self, app, config):
        from chalice.local import LambdaContext, LocalGateway, LocalGatewayException

        self.app = app
        self.config = config
        self._gateway = LocalGateway
        self._gateway_error = LocalGatewayException
        self._context = LambdaContext
        self._function_name = config.function_name
        self._memory = config.lambda_memory_size
        timeout = config.lambda_timeout
        self._timeout_ms = (timeout if timeout is not None else LocalGateway.MAX_LAMBDA_EXECUTION_TIME) * 1000
        # The app's route table, matched as API Gateway does: the same as the Lambda function URL's handler uses.
        self.routes = function_url.RouteTable(app)
        self._gateway_for = None
        self._gateway_check()

    def _gateway_check(self) -> None:
        """LocalGateway (its own route table) and the routes it must answer, made again when the app's routes change."""
        routes = self.app.routes
        shape = (len(routes), sum(len(views) for views in routes.values()))
        if shape == self._gateway_for:
            return
        self.gateway = self._gateway(self.app, self.config)
        # Routes LocalGateway must answer: any view with an authorizer.
        self._gateway_routes = {
            route for route, views in routes.items() if any(view.authorizer for view in views.values())
        }
        self._gateway_for = shape

    def _languages(self) -> tuple[str, ...]:
        from chalicelib import runtime

        try:
            return tuple(runtime.service().context.catalog.vocabulary.languages)
        except Exception:  # the service could not start: the app's own answers say so; this one in English
            return ("en",)

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        """(route, captures) for a path already percent-decoded; None when no route answers it."""
        self._gateway_check()
        return self.routes.match(path)

    def handle(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes | None, client_ip: str
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one API request: `path` (under /api) percent-decoded, `query` as sent, `headers` lower-cased."""
        headers.pop(_CLIENT_IP_KEY, None)
        headers[_CLIENT_IP_KEY] = client_ip
        matched = self.match(path)
        if matched is None:
            # The same answer as production's function URL, in the request's language.
            answer = function_url.no_route(headers.get("accept-language"), self._languages())
            return answer["statusCode"], list(answer["headers"].items()), answer["body"].encode()
        route, captured = matched
        if route in self._gateway_routes or (method == "OPTIONS" and "OPTIONS" not in self.app.routes[route]):
            target = quote(path, safe="/:@!$&'()*+,;=-._~") + (f"?{query}" if query else "")
            try:
                response = self.gateway.handle_request(method=method, path=target, headers=headers, body=body)
            except self._gateway_error as error:
                return error.CODE, list(error.headers.items()), error.body or b""
        else:
            event = {
                "requestContext": {
                    "httpMethod": method,
                    "resourcePath": route,
                    "identity": {"sourceIp": client_ip},
                    "path": path,
                },
                "headers": headers,
                "pathParameters": captured,
                "stageVariables": {},
                "multiValueQueryStringParameters": parse_qs(query, keep_blank_values=True) if query else None,
                "body": body,
            }
            if body is not None and headers.get("content-type", "") in self.app.api.binary_types:
                event["body"] = base64.b64encode(body).decode("ascii")
                event["isBase64Encoded"] = True
            context = self._context(self._function_name, self._memory, self._timeout_ms)
            response = self.app(event, context)
        payload = response.get("body") or b""
        if response.get("isBase64Encoded"):
            payload = base64.b64decode(payload)
        elif isinstance(payload, str):
            payload = payload.encode("utf-8")
        answer = []
        for source in (response.get("headers") or {}, response.get("multiValueHeaders") or {}):
            for name, value in source.items():
                if name.lower() == "content-length":
                    continue
                if isinstance(value, list):
                    answer.extend((name, item) for item in value)
                else:
                    answer.append((name, value))
        return response["statusCode"], answer, payload


# The kinds of the problems this server answers itself, by status; those the API has too have its names.
PROBLEM_KINDS = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    411: "length-required",
    413: "too-large",
    500: "server-error",
    503: "unavailable",
}


def problem(status: int, title: str, detail: str | None = None, *extra: tuple[str, str]):
    """An RFC 9457 problem answer the server itself gives (the API's own errors come from chalicelib)."""
    # The same members as the API's problems (chalicelib/kernel/errors.py), "type" included: clients and the
    # OpenAPI document's Problem schema read one shape, whoever answered.
    kind = PROBLEM_KINDS.get(status, "bad-request")
    body = json.dumps({"type": f"/api/problems/{kind}", "title": title, "status": status, "detail": detail or title})
    body = body.encode()
    return status, [("Content-Type", "application/problem+json"), ("Cache-Control", "no-store"), *extra], body


class Refused(Exception):
    """A request this server answers itself, before it reaches the app (too large, too slow, too many at once)."""

    def __init__(self, status: int, title: str, detail: str, *extra: tuple[str, str]):
        super().__init__(detail)
        self.answer = problem(status, title, detail, ("Connection", "close"), *extra)


class BodyBudget:
    """The bytes of request bodies a worker may hold while they arrive, across all its connections.

    A request that would go over waits its turn (its body stays in the client's and the kernel's buffers, not
    here) for at most BODY_TIMEOUT, then gets a 503: many large uploads at once queue instead of failing, and the
    worker's memory stays bounded whatever their number. One event loop thread: no lock needed.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0
        self._freed: asyncio.Event | None = None

    async def take(self, size: int) -> None:
        if self.used + size > self.limit:
            try:
                async with asyncio.timeout(BODY_TIMEOUT):
                    while self.used + size > self.limit:
                        if self._freed is None:
                            self._freed = asyncio.Event()
                        await self._freed.wait()
            except TimeoutError:
                raise Refused(
                    503,
                    "Server busy",
                    "Too many large requests are arriving at once; send it again in a few seconds.",
                    ("Retry-After", "5"),
                ) from None
        self.used += size

    def release(self, size: int) -> None:
        self.used -= size
        if size and self._freed is not None:
            self._freed.set()  # every waiter checks again; the first to fit goes on
            self._freed = None


# --------------------------------------------------------------------------------------------------------------
# The site: WhiteNoise over the built site, compressed copies in a cache folder
# --------------------------------------------------------------------------------------------------------------


class CompressedCopies:
    """gzip and Brotli copies of the site's text files, kept in a folder of their own (the site stays as built).

    A copy is named after its file's path, modification time and size, so a rebuilt file never gets a stale copy;
    copies are made when first asked for (or all at once by `warm`), written whole and renamed into place, so
    workers making the same copy at once cannot hurt each other.
    """

    def __init__(self, site: Path, folder: Path):
        self.site = os.path.realpath(site)
        self.folder = Path(folder)

    def _name(self, path: str, stat: os.stat_result) -> Path | None:
        if not S_ISREG(stat.st_mode) or stat.st_size < COMPRESS_MIN_BYTES:
            return None
        if os.path.splitext(path)[1].lower() not in COMPRESSIBLE:
            return None
        relative = os.path.relpath(path, self.site)
        return self.folder / f"{relative}.{stat.st_mtime_ns:x}-{stat.st_size:x}"

    def for_file(self, path: str) -> dict[str, str]:
        """WhiteNoise's `encodings` for this file: {"gzip": copy, "br": copy}, made now if missing."""
        try:
            stat = os.stat(path)
        except OSError:
            return {}
        base = self._name(path, stat)
        if base is None:
            return {}
        copies = {"gzip": f"{base}.gz", "br": f"{base}.br"}
        if not all(os.path.exists(copy) for copy in copies.values()):
            try:
                self._make(path, base)
            except OSError as error:  # a read-only or full disk: serve the file as it is
                print(f"serve.py: cannot compress {path}: {error}", file=sys.stderr, flush=True)
                return {}
        return copies

    @staticmethod
    def _make(path: str, base: Path) -> None:
        import brotli

        with open(path, "rb") as file:
            data = file.read()
        base.parent.mkdir(parents=True, exist_ok=True)
        for suffix, packed in (
            (".gz", gzip.compress(data, compresslevel=9, mtime=0)),
            (".br", brotli.compress(data, quality=BROTLI_QUALITY)),
        ):
            temporary = f"{base}{suffix}.{os.getpid()}.tmp"
            with open(temporary, "wb") as out:
                out.write(packed)
            os.replace(temporary, f"{base}{suffix}")

    def warm(self) -> int:
        """Make every missing copy and delete those of files that changed or went; the number of files copied."""
        wanted: set[str] = set()
        for folder, _, names in os.walk(self.site):
            for name in names:
                path = os.path.join(folder, name)
                copies = self.for_file(path)
                wanted.update(copies.values())
        if self.folder.is_dir():
            for folder, _, names in os.walk(self.folder):
                for name in names:
                    path = os.path.join(folder, name)
                    if path not in wanted:
                        with contextlib.suppress(OSError):
                            os.remove(path)
        return len(wanted) // 2


class SiteFiles(WhiteNoise):
    """The built site: looked up per request (a rebuild is served at once), never a file outside the site."""

    def __init__(self, site: Path, copies: CompressedCopies | None):
        self.root = os.path.realpath(site)
        self.copies = copies
        super().__init__(
            self.not_found,
            root=site,
            autorefresh=True,
            max_age=PAGE_MAX_AGE,
            allow_all_origins=False,  # same origin only, as production's S3 origin
            index_file=True,
            immutable_file_test=VERSIONED,
        )

    def find_file(self, url):
        if "\x00" in url:  # the file system would refuse it with a ValueError
            return None
        return super().find_file(url)

    def get_static_file(self, path, url, stat_cache=None):
        """WhiteNoise's own, with the compressed copies from their folder, and a link out of the site refused."""
        real = os.path.realpath(path)
        if real != self.root and not real.startswith(self.root + os.sep):
            raise MissingFileError(path)
        if not os.path.exists(path):
            raise MissingFileError(path)
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        encodings = self.copies.for_file(path) if self.copies is not None else None
        return StaticFile(path, headers.items(), encodings=encodings)

    def not_found(self, environ, start_response):
        try:
            with open(os.path.join(self.root, "404.html"), "rb") as file:
                body = file.read()
        except OSError:
            body = b"<!doctype html><title>404 Not found</title><h1>Not found</h1>"
        start_response(
            "404 Not Found", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        )
        return [body]


class _File:
    """`wsgi.file_wrapper`: hands the file WhiteNoise chose to granian, which sends it from Rust."""

    def __init__(self, file, block_size=8192):
        self.file = file

    def __iter__(self):  # only if another server ran SiteFiles
        while chunk := self.file.read(65536):
            yield chunk

    def close(self):
        self.file.close()


class SitePolicy:
    """The site's security headers, from its inline scripts; computed again after a rebuild (catalog.json changes)."""

    def __init__(self, site: Path, https: bool, policy: str | None = None):
        self.site, self.https = Path(site), https
        self._stamp = self._catalog_stamp()
        self._checked = time.monotonic()
        self._computing = False
        self.headers = security_headers.headers(policy or self._compute(), https)

    def _catalog_stamp(self):
        try:
            stat = os.stat(self.site / "catalog.json")
            return stat.st_mtime_ns, stat.st_size, stat.st_ino
        except OSError:
            return None

    def _compute(self) -> str:
        try:
            return security_headers.site_policy(self.site, self.https)
        except security_headers.PolicyError as error:
            # Serve the site all the same, without inline scripts: what a browser blocks is the page's extras.
            print(f"serve.py: {error}", file=sys.stderr, flush=True)
            return security_headers.site_csp(https=self.https)

    def current(self) -> list[tuple[str, str]]:
        now = time.monotonic()
        if now - self._checked > 2.0 and not self._computing:
            self._checked = now
            stamp = self._catalog_stamp()
            if stamp != self._stamp and stamp is not None:
                self._stamp = stamp
                self._computing = True
                threading.Thread(target=self._refresh, daemon=True).start()  # a big site takes seconds
        return self.headers

    def _refresh(self) -> None:
        try:
            self.headers = security_headers.headers(self._compute(), self.https)
        finally:
            self._computing = False


# --------------------------------------------------------------------------------------------------------------
# The access log, without addresses
# --------------------------------------------------------------------------------------------------------------


class AccessLog:
    """One line per answer on standard error; the client is a keyed hash of its address that changes every day.

    HMAC-SHA-256 of "access-log", the UTC date and the address, under a key derived from the API's own hash key,
    first 12 hex digits: lines of one client on one day can be told apart from another's (to follow an abuse or
    a bug), nobody can read the address back without the key, and two days cannot be linked. A truncated prefix
    (198.51.100.0/24) would still point at a street or a building in a small town, and would lump neighbours
    together. The rate-limit fingerprints the store keeps use another key, so a log line cannot be matched to them.
    """

    def __init__(self, hash_key: bytes, out=None):
        self.key = hmac.new(hash_key, b"datacity access log", hashlib.sha256).digest()
        self.out = out or sys.stderr

    def client(self, address: str, day: str) -> str:
        return hmac.new(self.key, f"{day}|{address}".encode(), hashlib.sha256).hexdigest()[:12]

    def write(self, address: str, method: str, path: str, query: str, status: int, size: int, seconds: float):
        now = dt.datetime.now(dt.UTC)
        target = quote(path, safe="/:@!$&'()*+,;=-._~") + (f"?{query}" if query else "")
        self.out.write(
            f"{now:%Y-%m-%dT%H:%M:%SZ} client={self.client(address, f'{now:%Y-%m-%d}')} "
            f'"{method} {target}" {status} {size} {seconds * 1000:.1f}ms\n'
        )


# --------------------------------------------------------------------------------------------------------------
# The RSGI application each worker runs
# --------------------------------------------------------------------------------------------------------------


def client_address(client: str) -> str:
    """The peer's address from granian's "host:port" ("[v6]:port"), IPv4-mapped IPv6 as plain IPv4."""
    host = client.rpartition(":")[0] or client
    if not host.startswith("["):
        return host  # IPv4, as the kernel wrote it
    host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


_SECURITY_NAMES = {name.lower() for name, _ in security_headers.headers("", https=True)}


def with_headers(headers, security: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The answer's headers with the security headers in place of any of the same names (CloudFront's Override)."""
    return [(name, value) for name, value in headers if name.lower() not in _SECURITY_NAMES] + security


class Product:
    """The site and the API on one origin, for granian's RSGI interface (one instance per worker process)."""

    def __init__(self, site: Path, host: str, port: int, policy: str | None = None, copies: Path | None = None):
        from chalicelib import runtime

        app, config = load_app(host, port)
        self.api = ApiAdapter(app, config)
        self.https = False  # this server speaks plain HTTP; TLS, if any, is a proxy's
        self.api_headers = security_headers.headers(security_headers.api_csp(self.https), self.https)
        # The console's pages also run the site's own versioned script file (CloudFront's console policy, the same).
        self.console_headers = security_headers.headers(security_headers.console_csp(self.https), self.https)
        self.site_policy = SitePolicy(site, self.https, policy)
        self.files = SiteFiles(site, CompressedCopies(site, copies) if copies else None)
        self.budget = BodyBudget(BODY_BUDGET_BYTES)
        self.settings = runtime.settings()
        quiet = os.environ.get("DATACITY_QUIET") == "1"
        self.log = None if quiet else AccessLog(runtime.service().keys.hash_key)

    # granian calls these two in each worker, at start and at stop.
    def __rsgi_init__(self, loop) -> None:
        # The parent's pid as serve() recorded it, not getppid(): a worker that starts after its parent was killed
        # has already been handed to init, and would watch init for ever.
        parent = int(os.environ.get("DATACITY_SERVER_PID") or os.getppid())
        threading.Thread(target=self._watch_parent, args=(parent,), daemon=True).start()
        threading.Thread(target=self._housekeeping, daemon=True).start()

    def __rsgi_del__(self, loop) -> None:
        from chalicelib import runtime

        runtime.close()  # SQLite: the log copied back and emptied, so a stopped product leaves no large -wal

    async def __rsgi__(self, scope, protocol) -> None:
        if scope.proto != "http":
            return
        started = time.perf_counter()
        method, path, query = scope.method, scope.path, scope.query_string
        address = client_address(scope.client)
        try:
            api_path = function_url.route_path(path)  # /api/x and the forms' /api/form/x are the app's /x
            if api_path is not None:
                status, size = await self.api_answer(scope, protocol, method, api_path, query, address)
            elif path == "/staff" or path.startswith("/staff/"):
                # The staff console, on the site's origin: /staff/... is the API's /console/... (as CloudFront's
                # staff behaviour sends it, infra/cloudfront/staff_rewrite.js).
                status, size = await self.api_answer(
                    scope, protocol, method, console_path(path), query, address, self.console_headers
                )
            else:
                status, size = self.site_answer(scope, protocol, method, path, query)
        except Exception:
            traceback.print_exc()
            status, headers, payload = problem(500, "Internal server error")
            protocol.response_bytes(status, with_headers(headers, self.api_headers), payload)
            size = len(payload)
        if self.log is not None:
            self.log.write(address, method, path, query, status, size, time.perf_counter() - started)

    async def api_answer(self, scope, protocol, method, path, query, address, security=None) -> tuple[int, int]:
        try:
            body = await self.read_body(scope, protocol)
        except Refused as refused:
            status, headers, payload = refused.answer
        else:
            headers = dict(scope.headers.items())  # a repeated header: its first value, as API Gateway's `headers`
            status, headers, payload = self.api.handle(method, path, query, headers, body, address)
        protocol.response_bytes(status, with_headers(headers, security or self.api_headers), payload)
        return status, len(payload)

    async def read_body(self, scope, protocol) -> bytes | None:
        """The whole body (None if empty), within MAX_REQUEST_BYTES, BODY_TIMEOUT and the worker's budget.

        The body's bytes are reserved at once and received into one buffer of that size (one allocation, given
        back to the system when freed). A chunked body is refused (411): cut short by a client that goes away,
        it ends here like a complete one, and the API must never act on half a request.
        """
        headers = scope.headers
        if "transfer-encoding" in headers:
            raise Refused(411, "Length required", "Send the body with a Content-Length header; chunks are refused.")
        length = headers.get("content-length")
        if length is None or length == "0":
            return None
        expected = int(length)  # hyper has checked that it is a number
        if expected > MAX_REQUEST_BYTES:
            raise Refused(413, "Request too large", f"A request body may be {MAX_REQUEST_BYTES:,} bytes at most.")
        await self.budget.take(expected)
        try:
            buffer = bytearray(expected)
            size = 0
            async with asyncio.timeout(BODY_TIMEOUT):
                async for chunk in protocol:  # hyper stops at Content-Length
                    buffer[size : size + len(chunk)] = chunk
                    size += len(chunk)
        except TimeoutError:
            raise Refused(408, "Request timeout", f"A request body must arrive within {BODY_TIMEOUT:g} s.") from None
        finally:
            self.budget.release(expected)
        if size < expected:  # the client went away
            raise Refused(400, "Incomplete request", f"The body ended after {size:,} of {expected:,} bytes.")
        return bytes(buffer)

    def site_answer(self, scope, protocol, method, path, query) -> tuple[int, int]:
        security = self.site_policy.current()
        if method not in ("GET", "HEAD"):
            status, headers, payload = problem(405, "Method not allowed", None, ("Allow", "GET, HEAD"))
            protocol.response_bytes(status, with_headers(headers, security), payload)
            return status, len(payload)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path.encode("utf-8", "surrogateescape").decode("latin-1"),
            "QUERY_STRING": query,
            "wsgi.file_wrapper": _File,
        }
        for name, value in scope.headers.items():
            environ.setdefault("HTTP_" + name.upper().replace("-", "_"), value)
        answer: list = []

        def start_response(status_line, headers, exc_info=None):
            answer[:] = [int(status_line[:3]), headers]

        try:
            body = self.files(environ, start_response)
        except (OSError, NotARegularFileError):  # a pipe or device in the site, or a file gone during a rebuild
            body = self.files.not_found(environ, start_response)
        status, headers = answer
        headers = with_headers(headers, security)
        if isinstance(body, _File):
            file = body.file
            real = getattr(file, "fileobj", file)  # a Range answer: WhiteNoise's SlicedFile around the file
            name = real.name
            length = next(int(value) for key, value in headers if key == "Content-Length")
            if real is file:
                file.close()
                protocol.response_file(status, headers, name)
            else:
                start = real.tell()
                file.close()
                protocol.response_file_range(status, headers, name, start, start + length)
            return status, length
        payload = b"".join(body)
        if method == "HEAD":
            if not any(key == "Content-Length" for key, _ in headers):
                headers.append(("Content-Length", str(len(payload))))
            protocol.response_empty(status, headers)
        else:
            protocol.response_bytes(status, headers, payload)
        return status, len(payload)

    # Background threads of a worker.
    def _watch_parent(self, parent: int) -> None:
        """Stop this worker if the process that started it is gone (a worker must not outlive it)."""
        while os.getppid() == parent:
            time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    def _housekeeping(self) -> None:
        """The hourly housekeeping (the scheduled Lambda in production), in the one worker holding the lock file."""
        from chalicelib import runtime

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.settings.data_dir / "housekeeping.lock", "a+b") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    time.sleep(60)  # another worker has it; take over if it stops
            # The compressed copies of the whole site, made here rather than before the server starts: a site of
            # 1,000 challenges has some 6,000 files, a minute of compression on a busy machine, and the server
            # must answer at once. Until then a file's copies are made when it is first asked for.
            if self.files.copies is not None:
                try:
                    self.files.copies.warm()
                except OSError as error:
                    print(f"serve.py: cannot compress the site: {error}", file=sys.stderr, flush=True)
            while True:
                try:
                    runtime.service().housekeeping()
                except Exception:
                    traceback.print_exc()
                time.sleep(3600)


def create_product() -> Product:
    """granian's factory, called in each worker; serve() puts the settings in the environment."""
    copies = os.environ.get("DATACITY_COMPRESSED_DIR")
    return Product(
        Path(os.environ["DATACITY_SITE"]),
        os.environ["DATACITY_HOST"],
        int(os.environ["DATACITY_PORT"]),
        os.environ.get("DATACITY_SITE_CSP") or None,
        Path(copies) if copies else None,
    )


# --------------------------------------------------------------------------------------------------------------
# The parent process
# --------------------------------------------------------------------------------------------------------------


def console_path(path: str) -> str:
    """The API path of a console page: "/staff" and "/staff/" are "/console", "/staff/x" is "/console/x"."""
    rest = path[len("/staff") :]
    return "/console" + (rest if rest not in ("", "/") else "")


def check_port_free(host: str, port: int) -> None:
    """Refuse a port already in use: granian's workers share theirs (SO_REUSEPORT), and so would another server's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                sys.exit(f"serve.py: {host}:{port} is already in use (another server?): choose another with --port")
            raise


def raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        with contextlib.suppress(OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def serve(site: Path, host: str, port: int, workers: int = DEFAULT_WORKERS) -> None:
    """Serve until SIGTERM or Ctrl+C, in `workers` processes sharing the port."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    site = Path(site).resolve()
    check_port_free(host, port)
    raise_open_files_limit()
    stage_environment(host, port)
    from chalicelib import runtime
    from chalicelib.adapters.secrets import load_keys

    cfg = runtime.settings()
    if cfg.store == "sqlite":  # created here, so that workers never race to make the secret key
        load_keys(cfg.secret_name, cfg.data_dir)
    copies = cfg.data_dir / "cache" / "compressed"
    try:
        policy = security_headers.site_policy(site, https=False)
    except security_headers.PolicyError as error:
        print(f"serve.py: {error}", file=sys.stderr, flush=True)
        policy = ""
    os.environ.update(
        {
            "DATACITY_SITE": str(site),
            "DATACITY_HOST": host,
            "DATACITY_SERVER_PID": str(os.getpid()),
            "DATACITY_PORT": str(port),
            "DATACITY_SITE_CSP": policy,
            "DATACITY_COMPRESSED_DIR": str(copies),
        }
    )
    server = Granian(
        f"{Path(__file__).resolve()}:create_product",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.RSGI,
        workers=workers,
        loop=Loops.asyncio,
        http=HTTPModes.http1,
        websockets=False,
        backlog=2048,
        http1_settings=HTTP1Settings(header_read_timeout=int(HEADER_TIMEOUT * 1000), max_buffer_size=MAX_HEAD_BYTES),
        log_level=LogLevels.warning,
        log_access=False,  # ours, without addresses (AccessLog)
        respawn_failed_workers=True,
        workers_kill_timeout=SHUTDOWN_GRACE,
    )

    @server.on_startup
    def ready():
        origin = os.environ["SITE_ORIGIN"]
        print(f"DataCity is running at {origin}/  (API: {origin}/api/health)", flush=True)
        print(f"Votes and comments are kept in {cfg.data_dir.resolve()}; stop with Ctrl+C.", flush=True)

    server.serve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", DEFAULT_WORKERS)))
    args = parser.parse_args()
    if not (args.site / "catalog.json").exists():
        sys.exit(f"{args.site}/catalog.json is missing: build the site first (make build)")
    if args.workers < 1:
        sys.exit(f"--workers {args.workers}: at least 1")
    serve(args.site, args.host, args.port, args.workers)


if __name__ == "__main__":
    main()
