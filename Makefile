# Every target sets itself up from a fresh clone: .venv/, torch (CPU, pinned) first, then the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH := torch==2.13.0
EVAL_SET ?= ../shared/eval/dev.jsonl

.PHONY: run test eval bench faults index lint clean help servers

help:
	@echo "make run    build what is missing, then chat in the terminal (Slack if tokens are set: see README)"
	@echo "make test   run every test"
	@echo "make eval   dev-set metrics (EVAL_SET=$(EVAL_SET))"
	@echo "make bench  latency, cold start, index build time, peak memory"
	@echo "make faults the Slack service under faults: kill -9, retries, drops, 429s, junk"
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

lint: $(STAMP)
	$(BIN)/ruff check bot tests
	$(BIN)/hadolint Dockerfile

clean:
	rm -rf $(VENV) index/current index/build-* index/.build-*
