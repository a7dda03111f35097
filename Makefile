# Set-up and everyday commands. `make serve` and `make test` work on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

# Debian packages: Chromium for the browser tests, Pango for WeasyPrint (PDF), poppler for PDF checks.
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: setup system-deps serve build build-properdocs pdf test benchmark clean

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

# The same manual built by ProperDocs, the maintained MkDocs 1.x fork (same mkdocs.yml, same plugins).
build-properdocs: setup
	$(BIN)/properdocs build --strict -f mkdocs.yml

pdf: system-deps setup
	SOP_PDF=true $(BIN)/mkdocs build --strict

test: system-deps setup
	$(BIN)/python -m pytest

# Build time against plain Material, peak memory and the serve preview latency (BENCHMARK="2000 --repeats 1").
BENCHMARK ?= 1000 2000
benchmark: setup
	$(BIN)/python tests/benchmarks/build_speed.py $(BENCHMARK)

clean:
	rm -rf site $(VENV) node_modules tests/output
