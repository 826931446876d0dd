# Every target sets itself up from a fresh clone: .venv/, torch (CPU, pinned) first, then the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0
EVAL_SET ?= ../shared/eval/dev.jsonl

.PHONY: run test eval bench faults load index lint clean help servers

help:
	@echo "make run    build what is missing, then chat in the terminal (Slack if tokens are set: see README)"
	@echo "make test   run every test"
	@echo "make eval   dev-set metrics (EVAL_SET=$(EVAL_SET))"
	@echo "make bench  latency, cold start, index build time, peak memory"
	@echo "make faults the Slack service under faults: kill -9, retries, drops, 429s, junk"
	@echo "make load   two replicas on Redis under 10 events/s for 60 s, one killed at 30 s (LOAD_ARGS=--help)"
	@echo "make lint   ruff"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: anything else would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

index: $(STAMP)
	$(BIN)/programme-bot index

run: $(STAMP)
	$(BIN)/programme-bot run

# Real Redis and PostgreSQL for the tests (Debian's packages); a no-op once they are installed.
servers:
	@tools/install-test-servers

test: $(STAMP) servers
	$(BIN)/ruff check bot tests
	$(BIN)/hadolint Dockerfile
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/programme-bot eval --set $(EVAL_SET)

bench: $(STAMP)
	$(BIN)/programme-bot bench --set $(EVAL_SET)

faults: $(STAMP)
	$(BIN)/python tests/slack/fault_figures.py

# Bounded loopback load test; e.g. LOAD_ARGS="--replicas 1 --kill-at 0" for one process on SQLite.
load: $(STAMP) servers
	$(BIN)/python tests/slack/load_figures.py $(LOAD_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/hadolint Dockerfile

clean:
	rm -rf $(VENV) index/current index/build-* index/.build-*
