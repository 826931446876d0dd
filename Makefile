# Every target sets itself up from a fresh clone: .venv/, torch (CPU, pinned) first, then the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0
EVAL_SET ?= tests/eval/dev.jsonl

# The container: ../shared/tools/container-env readies a Docker engine, a python:3.11-slim
# stand-in and a local torch index on machines without Docker Hub; it is idempotent.
IMAGE ?= programme-bot:local
CONTAINER_ENV ?= $(firstword $(wildcard ../shared/tools/container-env /work/shared/tools/container-env))
CONTAINER_ENV_DIR ?= $(or $(TMPDIR),/tmp)/container-env

.PHONY: run test test-fast eval bench faults edge load index lint clean help servers map-tools maps image image-check

help:
	@echo "make run    build what is missing, then chat in the terminal (Slack if tokens are set: see README)"
	@echo "make test   run every test: lint, then the unit, fast, integration and eval tiers"
	@echo "make test-fast  the unit and fast tiers only: no model, no server, under a minute"
	@echo "make eval   dev-set metrics (EVAL_SET=$(EVAL_SET))"
	@echo "make bench  latency, cold start, index build time, peak memory"
	@echo "make faults the Slack service under faults: kill -9, retries, drops, 429s, junk"
	@echo "make edge   hostile input and hung or stopped stores against the Slack service"
	@echo "make load   two replicas on Redis under 10 events/s for 60 s, one killed at 30 s (LOAD_ARGS=--help)"
	@echo "make maps   redraw the programme maps in docs/ (programme-bot map)"
	@echo "make lint   ruff, hadolint, and the layer rules (import-linter)"
	@echo "make image  build the container image $(IMAGE) (needs root for Docker)"
	@echo "make image-check  build it, run it as non-root against the Slack stand-in, check an answer"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: anything else would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

index: $(STAMP)
	$(BIN)/programme-bot index

# The map is optional when chatting: without Graphviz a map request says what to install.
run: $(STAMP)
	-@tools/install-map-tools
	$(BIN)/programme-bot run

# Real Redis and PostgreSQL for the tests (Debian's packages); a no-op once they are installed.
servers: map-tools
	@tools/install-test-servers

# Graphviz's dot and a CJK font (Debian's packages) for the programme map; a no-op once there.
map-tools:
	@tools/install-map-tools

test: $(STAMP) servers lint
	$(BIN)/python -m pytest -q

# tests/unit and tests/fast: no model, no index of the real model, no Redis, PostgreSQL or Slack
# server (the map tests draw with Graphviz, a package, not a server).
test-fast: $(STAMP) map-tools
	$(BIN)/python -m pytest -q -n 2 --dist worksteal tests/unit tests/fast

eval: $(STAMP)
	$(BIN)/programme-bot eval --set $(EVAL_SET)

bench: $(STAMP) map-tools
	$(BIN)/programme-bot bench --set $(EVAL_SET)

maps: $(STAMP) map-tools
	$(BIN)/programme-bot map --out docs/programme-map.png
	$(BIN)/programme-bot map --lang zh --out docs/programme-map-zh.png
	$(BIN)/programme-bot map --subprogramme 3 --out docs/programme-map-sp3.png

faults: $(STAMP)
	$(BIN)/python tests/integration/slack/fault_figures.py

# The hostile catalogue of tests/integration/slack/test_edge.py, and Redis/PostgreSQL hung or stopped, with
# figures: cases tried and passed, 5xx, tracebacks, worst ack, recovery, clicks lost (~2 min).
edge: $(STAMP) servers
	$(BIN)/python tests/integration/slack/edge_figures.py $(EDGE_ARGS)

# Bounded loopback load test; e.g. LOAD_ARGS="--replicas 1 --kill-at 0" for one process on SQLite.
load: $(STAMP) servers
	$(BIN)/python tests/integration/slack/load_figures.py $(LOAD_ARGS)

# ruff, the Dockerfile, and the layer rules of pyproject.toml ([tool.importlinter]).
lint: $(STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/ruff format --check bot tests
	$(BIN)/hadolint Dockerfile
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) index/current index/build-* index/.build-*

# The build command container-env prints names the local torch index (none printed: the
# Dockerfile's default index). The index server it starts for this build is stopped afterwards
# (one that was already running is left alone). CONTAINER_ENV=true skips it where Docker works.
image:
	@test -n "$(CONTAINER_ENV)" || { echo "container-env not found: set CONTAINER_ENV=path/to/container-env" >&2; exit 1; }
	@pidfile="$(CONTAINER_ENV_DIR)/torch-index.pid"; \
	before=$$(cat "$$pidfile" 2>/dev/null); \
	out=$$(CONTAINER_ENV_DIR="$(CONTAINER_ENV_DIR)" $(CONTAINER_ENV)) || exit 1; \
	url=$$(printf '%s\n' "$$out" | sed -n 's/.*TORCH_INDEX_URL=\([^ ]*\).*/\1/p'); \
	docker build --network host $${url:+--build-arg TORCH_INDEX_URL="$$url"} -t $(IMAGE) .; rc=$$?; \
	after=$$(cat "$$pidfile" 2>/dev/null); \
	if [ -n "$$after" ] && [ "$$after" != "$$before" ]; then kill "$$after" 2>/dev/null; rm -f "$$pidfile"; fi; \
	exit $$rc
	@docker image inspect $(IMAGE) --format '$(IMAGE): {{.Size}} bytes' | awk '{printf "%s %.0f MB\n", $$1, $$2 / 1e6}'

image-check: image $(STAMP)
	$(BIN)/python tests/container/check_image.py $(IMAGE)
