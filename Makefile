# k8snb: `make lab` to learn, `make test` to check. Both set themselves up on a fresh
# Debian 12 with Python 3.11 (see tools/setup.sh for what gets installed and when).

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.k8snb-installed
PORT   ?= 8888
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
CHROMIUM  := /usr/bin/chromium

# Jupyter refuses to run as root unless told; open no browser when there is no screen.
LAB_FLAGS := --port=$(PORT) --ServerApp.root_dir=notebooks \
             $(if $(DISPLAY)$(WAYLAND_DISPLAY),,--no-browser) \
             $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test lint unit nbval browser notebooks setup graphviz

lab: setup
	$(VENV)/bin/jupyter lab $(LAB_FLAGS)

test: setup lint unit nbval browser
	@echo "make test: all checks passed"

lint: setup
	$(VENV)/bin/ruff check .

# Exit code 5 means "no tests collected": fine while the suite is still empty.
unit: setup
	$(PY) -m pytest tests --ignore=tests/browser || [ $$? -eq 5 ]

nbval: setup
ifeq ($(NOTEBOOKS),)
	@echo "nbval: SKIPPED, no notebooks in notebooks/ yet"
else
	$(PY) -m pytest --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)
endif

browser: setup
ifeq ($(wildcard $(CHROMIUM)),)
	@echo "browser smoke test: SKIPPED, $(CHROMIUM) not found (apt-get install chromium)"
else
	$(PY) -m pytest tests/browser
endif

# Re-execute every notebook and write its outputs back (commit the result).
notebooks: setup
	$(PY) tools/run_notebooks.py $(NOTEBOOKS)

setup: $(STAMP) graphviz

# Re-install only when pyproject.toml is newer than the stamp (or the venv is new).
$(STAMP): pyproject.toml
	tools/setup.sh venv $(VENV)
	@touch $@

graphviz:
	@tools/setup.sh graphviz
