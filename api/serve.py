"""Run the whole product on one local origin: the built site at /, the API at /api, on the SQLite store.

    python api/serve.py --site site --host 127.0.0.1 --port 8000

Not deployed (Chalice packages app.py and chalicelib/ only). Production puts a CDN in front of S3 and API Gateway
with the same layout, so pages and API share one origin there too.

How it works: in each worker process (`--workers`, default one per core up to 4, sharing the port with
SO_REUSEPORT), one asyncio event loop in one thread speaks HTTP/1.1 (keep-alive, pipelining, strict parsing, size
limits, timeouts) and runs every request to the end in that thread: API requests through `ApiAdapter` (Chalice's
own request handling, `app(event, context)`, with the Lambda event built here from a precompiled table of the
app's routes), everything else from the site folder. No thread per connection, so no interpreter-lock hand-overs;
the SQLite store serialises the workers' writes with a lock file. The standard library's `http.server` and
Chalice's `LocalGateway`, used before, cost about half the CPU time of a vote between them (docs/benchmarks.md,
"API"). `LocalGateway` still answers what is rare and subtle (CORS preflights, routes with an authorizer), so
those behave exactly as under `chalice local`. A request holds up the others of its worker while it runs: the
API's take well under a millisecond, and static files are read whole (the built site's largest are a few MB).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import email.utils
import json
import mimetypes
import os
import posixpath
import re
import signal
import socket
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote

API_DIR = Path(__file__).resolve().parent
# Set by this server from the socket; any value a client sends is dropped.
CLIENT_IP_HEADER = "X-Local-Client-Ip"
# A request body larger than this is refused with 413 before it is read. Lambda's own limit for a synchronous
# request (6 MB), so that a staff import the API accepts in production (IMPORT_MAX_BYTES) also passes here; the
# API's per-route limits (MAX_BODY_BYTES for citizens) still apply behind it.
MAX_REQUEST_BYTES = 6 * 1024 * 1024
MAX_HEAD_BYTES = 64 * 1024  # request line and headers; more is a 431
MAX_TARGET_BYTES = 8 * 1024  # request line; more is a 414
MAX_HEADERS = 100
IDLE_TIMEOUT = 15.0  # seconds a keep-alive connection may wait for its next request
REQUEST_TIMEOUT = 10.0  # seconds from a request's first byte to its last (slow senders get a 408)
SHUTDOWN_GRACE = 5.0  # seconds a graceful shutdown waits for requests already started and answers being sent
SERVER_NAME = "DataCity-local"
# Worker processes (WORKERS or --workers to change): one per core, up to 4. A worker answers every request in one
# thread, so uses one core: on the 2-core benchmark machine one took 1,900-2,600 votes/s, two 2,000-3,500, for about
# 10 % more CPU per vote (a worker's SQLite page cache is dropped when the other writes): docs/benchmarks.md, "API".
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))

_CLIENT_IP_KEY = CLIENT_IP_HEADER.lower()
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+").fullmatch
# Control characters other than TAB; searched in a head whose CRLFs are replaced, it also finds a bare CR or LF.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]").search
_STATUS_LINES = {s.value: f"HTTP/1.1 {s.value} {s.phrase}\r\n".encode() for s in HTTPStatus}


def load_app(host: str, port: int):
    """Apply the 'local' stage's environment (without overriding the caller's), import app.py; (app, config)."""
    from chalice.config import Config

    config_file = json.loads((API_DIR / ".chalice" / "config.json").read_text(encoding="utf-8"))
    config = Config.create(
        chalice_stage="local", app_name=config_file["app_name"], config_from_disk=config_file, project_dir=str(API_DIR)
    )
    for key, value in config.environment_variables.items():
        os.environ.setdefault(key, value)
    os.environ["SITE_ORIGIN"] = f"http://{host}:{port}"
    os.environ["CLIENT_IP_HEADER"] = CLIENT_IP_HEADER
    if str(API_DIR) not in sys.path:
        sys.path.insert(0, str(API_DIR))
    import app as app_module

    return app_module.app, config


# --------------------------------------------------------------------------------------------------------------
# The API: Chalice's request handling, without LocalGateway's per-request route search and event building
# --------------------------------------------------------------------------------------------------------------


class ApiAdapter:
    """Turn an HTTP request into the Lambda proxy event API Gateway would send, and call the Chalice app with it.

    Generic over `app.routes`: every route, method, header, query string, path parameter and body goes through
    as `chalice local` passes it (LocalGateway's event format, which app.py's tests and handlers expect). The
    route table is compiled once, and again whenever the app's routes change. Two cases go to Chalice's own
    LocalGateway, so they keep its exact behaviour: OPTIONS without a view of its own (the CORS preflight API
    Gateway generates) and routes with an authorizer (LocalGateway runs built-in authorizers locally).
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
        self._compiled_for = None
        self._compile()

    def _compile(self) -> None:
        """Exact paths in a dict, paths with {captures} as regular expressions, in LocalGateway's order."""
        routes = self.app.routes
        self.gateway = self._gateway(self.app, self.config)  # its own route table is made here too
        exact: dict[str, str] = {}
        patterns = []
        for route in sorted(routes):  # LocalGateway's order: a concrete segment before a capture
            if "{" not in route:
                exact.setdefault(route, route)
                continue
            regex = "".join(
                f"(?P<{part[1:-1]}>[^/]*)" if part.startswith("{") and part.endswith("}") else re.escape(part)
                for part in re.split(r"(\{[^}/]*\})", route)
            )
            patterns.append((re.compile(regex).fullmatch, route))
        self._exact, self._patterns = exact, patterns
        # Routes LocalGateway must answer: any view with an authorizer.
        self._gateway_routes = {
            route for route, views in routes.items() if any(view.authorizer for view in views.values())
        }
        self._compiled_for = (len(routes), sum(len(views) for views in routes.values()))

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        routes = self.app.routes
        if self._compiled_for != (len(routes), sum(len(views) for views in routes.values())):
            self._compile()
        if path != "/" and path.endswith("/"):  # as API Gateway (and LocalGateway) do
            path = path[:-1]
        route = self._exact.get(path)
        if route is not None:
            return route, {}
        for fullmatch, route in self._patterns:
            found = fullmatch(path)
            if found:
                return route, found.groupdict()
        return None

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes | None, client_ip: str):
        """Answer one API request; `target` is the path under /api with its query string, `headers` lower-cased.

        Returns (status, [(name, value)], body bytes).
        """
        headers.pop(_CLIENT_IP_KEY, None)
        headers[_CLIENT_IP_KEY] = client_ip
        path, _, query = target.partition("?")
        matched = self.match(path)
        if matched is None:
            return problem(404, "Not found", f"No API route answers {path}.")
        route, captured = matched
        if route in self._gateway_routes or (method == "OPTIONS" and "OPTIONS" not in self.app.routes[route]):
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


