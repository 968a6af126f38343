# fvkit: `make demo` sets everything up and runs the portal; `make test` runs every test.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
DB      := data/fvkit.duckdb
APT_PKG := chromium ffmpeg espeak-ng fonts-noto-color-emoji zbar-tools openjdk-17-jre-headless
PASSWORD ?= fortivoice

.PHONY: demo test setup system venv data serve lab bench clean

demo: setup data serve

setup: system venv

# Debian packages: Chromium for the browser tests, ffmpeg for MP3, espeak-ng for speech.
system:
	@missing=""; for p in $(APT_PKG); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"

# A seeded organisation (200 extensions) with the last 30 days of traffic.
data: venv
	@if [ ! -f $(DB) ]; then $(BIN)/fvkit simulate --db $(DB) --days 30 --study-trunk --password $(PASSWORD); fi

serve:
	$(BIN)/fvkit serve --db $(DB) --port 8501

# The notebooks in JupyterLab, on the project's environment (the analysts' ones read $(DB)).
lab: venv data
	$(BIN)/jupyter lab --notebook-dir=notebooks

# Spark (the [spark] extra) runs the reports' DuckDB-vs-Spark tests (marker `spark`).
test: setup
	$(BIN)/pip install -q -e ".[dev,spark]"
	$(BIN)/python -m pytest

bench: venv
	$(BIN)/python benchmarks/simulate.py

clean:
	rm -rf $(DB) $(DB).wal test-artifacts
