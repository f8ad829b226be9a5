# Two commands set everything up: `make chat` and `make test`.
# `make test` is the fast loop (ruff, mypy, pytest without the tests marked slow);
# `make test-all` runs everything, as CI does (.ci/run). The fast tests run on two worker
# processes (pytest-xdist, one test module per worker at a time; PYTEST_WORKERS=0: one
# process); the slow ones (subprocesses, replicas, load, timed checks) run after them in
# one process, so their timings never compete with a second worker.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: chat test test-all lint typecheck pytest pytest-all eval bench container-test audit lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,semantic]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/hrbot chat

test: $(STAMP) lint typecheck pytest

test-all: $(STAMP) lint typecheck pytest-all

lint: $(STAMP)
	$(BIN)/ruff check bot tests scripts benchmarks
	$(BIN)/ruff format --check bot tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest $(XDIST) -m "not slow"

pytest-all: pytest
	$(BIN)/pytest -m slow

eval: $(STAMP)
	$(BIN)/python -m tests.eval.run --all
	$(BIN)/python -m tests.eval.places_run
	$(BIN)/python -m tests.eval.conv_run

bench: $(STAMP)
	$(BIN)/python -m benchmarks

container-test:
	bash scripts/container-test.sh

# Known vulnerabilities in the pinned dependencies. Fails on a finding; says so plainly
# when the vulnerability service cannot be reached (offline build machines).
audit: $(STAMP)
	bash scripts/audit.sh

# Re-pin constraints.txt from a fresh resolve of pyproject.toml.
lock:
	rm -rf /tmp/hrbot-lock && $(PYTHON) -m venv /tmp/hrbot-lock
	/tmp/hrbot-lock/bin/pip install --quiet -e '.[dev,semantic]'
	{ head -2 constraints.txt; /tmp/hrbot-lock/bin/pip freeze --exclude-editable | grep -v '^-e'; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