def problem(status: int, title: str, detail: str | None = None):
    """An RFC 9457 problem answer the server itself gives (the API's own errors come from chalicelib)."""
    body = json.dumps({"status": status, "title": title, "detail": detail or title}).encode()
    return status, [("Content-Type", "application/problem+json"), ("Cache-Control", "no-store")], body


# --------------------------------------------------------------------------------------------------------------
# The site: static files, as http.server's SimpleHTTPRequestHandler serves them
# --------------------------------------------------------------------------------------------------------------


class StaticSite:
    """GET and HEAD of the built site's files: index.html for folders, Last-Modified and 304, the site's 404 page."""

    def __init__(self, root: Path):
        self.root = os.path.realpath(root)
        self.extensions = SimpleHTTPRequestHandler.extensions_map

    def content_type(self, path: str) -> str:
        """SimpleHTTPRequestHandler.guess_type's answer."""
        ext = posixpath.splitext(path)[1]
        if ext in self.extensions:
            return self.extensions[ext]
        if ext.lower() in self.extensions:
            return self.extensions[ext.lower()]
        return mimetypes.guess_type(path)[0] or "application/octet-stream"

    def file_for(self, url_path: str) -> str | None:
        """The file or folder a URL path names inside the site, or None (outside, or a name that cannot be)."""
        path = unquote(url_path)  # invalid UTF-8 becomes U+FFFD: no such file
        if "\x00" in path or "\\" in path:
            return None
        parts = [part for part in path.split("/") if part and part != "."]
        if ".." in parts:
            return None
        full = os.path.join(self.root, *parts)
        real = os.path.realpath(full)
        if real != self.root and not real.startswith(self.root + os.sep):
            return None  # a symbolic link out of the site
        return full

    def handle(self, method: str, target: str, headers: dict[str, str]):
        if method not in ("GET", "HEAD"):
            status, answer, body = problem(405, "Method not allowed")
            return status, [*answer, ("Allow", "GET, HEAD")], body
        url_path = target.split("?", 1)[0].split("#", 1)[0]
        full = self.file_for(url_path)
        if full is None:
            return self.not_found()
        try:
            if os.path.isdir(full):
                if not url_path.endswith("/"):
                    # One leading slash: "//host/..." would send the browser to another site.
                    location = "/" + url_path.lstrip("/") + "/" + target[len(url_path) :]
                    return 301, [("Location", location), ("Content-Length", "0")], b""
                full = os.path.join(full, "index.html")
            elif url_path.endswith("/"):
                return self.not_found()
            with open(full, "rb") as file:
                stat = os.fstat(file.fileno())
                modified = int(stat.st_mtime)
                since = headers.get("if-modified-since")
                if since and "if-none-match" not in headers:
                    try:
                        when = email.utils.parsedate_to_datetime(since)
                    except (TypeError, IndexError, OverflowError, ValueError):
                        when = None
                    if when is not None and when.tzinfo is not None and modified <= when.timestamp():
                        return 304, [("Last-Modified", email.utils.formatdate(modified, usegmt=True))], b""
                body = file.read() if method == "GET" else b""
                size = stat.st_size if method == "HEAD" else len(body)
        except (OSError, ValueError):  # missing, a folder without index.html, unreadable, a name the system refuses
            return self.not_found()
        answer = [
            ("Content-Type", self.content_type(full)),
            ("Last-Modified", email.utils.formatdate(modified, usegmt=True)),
            ("Content-Length", str(size)),
        ]
        return 200, answer, body

    def not_found(self):
        try:
            with open(os.path.join(self.root, "404.html"), "rb") as file:
                body = file.read()
        except OSError:
            body = b"<!doctype html><title>404 Not found</title><h1>Not found</h1>"
        return 404, [("Content-Type", "text/html; charset=utf-8")], body


