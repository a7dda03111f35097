# Set-up and everyday commands. `make serve` and `make test` work on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

# Debian packages: Chromium for the browser tests, Pango for WeasyPrint (PDF), poppler for PDF checks.
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: setup system-deps serve build pdf test benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python node_modules/mermaid/dist/mermaid.min.js
	$(BIN)/pip install --quiet -e ".[test]"

node_modules/mermaid/dist/mermaid.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

serve: setup
	$(BIN)/mkdocs serve

build: setup
	$(BIN)/mkdocs build --strict

pdf: system-deps setup
	SOP_PDF=true $(BIN)/mkdocs build --strict

test: system-deps setup
	$(BIN)/python -m pytest

benchmark: setup
	$(BIN)/python tests/benchmarks/page_size.py

clean:
	rm -rf site $(VENV) node_modules tests/output
