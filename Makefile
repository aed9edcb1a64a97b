# The one entry point: `make run` serves the dashboard, `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run with production-like settings (DEBUG off, hashed static files) over plain HTTP.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-not-a-secret} DEBUG=0 SECURE_SSL_REDIRECT=0

.PHONY: install run serve test lint format bench eval clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py ingest dataset
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# Production-like local serving: DEBUG off, compressed hashed static files, gunicorn, plain HTTP.
serve: install
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(PY) manage.py migrate --noinput
	$(TEST_ENV) $(PY) manage.py ingest dataset
	$(TEST_ENV) $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --bind $(HOST):$(PORT)

test: install
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(TEST_ENV) $(PY) -m benchmarks

eval: install
	$(PY) tests/ingest/extract/score.py tests/ingest/extract/articles --set-aside
	@if [ -d ../shared/corpus-real ]; then $(PY) tests/ingest/extract/score.py ../shared/corpus-real --set-aside --targets; fi
	@if [ -d ../shared/corpus ]; then $(PY) ../shared/tools/score_extraction.py ../shared/corpus; fi

clean:
	rm -rf var/static var/db.sqlite3