# --------------------------------------------------------------------------------------------------------------
# HTTP/1.1
# --------------------------------------------------------------------------------------------------------------


class BadRequest(Exception):
    def __init__(self, status: int, title: str, detail: str | None = None):
        super().__init__(title)
        self.answer = problem(status, title, detail)


class Request:
    __slots__ = ("method", "target", "version", "headers", "length", "keep_alive")

    def __init__(self, method, target, version, headers, length, keep_alive):
        self.method, self.target, self.version = method, target, version
        self.headers, self.length, self.keep_alive = headers, length, keep_alive


def parse_head(head: bytes) -> Request:
    """Parse a request line and headers (without the final CRLF CRLF) strictly; raise BadRequest otherwise."""
    text = head.decode("latin-1")
    if _CONTROL(text.replace("\r\n", "\t")):
        raise BadRequest(400, "Bad request", "Control characters, or a line not ended by CRLF, in the request head.")
    lines = text.split("\r\n")
    request_line = lines[0]
    if len(request_line) > MAX_TARGET_BYTES:
        raise BadRequest(414, "URI too long")
    parts = request_line.split(" ")
    if len(parts) != 3:
        raise BadRequest(400, "Bad request", "Malformed request line.")
    method, target, version = parts
    if not _TOKEN(method):
        raise BadRequest(400, "Bad request", "Malformed method.")
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        if re.fullmatch(r"HTTP/\d\.\d", version):
            raise BadRequest(505, "HTTP version not supported", "This server speaks HTTP/1.1 and HTTP/1.0.")
        raise BadRequest(400, "Bad request", "Malformed request line.")
    if not target.startswith("/"):
        raise BadRequest(400, "Bad request", "The request target must be a path starting with /.")
    if len(lines) - 1 > MAX_HEADERS:
        raise BadRequest(431, "Request header fields too large", f"More than {MAX_HEADERS} header fields.")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN(name):  # also refuses obsolete line folding and "Name :" (RFC 9112)
            raise BadRequest(400, "Bad request", "Malformed header field.")
        name = name.lower()
        value = value.strip(" \t")
        if name in headers:
            if name in ("content-length", "host", "transfer-encoding"):
                raise BadRequest(400, "Bad request", f"Repeated {name} header.")
            value = headers[name] + ("; " if name == "cookie" else ", ") + value
        headers[name] = value
    if version == "HTTP/1.1" and "host" not in headers:
        raise BadRequest(400, "Bad request", "HTTP/1.1 requests need a Host header.")
    if "transfer-encoding" in headers:
        if headers["transfer-encoding"].lower() == "chunked":
            raise BadRequest(411, "Length required", "Chunked request bodies are not supported: send Content-Length.")
        raise BadRequest(501, "Not implemented", "Transfer-Encoding is not supported: send Content-Length.")
    length = headers.get("content-length", "0")
    if not (length.isascii() and length.isdigit()):
        raise BadRequest(400, "Bad request", "Invalid Content-Length.")
    length = int(length)
    if length > MAX_REQUEST_BYTES:
        raise BadRequest(413, "Request too large", f"Request bodies are limited to {MAX_REQUEST_BYTES} bytes.")
    connection = headers.get("connection", "").lower()
    keep_alive = "close" not in connection if version == "HTTP/1.1" else "keep-alive" in connection
    return Request(method, target, version, headers, length, keep_alive)


