# README's two commands: `make run` (demo school on SQLite) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUN_VERSION := 1.4.4
PORT ?= 3000

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export NPM_CONFIG_REGISTRY := https://registry.npmjs.org
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test setup install lint typecheck pytest chromium caddy demo clean

setup: $(VENV)/.installed .tools/node_modules/.bin/bun var/secret_key

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# A server's install (deploy/README.md): the app without the test tools, and the JavaScript runtime.
install: $(VENV)/.installed-prod .tools/node_modules/.bin/bun
	mkdir -p assets/external  # Reflex links shared assets here at start (ogp.service's ReadWritePaths)

$(VENV)/.installed-prod: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# Reflex's JavaScript runtime, from the npm registry into a project-local folder (see shared/STACK.md).
.tools/node_modules/.bin/bun:
	npm install --prefix .tools --no-fund --no-audit --loglevel=error bun@$(BUN_VERSION)
	test -x $@

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))' > $@

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

# The reverse proxy of deploy/: its tests validate deploy/Caddyfile and serve the app through it.
caddy:
	@command -v caddy >/dev/null || { apt-get update -qq && apt-get install -y -qq caddy; }

run: setup
	OGP_ENV=development $(BIN)/ogp db upgrade
	OGP_ENV=development $(BIN)/ogp demo
	@echo
	@echo "Oudergesprekplanner on http://localhost:$(PORT)"
	@echo "Log in at http://localhost:$(PORT)/login with one of the demo buttons:"
	@echo "  school admin  beheer@regenboog.example"
	@echo "  teacher       juf.jansen@regenboog.example"
	@echo "  parent        ouder.de.vries@example.org"
	@echo "The school admin sets up two-step verification (an authenticator app) at the first log-in."
	@echo "A new school signs up at http://localhost:$(PORT)/signup."
	@echo "E-mail is not sent: it is printed here and shown at http://localhost:$(PORT)/dev/mailbox"
	@echo
	OGP_ENV=development OGP_SECRET_KEY="$$(cat var/secret_key)" OGP_PUBLIC_BASE_URL=http://localhost:$(PORT) \
		$(BIN)/reflex run --env prod --single-port --frontend-port $(PORT) --backend-host 127.0.0.1

# ruff, then the layering contracts of pyproject.toml's [tool.importlinter] (import-linter).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

# Two timed passes (tests/run_passes.sh): unit + integration on SQLite, everything on PostgreSQL.
# PYTEST_ARGS are options for both (e.g. PYTEST_ARGS=-x); for one file run .venv/bin/pytest on it.
pytest: setup chromium caddy
	tests/run_passes.sh $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf .web .states test-artifacts
