# The two commands a fresh machine needs (see README.md):
#   make build   set everything up and build out/graph.ttl from data/raw
#   make test    install the test servers (Debian packages) and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: build test setup venv clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dask]"
	touch $(BIN)/kg

venv: $(BIN)/kg

setup: venv
	$(BIN)/kg setup

build: setup
	$(BIN)/kg build data/raw --out out

test: setup
	bash .ci/install-debian.sh
	$(BIN)/python -m pytest -q -n auto --dist loadfile

clean:
	rm -rf out .pytest_cache