class Connection(asyncio.BufferedProtocol):
    """One client connection: parse requests as bytes arrive, answer each in order, keep the connection alive."""

    def __init__(self, server: Server):
        self.server = server
        self.transport = None
        self.buffer = bytearray()
        self.request: Request | None = None  # a request whose head is read and whose body is not (yet)
        self.started = False  # bytes of a request are here: the request deadline applies, not the idle one
        self.deadline = 0.0
        self.paused = False  # the client does not read its answers: stop reading its requests
        self.closing = False
        self.client_ip = ""

    def connection_made(self, transport):
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.client_ip = peer[0] if peer else ""
        self.deadline = time.monotonic() + IDLE_TIMEOUT
        self.server.connections.add(self)

    def connection_lost(self, exc):
        self.closing = True
        self.server.connections.discard(self)

    def pause_writing(self):
        self.paused = True
        self.transport.pause_reading()

    def resume_writing(self):
        self.paused = False
        if not self.closing:
            self.transport.resume_reading()
            self.process()

    def get_buffer(self, sizehint):
        # One receive buffer for all connections (they all run in this thread), copied from at once: no 256 KiB
        # allocation per read as with asyncio.Protocol.data_received.
        return self.server.receive_buffer

    def buffer_updated(self, nbytes):
        if self.closing:
            return
        self.buffer += self.server.receive_buffer[:nbytes]
        if not self.started:
            self.started = True
            self.deadline = time.monotonic() + REQUEST_TIMEOUT
        self.process()

    def process(self):
        buffer = self.buffer
        while buffer and not self.paused and not self.closing:
            request = self.request
            if request is None:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    if len(buffer) > MAX_HEAD_BYTES:
                        self.fail(problem(431, "Request header fields too large"))
                    elif b"\r\n" not in buffer and len(buffer) > MAX_TARGET_BYTES:
                        self.fail(problem(414, "URI too long"))
                    return
                if end > MAX_HEAD_BYTES:
                    return self.fail(problem(431, "Request header fields too large"))
                try:
                    request = parse_head(bytes(buffer[:end]))
                except BadRequest as error:
                    return self.fail(error.answer)
                del buffer[: end + 4]
                self.request = request
                if request.length > len(buffer) and "100-continue" in request.headers.get("expect", "").lower():
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            if len(buffer) < request.length:
                return  # wait for the rest of the body
            body = bytes(buffer[: request.length]) if request.length else None
            del buffer[: request.length]
            self.request = None
            self.respond(request, body)
            if buffer:
                self.deadline = time.monotonic() + REQUEST_TIMEOUT
            else:
                self.started = False
                self.deadline = time.monotonic() + IDLE_TIMEOUT

    def respond(self, request: Request, body: bytes | None) -> None:
        keep_alive = request.keep_alive and not self.server.stopping
        try:
            status, headers, payload = self.server.answer(request, body, self.client_ip)
            self.send(status, headers, payload, request, keep_alive)
        except Exception:
            traceback.print_exc()
            status, headers, payload = problem(500, "Internal server error")
            self.send(status, headers, payload, request, False)
            keep_alive = False
        if not self.server.quiet:
            when = time.strftime("%d/%b/%Y %H:%M:%S")
            line = f"{request.method} {request.target} {request.version}"
            sys.stderr.write(f'{self.client_ip} - - [{when}] "{line}" {status} -\n')
        if not keep_alive:
            self.close()

    def send(self, status, headers, payload, request, keep_alive) -> None:
        lines = [f"Server: {SERVER_NAME}\r\nDate: {self.server.date()}\r\n"]
        has_length = False
        for name, value in headers:
            if name == "Content-Length":
                has_length = True
            line = f"{name}: {value}\r\n"
            if "\n" in line[:-1] or "\r" in line[:-2]:
                raise ValueError(f"line break in the {name} header")  # no response splitting
            lines.append(line)
        if not has_length and status >= 200 and status not in (204, 304):
            lines.append(f"Content-Length: {len(payload)}\r\n")
        if not keep_alive:
            lines.append("Connection: close\r\n")
        elif request is not None and request.version == "HTTP/1.0":
            lines.append("Connection: keep-alive\r\n")
        lines.append("\r\n")
        status_line = _STATUS_LINES.get(status) or f"HTTP/1.1 {status} Unknown\r\n".encode()
        head = status_line + "".join(lines).encode("latin-1")
        if request is not None and request.method == "HEAD" or status == 304 or not payload:
            self.transport.write(head)
        elif len(payload) < 65536:
            self.transport.write(head + payload)
        else:
            self.transport.writelines((head, payload))

    def fail(self, answer) -> None:
        """Answer a request this server refuses before it reaches the site or the API, then close."""
        status, headers, payload = answer
        self.send(status, headers, payload, None, False)
        self.close()

    def close(self) -> None:
        self.closing = True
        self.buffer.clear()
        if self.transport is not None:
            self.transport.close()  # after what is buffered is sent

    def expire(self, now: float) -> None:
        if self.closing or now < self.deadline:
            return
        if self.started:
            self.fail(problem(408, "Request timeout", f"A request must arrive within {REQUEST_TIMEOUT:g} s."))
        else:
            self.close()  # an idle keep-alive connection


