# Nanum: two commands do all the set-up.
#   make demo   SQLite, demo data, a server on 127.0.0.1:8000, demo accounts printed
#   make test   ruff, the suite on SQLite and PostgreSQL, browser tests, tiny benchmarks
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
STAMP_ML := $(VENV)/.installed-ml

.PHONY: demo test check lint test-sqlite test-postgres test-browser test-browser-postgres bench-tiny messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# The tests also train and compare the learner model, which needs PyTorch (CPU build).
$(STAMP_ML): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,ml]"
	touch $(STAMP_ML)

demo: $(STAMP)
	NANUM_DEBUG=0 NANUM_MANIFEST_STATIC=0 NANUM_TASKS_IMMEDIATE=1 $(VENV)/bin/nanum demo

test: $(STAMP_ML)
	@bash scripts/test.sh

# The house rules: import contracts, import placement, types (docs/CONVENTIONS.md).
check: $(STAMP)
	@bash scripts/check.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: $(STAMP)
	$(PY) -m pytest -m "not browser"

test-postgres: $(STAMP)
	$(PY) scripts/pgtmp.py -- $(PY) -m pytest -m "not browser"

test-browser: $(STAMP)
	$(PY) -m pytest -m browser

# The browser tests and journeys on a throwaway PostgreSQL cluster (CI runs them in
# make test through NANUM_BROWSER_ON_POSTGRES=1).
test-browser-postgres: $(STAMP)
	$(PY) scripts/pgtmp.py -- $(PY) -m pytest -m browser

bench-tiny: $(STAMP)
	@bash scripts/bench_tiny.sh

messages: $(STAMP)
	@bash scripts/messages.sh

clean:
	rm -rf $(VENV) var staticfiles
