# The two entry points a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= thongke.duckdb

.PHONY: demo test install clean bench score

$(BIN)/thongke: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/thongke

demo: install
	$(BIN)/thongke ingest corpus/samples --db $(DB)

test: install
	$(BIN)/python -m pytest

# Throughput against word_tokenize alone; BENCH_ARGS="--articles 500" for a quick run.
bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Extraction scores on every hand-annotated set (../shared's when it is beside the repository).
score: install
	$(BIN)/python benchmarks/score.py $(SCORE_ARGS)

clean:
	rm -rf $(VENV) $(DB) *.egg-info .pytest_cache .hypothesis
