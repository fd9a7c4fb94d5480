# 机关党建平台 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := dangjian.settings

.PHONY: run test install install-test lint check bench demo worker clean guide-shots

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# make run [PORT=8000] [VAR_DIR=./var]: migrate, standards, demo data (once), static, serve.
run: install
	$(BIN)/dangjian migrate --no-input -v 0
	$(BIN)/dangjian standards load
	$(BIN)/dangjian demo --once
	$(BIN)/dangjian collectstatic --no-input -v 0
	PORT=$(PORT) $(BIN)/dangjian serve

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

check: install-test
	$(BIN)/dangjian check --fail-level WARNING
	$(BIN)/dangjian makemigrations --check --dry-run

# make test [JOBS=auto]: the suite over JOBS processes (pytest-xdist; JOBS=0 runs it in one).
test: lint check
	$(BIN)/pytest -n $(or $(JOBS),auto)

# make bench [ONLY=members,phone] [REBUILD=1] [SCALE=province]: city data (or the province's,
# meant for PostgreSQL) in BENCH_VAR_DIR (/tmp/bench-var) or DATABASE_URL; pages over HTTP on
# 127.0.0.1:BENCH_PORT (8799), the only port it binds.
bench: install-test
	$(BIN)/python bench/run.py $(if $(ONLY),--only $(ONLY)) $(if $(REBUILD),--rebuild) \
		$(if $(SCALE),--scale $(SCALE))

# make demo [SCALE=city] [SEED=7]: the demo system into an empty database.
demo: install
	$(BIN)/dangjian migrate --no-input -v 0
	$(BIN)/dangjian demo $(if $(SCALE),--scale $(SCALE)) $(if $(SEED),--seed $(SEED))

# make guide-shots: crawl the demo and copy the user guides' screenshots to docs/guide/img/.
guide-shots: install-test
	DJ_GUIDE_SHOTS=1 $(BIN)/pytest tests/e2e/test_crawl.py -k every_page -q

worker: install
	$(BIN)/dangjian worker

clean:
	rm -rf $(VENV) var staticfiles
