# Set-up and everyday commands.  Every target builds the project's own virtual environment first.
# torch is pinned to the CPU build served here (an unpinned torch pulls a 5 GB CUDA build);
# a GPU user may install another torch into .venv before running make.

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv demo test test-fast bench-generate clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[torch,test,serve]'
	touch $(STAMP)

# The main job: integrate (the shipped model raced against SymPy, every answer verified; an
# easy problem is proved by SymPy before the model loads), then the model alone.
demo: venv
	$(VENV)/bin/symseq integrate "x*cos(x)" --candidates
	$(VENV)/bin/symseq integrate "cos(x)*exp(sin(x))" --mode model --candidates --beam 3

test: venv
	$(PY) -m pytest -q

test-fast: venv
	$(PY) -m pytest -q -m "not slow"

bench-generate: venv
	$(PY) benchmarks/generate.py

clean:
	rm -rf $(VENV) data .pytest_cache .hypothesis
