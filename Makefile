# Two commands on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: install browser demo test faults acceptance bench clean

install: $(STAMP)

# Idempotent: re-runs only when the project's dependencies change.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch on this machine's disk; must come before anything that wants torch.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

# The browser tests drive Debian's Chromium (with a font for the Chinese on the pages); no browser is ever downloaded.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list 2>/dev/null | grep -qi wqy || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei; }

demo: install
	$(VENV)/bin/chokepoint demo

# Lint, the import rules (docs/architecture.md), then the suite.
test: install browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q

# Every spider against a server that misbehaves on purpose (tests/faults), on two workers.
faults: install
	$(VENV)/bin/pytest -q -n 2 -m faults tests/faults

acceptance: install
	$(VENV)/bin/pytest -q -m acceptance tests/acceptance

bench: install
	$(PY) bench/crawl.py
	$(PY) bench/classify.py
	$(PY) bench/screen.py
	$(PY) bench/list_spiders.py
	$(PY) bench/lists_b.py
	$(PY) bench/document_spiders.py

clean:
	rm -rf $(VENV) data build *.egg-info
