"""A minimal Language Server Protocol client over stdio, to drive editors' language servers as an editor does."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

TIMEOUT = 60.0  # seconds; a language server on node starts in about a second


class LanguageServer:
    """One server process. `settings(section)` answers the server's workspace/configuration requests."""

    def __init__(self, command: list[str], root: Path, settings: Callable[[str | None], object]):
        self.root = root
        self.settings = settings
        self.process = subprocess.Popen(
            command, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.next_id = 0
        self.responses: dict[int, dict] = {}
        self.notifications: queue.Queue[dict] = queue.Queue()
        self.cond = threading.Condition()
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.process.stderr), daemon=True).start()

    # --- wire -----------------------------------------------------------------------------------------------------

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        out = self.process.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(out.read(length))
            if "method" in message and "id" in message:
                self._answer(message)
            elif "method" in message:
                self.notifications.put(message)
            else:
                with self.cond:
                    self.responses[message["id"]] = message
                    self.cond.notify_all()

    def _answer(self, request: dict) -> None:
        """The requests a server makes of its editor."""
        result = None
        if request["method"] == "workspace/configuration":
            result = [self.settings(item.get("section")) for item in request["params"]["items"]]
        self._send({"id": request["id"], "result": result})

    # --- protocol -------------------------------------------------------------------------------------------------

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        ident = self.next_id
        self._send({"id": ident, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        with self.cond:
            while ident not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"{method}: no answer from the language server; stderr:\n{self.log()}")
                self.cond.wait(min(left, 0.5))
        answer = self.responses.pop(ident)
        assert "error" not in answer, f"{method}: {answer['error']}"
        return answer.get("result")

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def initialize(self, configuration: dict | None = None) -> dict:
        uri = self.root.as_uri()
        capabilities = {
            "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
            "textDocument": {"publishDiagnostics": {"relatedInformation": True}, "synchronization": {}},
        }
        params = {
            "processId": None,
            "rootUri": uri,
            "rootPath": str(self.root),
            "workspaceFolders": [{"uri": uri, "name": self.root.name}],
            "capabilities": capabilities,
        }
        result = self.request("initialize", params)
        self.notify("initialized", {})
        if configuration is not None:
            self.notify("workspace/didChangeConfiguration", {"settings": configuration})
        return result

    def diagnostics(
        self, path: Path, text: str, language: str, until: Callable[[list[dict]], bool] | None = None
    ) -> list[dict]:
        """Open `text` as the editor buffer of `path`; the first diagnostics published for it (that satisfy `until`)."""
        uri = path.as_uri()
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}
        )
        deadline = time.monotonic() + TIMEOUT
        published: list[list[dict]] = []
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{path}: expected diagnostics not published; got {published}\n{self.log()}")
                try:
                    message = self.notifications.get(timeout=left)
                except queue.Empty:
                    continue
                if message["method"] == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                    published.append(message["params"]["diagnostics"])
                    if until is None or until(published[-1]):
                        return published[-1]
        finally:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def log(self) -> str:
        return b"".join(self.stderr).decode("utf-8", "replace")[-3000:]

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)
