# Two commands do all set-up on a fresh machine:  `make serve`  and  `make test`.
# What they install, once, is done by scripts/setup.sh, which says what and how long, and that it is ready after.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/tools.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PREVIEW_PORT ?= 8001
DATA_DIR ?= .data
CHROMIUM ?= /usr/bin/chromium
SETUP := VENV=$(VENV) CHROMIUM=$(CHROMIUM) scripts/setup.sh
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test lint format build validate preview chromium dynamodb-local editor bench clean venv check-infra \
	check-pages setup-serve setup-test lock messages

# The Python environment with the project and its test tools, exactly as locked (requirements/tools.txt: every
# version pinned, every file's SHA-256 checked); redone when pyproject.toml or the lock changes, quiet otherwise.
$(STAMP): pyproject.toml requirements/tools.txt
	@$(SETUP) python

venv:
	@$(SETUP) python

# Rewrite requirements/*.txt from PyPI after a dependency changed in pyproject.toml, api/requirements.txt or
# requirements/*.in (scripts/lock.sh; PYTHON=... picks the interpreter).
lock:
	scripts/lock.sh

# Debian's Chromium for the browser tests (Playwright cannot download its own browsers here).
chromium:
	@$(SETUP) chromium

# AWS's DynamoDB Local (from the npm registry) for the store contract tests; needs Java and npm.
dynamodb-local:
	@$(SETUP) java-npm
	@$(SETUP) dynamodb-local

# The editor checkers (remark, YAML language server) in node_modules/: docs/editing-challenges.md.
editor:
	@$(SETUP) editor

setup-serve:
	@$(SETUP) serve

setup-test:
	@$(SETUP) test

# The staff catalog also holds click's own words (`_()`, `ngettext()` in click's source): the commands' help is
# in the staff's language from "Usage:" on (site_builder/staff_click.py).
CLICK_DIR = $(shell $(PY) -c 'import click, os; print(os.path.dirname(click.__file__))')

# The interface's messages extracted from the code (Babel) into site_builder/locale/site.pot and the API's into
# api/chalicelib/locale/api.pot, and every catalog updated from them; LANGUAGE=xx starts a new language's catalogs.
# Translate the empty entries (docs/languages.md).
messages: $(STAMP)
	$(VENV)/bin/pybabel extract --no-location --sort-output -F babel.cfg -k N_ -k NP_:1,2 \
	  -o site_builder/locale/site.pot site_builder
	$(if $(LANGUAGE),test -f site_builder/locale/$(LANGUAGE)/LC_MESSAGES/site.po || $(VENV)/bin/pybabel init \
	  -D site -i site_builder/locale/site.pot -d site_builder/locale -l $(LANGUAGE))
	$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -D site -i site_builder/locale/site.pot \
	  -d site_builder/locale
	$(VENV)/bin/pybabel extract --no-location --sort-output -F babel.cfg -k N_ -k NP_:1,2 \
	  -o api/chalicelib/locale/api.pot api/chalicelib
	$(VENV)/bin/pybabel extract --no-location --sort-output --no-default-keywords -F babel.cfg -k S_ -k SP_:1,2 \
	  -k _ -k ngettext:1,2 -o site_builder/locale/staff.pot site_builder staff $(CLICK_DIR)
	$(if $(LANGUAGE),test -f site_builder/locale/$(LANGUAGE)/LC_MESSAGES/staff.po || $(VENV)/bin/pybabel init \
	  -D staff -i site_builder/locale/staff.pot -d site_builder/locale -l $(LANGUAGE))
	$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -D staff -i site_builder/locale/staff.pot \
	  -d site_builder/locale
	$(if $(LANGUAGE),test -f api/chalicelib/locale/$(LANGUAGE)/LC_MESSAGES/api.po || $(VENV)/bin/pybabel init \
	  -D api -i api/chalicelib/locale/api.pot -d api/chalicelib/locale -l $(LANGUAGE))
	$(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -D api -i api/chalicelib/locale/api.pot \
	  -d api/chalicelib/locale
	@# The extraction's time stamp changes on every run: left out, so that catalogs differ only when messages do
	@# (and two branches that both ran this do not conflict on it).
	@sed -i '/^"POT-Creation-Date: /d' site_builder/locale/*.pot site_builder/locale/*/LC_MESSAGES/*.po \
	  api/chalicelib/locale/*.pot api/chalicelib/locale/*/LC_MESSAGES/*.po

validate: $(STAMP)
	$(VENV)/bin/datacity validate

build: $(STAMP)
	$(VENV)/bin/mkdocs build --strict

# The site and the API on one origin (API under /api), on the SQLite store in DATA_DIR; says where everything is.
serve: setup-serve
	@echo "Building the site into site/ (a few seconds)..."
	@set -o pipefail; $(VENV)/bin/mkdocs build --strict 2>&1 \
	  | { grep -v '^INFO    -  \(mkdocs_static_i18n: \|Doc file .* contains an absolute link\|Cleaning site\)' || true; } \
	  || { echo "The site could not be built: the problems are listed above (file:line: field: what to fix)."; exit 1; }
	@DATA_DIR=$(abspath $(DATA_DIR)) $(PY) scripts/run_local.py --site site --host $(HOST) --port $(PORT)

# For staff writing content: the site rebuilt, and the browser page reloaded, each time a file is saved.
preview: $(STAMP)
	@$(VENV)/bin/datacity preview --host $(HOST) --port $(PREVIEW_PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Infrastructure, offline: package dev and prod with Chalice, cfn-lint, actionlint, tests/infra.
# (From `make test`, whose set-up already installed Chromium and DynamoDB Local: SETUP_DONE=1.)
check-infra: $(STAMP) $(if $(SETUP_DONE),,chromium dynamodb-local)
	scripts/check_infra.sh

# The built site, served by api/serve.py, checked by the Nu Html Checker, pa11y (HTML_CodeSniffer + axe), LinkChecker
# and Lighthouse (scripts/check_pages.py); the npm checkers are installed under .cache/ (needs Java and npm).
check-pages: $(STAMP) $(if $(SETUP_DONE),,chromium dynamodb-local)
	$(PY) scripts/check_pages.py

test: setup-test
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory check-infra SETUP_DONE=1
	@$(MAKE) --no-print-directory check-pages SETUP_DONE=1
	$(VENV)/bin/datacity schema --check
	$(PY) -m pytest -ra --ignore=tests/infra

bench: $(STAMP)
	$(PY) scripts/bench_site.py

clean:
	rm -rf site .build/docs/* .pytest_cache build/infra
