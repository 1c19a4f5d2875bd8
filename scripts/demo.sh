#!/usr/bin/env bash
# Sets up campaign-kit and produces a demo kit in output/demo/ from the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
CK=.venv/bin/campaign-kit
OUT=output/demo
$CK lookup "GU14 6AA"
$CK letter --constituency "Aldershot" --name "Jo Bloggs" \
  --address "1 High Street, Farnborough, GU14 6AA" --role "headteacher" \
  --school "Cove Junior School" --story examples/story.txt \
  --format pdf,docx,txt --out "$OUT" --force
$CK roundtable --constituency "Sheffield Central" --date 2027-02-10 --time 16:00 \
  --venue "Springfield Primary School, Sheffield" --host-name "Sam Patel" \
  --host-role "Regional official" --out "$OUT" --force
$CK deck --council "Hampshire" --out "$OUT" --force
$CK deck --constituency "Ynys Môn" --out "$OUT" --force
$CK letters examples/members.csv --out "$OUT/letters" --print-pdf "$OUT/letters-print.pdf" \
  --date "$(date +%F)" --force
echo "Demo kit written to $OUT/"
