#!/usr/bin/env bash
# Sets up everything the tests need (apt packages, LibreOffice, poppler, venv) and runs
# the whole suite plus ruff. Tests that read ../shared/ skip with a reason when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
