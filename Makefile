# Crosslink: `make run` sets everything up and runs the demo; `make test` sets up and tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/demo
SEED ?= 7
SCALE ?= 5000

.PHONY: run test setup system lint typecheck pytest bench clean

$(BIN)/crosslink: pyproject.toml uv.lock
	$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet 'uv>=0.5'
	$(PYTHON) -m uv sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

system:
	@bash scripts/system-deps.sh

# This environment sets PYTHONDONTWRITEBYTECODE, so nothing is cached on import: compile the
# dependencies at install (--compile-bytecode) and our sources here, or every process (CLI,
# import workers) compiles them again.
setup: system $(BIN)/crosslink
	@$(BIN)/python -m compileall -q src >/dev/null

# The demo world, generated, loaded and resolved, then served with one account per role
# (printed on the console, with the demo password: CROSSLINK_DEMO=true).
run: export CROSSLINK_DEMO = true
run: setup
	$(BIN)/crosslink --data-dir $(DATA) demo generate --seed $(SEED) --scale $(SCALE) --out $(DATA)/world
	$(BIN)/crosslink --data-dir $(DATA) demo load $(DATA)/world
	$(BIN)/crosslink --data-dir $(DATA) batches
	$(BIN)/crosslink --data-dir $(DATA) resolve --rule sole-namesake --rule shared-ties --rule shared-associates \
		--rule strict-dates --rule names-need-support
	$(BIN)/crosslink --data-dir $(DATA) serve

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy src tests benchmarks

pytest: setup
	$(BIN)/pytest -n 2 --dist loadfile

test: lint typecheck pytest

bench: setup
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache data
