# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Everything the product needs (the move classifier and the Dask engine included).
install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[moves,dask]'

# The product plus what the tests and linters need.
install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[moves,dask,test]'

run: install
	$(BIN)/alteram demo --if-empty
	$(BIN)/alteram serve --dev --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
