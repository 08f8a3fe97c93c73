# crosspost: `make run` runs the nightly DAG on the bundled demo sites; `make test` runs the tests.
# Both set themselves up: a .venv from requirements.lock (uv when it installs, pip otherwise).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.crosspost-installed
PYTEST_ARGS ?=

export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PARALLELISM := 4
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := False
export NO_PROXY := 127.0.0.1,localhost
export no_proxy := 127.0.0.1,localhost

.PHONY: setup browser services-deps run check test test-fast bench clean

setup: $(STAMP)

$(STAMP): setup.cfg requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if $(PY) -m pip install -q "uv==0.13.9" 2>/dev/null; then \
	  $(VENV)/bin/uv pip sync -q --python $(PY) --compile-bytecode requirements.lock && \
	  $(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e . ; \
	else \
	  $(PY) -m pip install -q -r requirements.lock && $(PY) -m pip install -q --no-deps -e . ; \
	fi
	@touch $(STAMP)

# Headless Chromium for the tests that look at the HTML report: Debian's chromium, installed
# when missing and the machine allows it (root and apt-get); otherwise those tests skip.
browser:
	@if [ -n "$$CROSSPOST_CHROMIUM" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser tests (apt-get)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null || echo "could not install chromium"; \
	else echo "no chromium, and installing it needs root and apt-get: the browser tests will skip"; fi

run: setup
	$(PY) -m tests.demoweb.run_dag --store lake --airflow-home $(AIRFLOW_HOME)

# Lint, import order and types: clean today, kept clean (config in pyproject.toml).
check: setup
	$(PY) -m ruff check --no-cache .
	$(PY) -m mypy

# Everything, as CI runs it (.ci/run calls `make test`).
test: check browser services-deps
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The unit tier: no S3 server, no demo web, no Airflow database or scheduler (under a minute).
test-fast: setup
	$(PY) -m pytest -q -p no:cacheprovider -m "not s3 and not scheduler and not e2e" $(PYTEST_ARGS)

# Servers the tests start themselves: Redis, the Celery broker of tests/dags/test_celery.py (PostgreSQL's
# server binaries come with the machine image). apt-get installs what is missing when it can (CI runs
# as root); otherwise that test is skipped and says why.
services-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "services-deps: installing redis-server"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      redis-server >/dev/null || echo "services-deps: could not install redis-server"; \
	  else echo "services-deps: redis-server is missing (apt-get install redis-server)"; fi; }

# tail_speed.py needs a stored night and a baseline tree (see its usage): run it by hand
bench: setup
	@for b in $(filter-out benchmarks/tail_speed.py,$(wildcard benchmarks/*.py)); do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .airflow lake .pytest_cache
