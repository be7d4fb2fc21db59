# Set-up and everyday commands.  Every target builds the project's own virtual environment first.
# torch is pinned to the CPU build served here (an unpinned torch pulls a 5 GB CUDA build);
# a GPU user may install another torch into .venv before running make.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv engines demo test test-fast tables bench-generate clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[torch,test,serve,dask]'
	touch $(STAMP)

# FriCAS and Maxima carry most real-world answers: installed with apt where this user may (root,
# or password-less sudo); elsewhere the one command to run is printed and the engines are skipped.
engines:
	@if command -v fricas >/dev/null && command -v maxima >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  echo "installing fricas and maxima (apt-get)..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fricas maxima >/dev/null) \
	    || echo "could not install fricas and maxima: symseq runs without them (symseq engines)"; \
	elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then \
	  echo "installing fricas and maxima (sudo apt-get)..."; \
	  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fricas maxima >/dev/null) \
	    || echo "could not install fricas and maxima: symseq runs without them (symseq engines)"; \
	else \
	  echo "FriCAS and Maxima are not installed: symseq runs without them, and solves fewer problems."; \
	  echo "Install them with: sudo apt-get install fricas maxima   (then: symseq engines)"; \
	fi

# The main job: integrate (the shipped model raced against SymPy, every answer verified; an
# easy problem is proved by SymPy before the model loads), then the model alone.
demo: venv engines
	$(VENV)/bin/symseq engines
	$(VENV)/bin/symseq integrate "x*cos(x)" --candidates
	$(VENV)/bin/symseq integrate "cos(x)*exp(sin(x))" --mode model --candidates --beam 3

test: venv
	$(PY) -m pytest -q

test-fast: venv
	$(PY) -m pytest -q -m "not slow"

# The README's and docs/benchmarks.md's results table, from the result files in benchmarks/results/
tables: venv
	$(PY) -m symseq.bench.tables

bench-generate: venv
	$(PY) experiments/data/generate.py

clean:
	rm -rf $(VENV) data .pytest_cache .hypothesis
