# Developer entry points. `make run` to try the portal, `make test` for the full CI gate.
# GNU make; every target works from a fresh clone (it builds .venv on first use).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=
# `make test` measures line coverage of portal/ and projects/ (settings in pyproject.toml) and
# fails below the floor; COVERAGE_FLOOR=0 for a partial run (say PYTEST_ARGS=tests/e2e).
COVERAGE_FLOOR ?= 94
# A whole run also fails when a URL or management command of ours was never touched by a test
# (tests/url_coverage.py); a partial run only counts. URL_COVERAGE=0 skips it, =1 forces it.
COVERAGE_ARGS ?= --cov --cov-report=term-missing:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)
BENCH_ARGS ?=
SCAN_ARGS ?=
# The whole scan's limit, seconds: raise it with --sqlmap-seconds on a slow machine.
SCAN_TIMEOUT ?= 2400

DEV_ENV := DJANGO_SETTINGS_MODULE=portal.settings.dev
TEST_ENV := DJANGO_SETTINGS_MODULE=portal.settings.test

# `make serve` and `make bench`: production settings against the local demo database, with a
# secret generated once into the git-ignored .serve-secret and media served by Django.
SERVE_DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
SERVE_ENV = DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY="$$(cat .serve-secret)" \
	ALLOWED_HOSTS=127.0.0.1,localhost \
	DATABASE_URL=$(SERVE_DATABASE_URL) \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SERVE_MEDIA=true
# --no-control-socket: gunicorn 24+ otherwise shares one control socket per user, so two
# servers (say `make serve` and `make bench`) would fight over it. Threaded workers: a client
# that sends its upload slowly (or never finishes it) holds one thread, not a whole worker.
GUNICORN := $(BIN)/gunicorn portal.wsgi --workers 2 --worker-class gthread --threads 8 \
	--no-control-socket --log-level warning

# stylelint and its config package live in .cache/stylelint (scripts/ensure_stylelint.sh), so
# .stylelintrc.json's `extends` is resolved from there. static/vendor is third-party CSS as released.
STYLELINT := .cache/stylelint/node_modules/.bin/stylelint --config-basedir .cache/stylelint \
	--ignore-pattern "static/vendor/**" "**/static/**/*.css"

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po)

.PHONY: help venv install lock run serve bench lighthouse smoke security-scan test test-checks test-suite lint format check audit messages ensure-browser ensure-html-checker ensure-stylelint ensure-nginx ensure-wapiti clean

help: ## List the targets
	@grep -hE '^[a-z -]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# --- environment ------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -c requirements.lock -e '.[dev]'
	touch $@

venv install: $(STAMP) ## Create .venv and install pinned dependencies (only when they changed)

lock: | $(BIN)/python ## Regenerate requirements.lock from what .venv holds
	{ echo "# Pinned constraints for 'pip install -c requirements.lock -e .[dev]'. Regenerate with 'make lock'."; \
	  $(BIN)/pip freeze --exclude-editable | grep -viE '^minsheng[-_]portal([ =@]|$$)'; } > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock

messages: install ## Compile translations (when there are .po files)
ifneq ($(strip $(PO_FILES)),)
	$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=.cache --ignore=node_modules
else
	@echo "No .po files; nothing to compile."
endif

# Migrate and load the demo year into an empty database; $(1) is the environment to use.
define prepare_db
	$(1) $(MANAGE) migrate --noinput
	$(1) $(MANAGE) load_demo --if-empty
endef

.serve-secret:
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# --- running ----------------------------------------------------------------------------------

run: messages ## Development server with the demo year on 127.0.0.1:PORT (default 8000)
	$(call prepare_db,$(DEV_ENV))
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: messages .serve-secret ## Production-like: gunicorn, 2 workers, DEBUG off, same demo database
	$(call prepare_db,$(DEV_ENV) DATABASE_URL=$(SERVE_DATABASE_URL))
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	@echo "Serving on 127.0.0.1:$(PORT) only (production settings; Ctrl-C stops)."
	@echo "A public server puts nginx in front of gunicorn: see README, Production."
	$(SERVE_ENV) $(GUNICORN) --bind 127.0.0.1:$(PORT) --access-logfile -

# Two passes, each on a fresh gunicorn: the page cache at its default, then bypassed
# (PAGE_CACHE_SECONDS=0). Another data set: make bench SERVE_DATABASE_URL=sqlite:////tmp/big.sqlite3
BENCH_LABEL ?= $(basename $(notdir $(SERVE_DATABASE_URL)))
bench: messages .serve-secret ## Cached and uncached req/s, latency, a 64-client burst, page weight (~7 min)
	$(call prepare_db,$(DEV_ENV) DATABASE_URL=$(SERVE_DATABASE_URL))
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(SERVE_ENV) timeout 900 $(BIN)/python bench/pages.py --serve --label $(BENCH_LABEL) \
		--json bench/results/pages-$(BENCH_LABEL).json --markdown bench/results/pages-$(BENCH_LABEL).md \
		$(BENCH_ARGS) -- $(GUNICORN) --access-logfile /dev/null

