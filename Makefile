# Two commands do all the set-up: `make run` launches seqtui, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench clean

run: $(VENV)/.installed
	$(BIN)/seqtui

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 tests
	$(BIN)/lint-imports
	$(BIN)/mypy seqtui models

bench: $(VENV)/.installed
	$(BIN)/python tests/benchmarks/startup.py
	$(BIN)/python tests/benchmarks/ui_latency.py
	$(BIN)/python tests/benchmarks/cells.py
	$(BIN)/python tests/benchmarks/dinos.py
	$(BIN)/python tests/benchmarks/vectors.py

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "seqtui needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info