class Server:
    """The HTTP server; `serve_forever()` runs it in the calling thread until `shutdown()` (from another thread)."""

    def __init__(self, site: Path, sock: socket.socket, api: ApiAdapter, parent: int | None = None):
        self.parent = parent  # a worker's: stop if that process is gone (a worker must not outlive it)
        self.site = StaticSite(site)
        self.api = api
        self.quiet = os.environ.get("DATACITY_QUIET") == "1"
        self.socket = sock
        self.server_address = sock.getsockname()
        self.connections: set[Connection] = set()
        self.stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._done = threading.Event()
        self._running = False
        self._date = (0, "")
        self.receive_buffer = memoryview(bytearray(256 * 1024))

    def date(self) -> str:
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, email.utils.formatdate(now, usegmt=True))
        return self._date[1]

    def answer(self, request: Request, body: bytes | None, client_ip: str):
        target = request.target
        if target == "/api" or target.startswith(("/api/", "/api?")):
            under = target[4:]
            if not under.startswith("/"):
                under = "/" + under
            return self.api.handle(request.method, under, request.headers, body, client_ip)
        return self.site.handle(request.method, target, request.headers)

    def serve_forever(self, poll_interval: float | None = None) -> None:  # poll_interval: socketserver's signature
        self._running = True
        self._done.clear()
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()
            self._running = False
            self._done.set()

    async def _main(self) -> None:
        loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if self.stopping:
            return
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self._stop.set)
        listener = await loop.create_server(lambda: Connection(self), sock=self.socket)
        sweeper = loop.create_task(self._sweep())
        try:
            await self._stop.wait()
        finally:
            # Graceful: stop accepting, close idle connections, let started requests finish and answers go out.
            self.stopping = True
            listener.close()
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            deadline = time.monotonic() + SHUTDOWN_GRACE
            while self.connections and time.monotonic() < deadline:
                for connection in list(self.connections):
                    if not connection.started and not connection.closing:
                        connection.close()
                await asyncio.sleep(0.05)
            for connection in list(self.connections):
                connection.transport.abort()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for connection in list(self.connections):
                connection.expire(now)
            if self.parent is not None and os.getppid() != self.parent:
                self._stop.set()

    def request_shutdown(self) -> None:
        """Ask serve_forever to stop, from any thread, without waiting."""
        self.stopping = True
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(stop.set)

    def shutdown(self) -> None:
        """Stop serve_forever gracefully and wait until it has returned (as socketserver's shutdown does)."""
        self.request_shutdown()
        if self._running:
            while not self._done.wait(0.05):
                self.request_shutdown()  # in case the loop was starting when first asked

    def server_close(self) -> None:
        self.socket.close()


