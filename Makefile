# Steward: `make demo` serves the Connecticut demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?=
HOST ?=

.PHONY: demo test lint bench install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# pyCANON (the privacy tests' independent k-anonymity checker) pins exact versions of
	# typer, numpy, pandas and typing-extensions that clash with Steward's own; it needs only
	# pandas and numpy at run time, so it is installed without its pins.
	$(BIN)/python -m pip install --quiet --no-deps "pycanon>=1.3.6"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/steward demo $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))

test: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: install-dev
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/query.py

clean:
	rm -rf $(VENV) steward-data
