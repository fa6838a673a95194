# Two commands from nothing: `make run` starts the dashboard, `make test` runs the tests.
# Both create .venv, install the pinned requirements and the offline Leaflet assets first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# Only this machine by default; ADDRESS=0.0.0.0 serves the network (put a TLS proxy in front: README).
ADDRESS ?= 127.0.0.1
LEAFLET_VERSION := 1.9.4
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
VENDOR := static/vendor/leaflet/leaflet.js

.PHONY: run test test-fast store check bench screenshots clean-store

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

# Leaflet's JS/CSS come from npm's `leaflet` package at set-up and are served by Streamlit
# from /app/static; never from a CDN at run time, never committed.
$(VENDOR):
	mkdir -p build/npm static/vendor/leaflet
	npm install --silent --no-save --no-audit --no-fund --prefix build/npm leaflet@$(LEAFLET_VERSION)
	cp -r build/npm/node_modules/leaflet/dist/. static/vendor/leaflet/
	test -s $(VENDOR) && test -s static/vendor/leaflet/leaflet.css

store: $(STAMP)
	$(BIN)/python -m geodata build

check: $(STAMP)
	$(BIN)/python -m geodata check --json

# Every country offered in the sidebar is built before the server starts, so no visitor waits
# for a country's first build (about 5 s for Guatemala).
COUNTRIES := slv gtm hnd

# Server processes: one per core, at most 4 (`auto`); each runs its sessions' scripts on one core,
# and dashboard/balancer.py keeps every browser on one of them. WORKERS=1: one plain server.
WORKERS ?= auto

run: $(STAMP) $(VENDOR)
	for c in $(COUNTRIES); do $(BIN)/python -m geodata build --quiet --country $$c || exit 1; done
	$(BIN)/python -m dashboard.serve --workers $(WORKERS) --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

test: $(STAMP) $(VENDOR)
	$(BIN)/python -m pytest

# everything but the browser tests (marker `browser`, tests/browser): the quick loop while developing
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

bench: $(STAMP) $(VENDOR)
	$(BIN)/python -m benchmarks

screenshots: $(STAMP) $(VENDOR)
	$(BIN)/python -m tests.browser.screenshots --out screenshots

clean-store:
	rm -f data/riskmap.sqlite