lighthouse: messages .serve-secret ## Mobile Lighthouse, median of 3, on /, /2022/, /2022/1/ (needs Chromium)
	$(call prepare_db,$(DEV_ENV) DATABASE_URL=$(SERVE_DATABASE_URL))
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(SERVE_ENV) timeout 900 bash scripts/lighthouse.sh -- $(GUNICORN) --access-logfile /dev/null

smoke: messages .serve-secret ## What a deployer does: demo data, collectstatic, gunicorn, a first visit
	$(call prepare_db,$(DEV_ENV) DATABASE_URL=$(SERVE_DATABASE_URL))
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	@port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	$(SERVE_ENV) $(GUNICORN) --bind 127.0.0.1:$$port --access-logfile /dev/null & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null' EXIT; \
	timeout 300 $(BIN)/python scripts/smoke_serve.py --base-url http://127.0.0.1:$$port --wait 60

# sqlmap (level 2) on every public parameter and a bounded wapiti scan of a throwaway copy of the
# demo database, on gunicorn with the production settings; fails on anything above "info".
security-scan: messages .serve-secret ensure-wapiti ## sqlmap and wapiti against the `serve` setup (~17 min; fails on a finding)
	$(call prepare_db,$(DEV_ENV) DATABASE_URL=$(SERVE_DATABASE_URL))
	$(SERVE_ENV) $(MANAGE) collectstatic --noinput -v 0
	$(SERVE_ENV) timeout $(SCAN_TIMEOUT) $(BIN)/python scripts/security_scan.py --serve \
		--wapiti .cache/wapiti/bin/wapiti $(SCAN_ARGS) -- $(GUNICORN)

# --- quality gate -----------------------------------------------------------------------------

ensure-html-checker: ## Fetch the Nu HTML Checker (vnu-jar via npm) for the markup test
	bash scripts/ensure_html_checker.sh

ensure-wapiti: ## Install the pinned wapiti3 (PyPI, scripts/wapiti/requirements.txt) into .cache/wapiti
	bash scripts/ensure_wapiti.sh

ensure-stylelint: ## Install the pinned stylelint (npm, scripts/stylelint/package-lock.json) into .cache/stylelint
	bash scripts/ensure_stylelint.sh

ensure-nginx: ## Install Debian's nginx (as root) for the two-node deployment test, or say it is missing
	bash scripts/ensure_nginx.sh

ensure-browser: ## Install Chromium and a CJK font for the browser tests (as root), or say what is missing
	bash scripts/ensure_browser.sh

lint: install ensure-stylelint ## ruff check, ruff format --check, the import layers (lint-imports), stylelint on static/css
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache
	$(STYLELINT)

audit: install ## pip-audit of requirements.lock (PyPI's JSON API; exit 3 and a loud notice when unreachable)
	bash scripts/audit_lock.sh

format: install ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install ## Django system checks and the missing-migrations check
	$(TEST_ENV) $(MANAGE) check
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run --noinput

test: test-checks test-suite ## The CI gate: lint, checks, migrations, messages, the whole pytest suite (with e2e), coverage

test-checks: export DJANGO_SETTINGS_MODULE = portal.settings.test
test-checks: install ensure-stylelint ## The first half of `make test`: lint, Django checks, missing migrations, compiled messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache
	$(STYLELINT)
	$(TEST_ENV) $(MANAGE) check
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run --noinput
ifneq ($(strip $(PO_FILES)),)
	$(TEST_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=.cache --ignore=node_modules
endif

# .ci/run runs this twice side by side (SQLite; PostgreSQL + Redis) after one `make test-checks`.
test-suite: export DJANGO_SETTINGS_MODULE = portal.settings.test
test-suite: install ensure-browser ensure-html-checker ensure-nginx ## The second half of `make test`: the pytest suite with coverage
	@mkdir -p .cache/coverage
	$(TEST_ENV) $(BIN)/pytest $(COVERAGE_ARGS) $(PYTEST_ARGS)

clean: ## Remove caches, collected static files, compiled messages and test output (keeps .venv, db, media)
	rm -rf staticfiles test-results bench/results .pytest_cache .ruff_cache requirements.lock.tmp
	find . -path ./.venv -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
	find . -path ./.venv -prune -o -type f -name '*.mo' -exec rm -f {} +
