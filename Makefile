# Fieldguide: `make serve` to run the site, `make test` to run every test.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/fieldguide
PYTEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider -n $(PYTEST_WORKERS) --durations=15
export UV_PROJECT_ENVIRONMENT := $(VENV)
# The public address printed in editions and the sitemap (guide/public_address.py);
# a server listening on every interface has no address of its own to print.
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
export WAGTAILADMIN_BASE_URL ?= $(SITE_URL)

.PHONY: serve test test-sqlite test-postgres setup venv migrate static lint migrations-check format bench clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==0.13.9"

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

venv: $(VENV)/.synced

migrate: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

static: venv
	$(PY) manage.py collectstatic --noinput -v0

setup: venv migrate static

# Files the site writes while serving (database, uploads, logs) are its owner's alone.
PRIVATE := umask 077 &&

serve: setup
	$(PRIVATE) $(PY) manage.py load_guide content/default
	$(PRIVATE) $(PY) manage.py load_atlas
	$(PRIVATE) $(PY) manage.py ensure_admin
	$(PRIVATE) $(PY) manage.py set_site_url "$(SITE_URL)"
	@echo "Serving Fieldguide on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PRIVATE) $(VENV)/bin/gunicorn fieldguide.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --timeout 30 --log-level warning

test: venv static test-sqlite test-postgres

test-sqlite: venv
	@echo "== SQLite suite (with the Chromium browser tests)"
	$(PYTEST)

test-postgres: venv
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('/fieldguide','/postgres'), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL suite ($(PG_TEST_URL))"; \
		DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL) and CI=true: failing." >&2; exit 1; \
	else \
		echo "== PostgreSQL suite SKIPPED: no server at $(PG_TEST_URL) (set PG_TEST_URL to run it)"; \
	fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .tools static-collected
