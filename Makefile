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

# The project runs from this folder, which is the point of an editable install: setuptools' notice that
# the folder shadows the installed package is silenced.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore::UserWarning:setuptools.command.editable_wheel $(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py ingest dataset
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

# Production-like local serving: DEBUG off, compressed hashed static files, gunicorn, plain HTTP.
# The key comes from the environment or .env; without one this run gets a throwaway key, and says so.
serve: install
	@set -e; \
	if [ -z "$${SECRET_KEY:-}" ] && ! grep -qsE '^SECRET_KEY=.+' .env; then \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; export SECRET_KEY; \
	  echo "make serve: no SECRET_KEY in the environment or .env; using a throwaway key for this run" \
	    "(sessions and admin logins end when it stops). Put SECRET_KEY=... in .env to keep one."; \
	fi; \
	export DEBUG=0 SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0}; \
	$(PY) manage.py collectstatic --noinput -v0; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py ingest dataset; \
	exec $(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.py --bind $(HOST):$(PORT)

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
