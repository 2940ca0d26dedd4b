# Two commands do all the set-up: `make run` launches seqtui, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench clean

run: $(VENV)/.installed
	$(BIN)/seqtui

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n 2 tests
	$(BIN)/lint-imports --no-cache
	MYPYPATH=$(VENV)/mypy-path $(BIN)/mypy -p seqtui -p seqtui_models

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
	@# playback needs simpleaudio, which builds against ALSA (Debian: libasound2-dev); without it
	@# seqtui still runs and writes WAV files, so a failed build is not fatal here.
	$(BIN)/python -m pip install --quiet -e '.[audio]' || echo "simpleaudio could not be built (install libasound2-dev): playback is off, WAV export still works"
	@# mypy does not follow the editable install's import hook that maps models/ to seqtui_models,
	@# so it reads the backends through a link of that name.
	mkdir -p $(VENV)/mypy-path && ln -sfn "$(CURDIR)/models" $(VENV)/mypy-path/seqtui_models
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info
