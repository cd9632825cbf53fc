# Two commands on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: install demo test acceptance bench clean

install: $(STAMP)

# Idempotent: re-runs only when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch on this machine's disk; must come before anything that wants torch.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(VENV)/bin/chokepoint demo

test: install
	$(VENV)/bin/pytest -q

acceptance: install
	$(VENV)/bin/pytest -q -m acceptance tests/acceptance

bench: install
	$(PY) bench/crawl.py
	$(PY) bench/classify.py

clean:
	rm -rf $(VENV) data build *.egg-info
