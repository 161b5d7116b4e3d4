#!/usr/bin/env bash
# `make lock`: the locked, hashed dependency files, from PyPI (needs the network; run after changing a dependency).
#   requirements/tools.txt   the project's venv: pyproject.toml's dependencies with [api,test], and setuptools
#                            (make venv installs it with --require-hashes; the deploy workflow too)
#   requirements/lambda.txt  what the API function runs: api/requirements.txt, for the Lambda runtime
#                            (infra/package.py downloads these wheels with --require-hashes into the package)
#   requirements/audit.txt   the pull-request pipeline's pip-audit and CycloneDX SBOM generator
# uv resolves (seconds, and independent of the venv's pip, which chalice pins below 26.3); every file lists the
# SHA-256 of every distribution of each pinned release, so the same lock serves Linux, macOS and Lambda.
# UV_VERSION may be set; uv is installed into .cache/uv, never into the project's venv.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=${UV_VERSION:-0.13.8}
PYTHON=${PYTHON:-python3}
UV=.cache/uv/bin/uv
if [ ! -x "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  rm -rf .cache/uv
  "$PYTHON" -m venv .cache/uv
  .cache/uv/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
compile() {
  "$UV" pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock" "$@"
}
compile --universal pyproject.toml requirements/build.in --extra api --extra test -o requirements/tools.txt
compile --python-platform x86_64-manylinux_2_17 api/requirements.txt -o requirements/lambda.txt
compile --universal requirements/audit.in -o requirements/audit.txt
echo "lock: requirements/tools.txt, lambda.txt, audit.txt written"
