# Family Data Portal. `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYBABEL := $(VENV)/bin/pybabel
PYTHON ?= python3
# Set to a PostgreSQL URL to run the suite a second time on PostgreSQL, e.g.
# postgresql+psycopg://postgres@127.0.0.1:5432/test (CI does).
TEST_DATABASE_URL ?=
# Test processes per pass (pytest-xdist); each has its own database and folders. A file's
# tests stay in one process (--dist loadfile), so module-scoped fixtures are built once.
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# Debian packages: fonts that have Welsh's ŵ and ŷ for the PDF copies of a family's data
# (templates/copies/copy.typ names them), and chromium for the browser tests. CI runs this too.
SYSTEM_PACKAGES := chromium fonts-liberation fonts-dejavu-core

.PHONY: apt-packages
apt-packages: ## Install the Debian packages PDFs and browser tests need (as root; only what is missing)
	@missing="$$(for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q 'ok installed' || echo "$$package"; \
	done)"; \
	if [ -n "$$missing" ]; then \
		echo "Installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

.PHONY: install
install: $(VENV)/.installed translations/cy/LC_MESSAGES/messages.mo ## Create .venv and install the portal with its test extras

translations/cy/LC_MESSAGES/messages.mo: translations/cy/LC_MESSAGES/messages.po $(VENV)/.installed
	$(PYBABEL) compile --use-fuzzy -d translations -f

instance/secret-key:
	mkdir -p instance
	$(PY) -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

instance/audit-key:
	mkdir -p instance
	$(PY) -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

# 32 random bytes in base64: the data key and the blind index key of `make run`.
instance/data-key instance/blind-index-key:
	mkdir -p instance
	$(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' > $@
	chmod 600 $@

DEV_KEYS := install instance/secret-key instance/audit-key instance/data-key instance/blind-index-key

# Development settings: plain-http cookies, emails to `make mail` on port 1025.
DEV_ENV := export SECRET_KEY="$$(cat instance/secret-key)" SECURE_COOKIES=0 \
	TRUSTED_HOSTS=127.0.0.1,localhost \
	AUDIT_HMAC_KEY="$$(cat instance/audit-key)" \
	DATA_KEYS="dev-1:$$(cat instance/data-key)" DATA_KEY_ID=dev-1 \
	BLIND_INDEX_KEY="$$(cat instance/blind-index-key)" \
	SMTP_HOST=127.0.0.1 SMTP_PORT=1025 SMTP_STARTTLS=0

.PHONY: run
run: $(DEV_KEYS) ## Migrate the embedded SQLite database, load the demo data and serve http://127.0.0.1:5000
	$(DEV_ENV) && \
	$(VENV)/bin/flask --app portal migrate && \
	$(VENV)/bin/flask --app portal demo-data && \
	{ $(VENV)/bin/flask --app portal build-copies || echo "Copies not built (see make apt-packages)"; } && \
	$(VENV)/bin/flask --app portal run --host 127.0.0.1 --port 5000

.PHONY: mail
mail: install ## Print the emails the portal sends (an SMTP server on 127.0.0.1:1025); deliver with `make send-mail`
	$(PY) -m aiosmtpd -n -c aiosmtpd.handlers.Debugging -l 127.0.0.1:1025

.PHONY: send-mail
send-mail: $(DEV_KEYS) ## Deliver the outbox to `make mail` (in production a worker sends each message: docs/deploy.md)
	$(DEV_ENV) && $(VENV)/bin/flask --app portal send-notifications

# The test suite runs npm's oidc-provider as the staff identity provider (tests/oidc/).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

.PHONY: test
# With PostgreSQL too, the browser journeys run once, in its pass: they test pages, and the
# request tests already run every page on both databases.
test: install node_modules/.package-lock.json ## Run the whole suite on SQLite, then again on PostgreSQL if TEST_DATABASE_URL is set
	env -u TEST_DATABASE_URL $(PYTEST) $(if $(TEST_DATABASE_URL),-m "not browser")
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
		echo "== again on PostgreSQL =="; \
		TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(PYTEST); \
	else echo "TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped"; fi

.PHONY: bench
bench: install ## Measure pages at county scale (PostgreSQL, 100,000 households, built once); figures in bench/results/
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py

.PHONY: lint
lint: install ## ruff (lint and format), mypy, and bandit (no medium or high finding unexplained)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit --quiet --recursive --severity-level medium portal forms

.PHONY: translations
translations: install ## Extract messages and update the Welsh catalogue (then translate the new entries)
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --omit-header -o translations/messages.pot . > /dev/null
	$(PYBABEL) update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -l cy

.PHONY: assets
assets: install ## Rebuild static/ from the pinned npm packages (GOV.UK Frontend 6.3.0)
	scripts/build-assets
