"""Run the whole product on one local origin: the built site at /, the API at /api, on the SQLite store.

    python api/serve.py --site site --host 127.0.0.1 --port 8000

Not deployed (Chalice packages app.py and chalicelib/ only). Production puts a CDN in front of S3 and API Gateway
with the same layout, so pages and API share one origin there too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API_DIR = Path(__file__).resolve().parent
# Set by this server from the socket; any value a client sends is dropped.
CLIENT_IP_HEADER = "X-Local-Client-Ip"
MAX_REQUEST_BYTES = 1 << 20


def load_gateway(host: str, port: int):
    """Apply the 'local' stage's environment (without overriding the caller's), then build Chalice's gateway."""
    from chalice.config import Config
    from chalice.local import LocalGateway

    config_file = json.loads((API_DIR / ".chalice" / "config.json").read_text(encoding="utf-8"))
    config = Config.create(
        chalice_stage="local", app_name=config_file["app_name"], config_from_disk=config_file, project_dir=str(API_DIR)
    )
    for key, value in config.environment_variables.items():
        os.environ.setdefault(key, value)
    os.environ["SITE_ORIGIN"] = f"http://{host}:{port}"
    os.environ["CLIENT_IP_HEADER"] = CLIENT_IP_HEADER
    sys.path.insert(0, str(API_DIR))
    import app as app_module

    return LocalGateway(app_module.app, config)


class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this, headers and body leave in two packets and Nagle's algorithm waits for a delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server_version = "DataCity-local"
    sys_version = ""

    def __init__(self, *args, gateway, **kwargs):
        self.gateway = gateway
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        if os.environ.get("DATACITY_QUIET") != "1":
            super().log_message(format, *args)

    def _is_api(self) -> bool:
        return self.path == "/api" or self.path.startswith(("/api/", "/api?"))

    def do_GET(self):
        if self._is_api():
            return self._api()
        return super().do_GET()

    def do_HEAD(self):
        if self._is_api():
            return self._api()
        return super().do_HEAD()

    def do_POST(self):
        if self._is_api():
            return self._api()
        self._plain(405, "Method not allowed")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def _plain(self, status: int, text: str, close: bool = False):
        body = json.dumps({"status": status, "title": text, "detail": text}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _api(self):
        try:
            length = int(self.headers.get("Content-Length", "0") or 0)
        except ValueError:
            return self._plain(400, "Invalid Content-Length", close=True)
        if length < 0 or length > MAX_REQUEST_BYTES:
            return self._plain(413, "Request too large", close=True)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != CLIENT_IP_HEADER.lower()}
        headers[CLIENT_IP_HEADER] = self.client_address[0]
        path = self.path[len("/api") :] or "/"
        response = self.gateway.handle_request(method=self.command, path=path, headers=headers, body=body)
        payload = response.get("body") or b""
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self.send_response(response["statusCode"])
        merged = {**response.get("headers", {}), **response.get("multiValueHeaders", {})}
        merged.pop("Content-Length", None)
        for name, value in merged.items():
            for item in value if isinstance(value, list) else [value]:
                self.send_header(name, item)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser closing a connection it no longer needs is routine, not an error worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(site: Path, host: str, port: int) -> ThreadingHTTPServer:
    gateway = load_gateway(host, port)
    handler = partial(Handler, gateway=gateway, directory=str(site))
    return Server((host, port), handler)


def _every_hour(task) -> None:
    """Run `task` now and then hourly, in the background, as the scheduled Lambda does in production."""

    def run():
        task()
        timer = threading.Timer(3600, run)
        timer.daemon = True
        timer.start()

    run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()
    if not (args.site / "catalog.json").exists():
        sys.exit(f"{args.site}/catalog.json is missing: build the site first (make build)")
    server = make_server(args.site.resolve(), args.host, args.port)
    from chalicelib import runtime

    _every_hour(lambda: runtime.service().housekeeping())
    print(
        f"DataCity is running at http://{args.host}:{args.port}/  (API: http://{args.host}:{args.port}/api/health)",
        flush=True,
    )
    print(f"Votes and comments are kept in {runtime.settings().data_dir.resolve()}; stop with Ctrl+C.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
