#!/usr/bin/env bash
# Sets up campaign-kit and produces a demo kit in output/demo/ from the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
CK=.venv/bin/campaign-kit
OUT=output/demo
$CK lookup "Aldershot"
$CK letter --constituency "Aldershot" --name "Jo Bloggs" \
  --address "1 High Street, Farnborough, GU14 6AA" --role "headteacher" \
  --school "Cove Junior School" --story examples/story.txt \
  --format pdf,docx,txt --out "$OUT" --force
echo "Demo kit written to $OUT/"