def listen(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    return socket.create_server((host, port), backlog=socket.SOMAXCONN, reuse_port=reuse_port)


def make_server(site: Path, host: str, port: int) -> Server:
    """Bind host:port (port 0: any free port), load the app for that origin; serve_forever() serves it."""
    sock = listen(host, port)
    try:
        app, config = load_app(host, sock.getsockname()[1])
    except BaseException:
        sock.close()
        raise
    return Server(Path(site), sock, ApiAdapter(app, config))


def _every_hour(task) -> None:
    """Run `task` now and then hourly, in the background, as the scheduled Lambda does in production."""

    def run():
        task()
        timer = threading.Timer(3600, run)
        timer.daemon = True
        timer.start()

    run()


def serve(site: Path, host: str, port: int, workers: int = 1, on_ready=None) -> None:
    """Serve until SIGTERM or Ctrl+C. With several workers: one process each, sharing the port (SO_REUSEPORT).

    Each worker is a Server of its own (an event loop, a SQLite connection); the kernel spreads connections among
    them, SQLite (and the store's lock file) serialises their writes. This process only starts them, restarts
    one that dies, and passes SIGTERM and Ctrl+C on to them. The hourly housekeeping runs in worker 0.
    """

    def housekeeping():
        from chalicelib import runtime  # importable once load_app has run

        _every_hour(lambda: runtime.service().housekeeping())

    if workers <= 1:
        server = make_server(site, host, port)
        housekeeping()
        if on_ready:
            on_ready(server.server_address[1])
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return
    sockets = [listen(host, port, reuse_port=True)]
    port = sockets[0].getsockname()[1]
    sockets += [listen(host, port, reuse_port=True) for _ in range(workers - 1)]
    app, config = load_app(host, port)  # imported once, before the workers are forked
    from chalicelib import runtime

    cfg = runtime.settings()
    if cfg.store == "sqlite":  # created here, so that workers never race to make the secret key
        from chalicelib.adapters.secrets import load_keys

        load_keys(cfg.secret_name, cfg.data_dir)
    children: dict[int, int] = {}
    stopping = False
    parent = os.getpid()

    def start(index: int) -> None:
        pid = os.fork()
        if pid:
            children[pid] = index
            return
        code = 0
        try:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for other, sock in enumerate(sockets):
                if other != index:
                    sock.close()
            server = Server(site, sockets[index], ApiAdapter(app, config), parent)
            if index == 0:
                housekeeping()
            server.serve_forever()
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)

    def stop(*_):
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for index in range(workers):
            start(index)
        if on_ready:
            on_ready(port)
        while children:
            pid, status = os.wait()
            index = children.pop(pid, None)
            if index is not None and not stopping:
                print(f"worker {index} exited ({status}); starting it again", file=sys.stderr, flush=True)
                time.sleep(0.5)
                start(index)
    finally:
        stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sock in sockets:
            sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", DEFAULT_WORKERS)))
    args = parser.parse_args()
    if not (args.site / "catalog.json").exists():
        sys.exit(f"{args.site}/catalog.json is missing: build the site first (make build)")

    def ready(port):
        from chalicelib import runtime

        origin = f"http://{args.host}:{port}"
        print(f"DataCity is running at {origin}/  (API: {origin}/api/health)", flush=True)
        print(f"Votes and comments are kept in {runtime.settings().data_dir.resolve()}; stop with Ctrl+C.", flush=True)

    # Until SIGTERM or Ctrl+C: then each worker finishes what it started and returns.
    serve(args.site.resolve(), args.host, args.port, args.workers, ready)


if __name__ == "__main__":
    main()
