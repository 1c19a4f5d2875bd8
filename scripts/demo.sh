#!/usr/bin/env bash
# Sets up campaign-kit and produces a demo kit in output/ from the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
CK=.venv/bin/campaign-kit
$CK lookup "Aldershot"
