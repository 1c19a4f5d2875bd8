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
  --host-role "Regional official" --host-email sam.patel@example.org \
  --host-phone "0114 496 0000" --out "$OUT" --force
# Kits for several seats, each with its own event (index.csv and index.pdf list them)
$CK kit --events examples/events.csv --out "$OUT/kits"
$CK deck --council "Hampshire" --out "$OUT" --force
$CK deck --constituency "Ynys Môn" --out "$OUT" --force
$CK letters examples/members.csv --out "$OUT/letters" --print-pdf "$OUT/letters-print.pdf" \
  --date "$(date +%F)" --force
# The web app for members and officials: started here for a moment to show it serves its
# first page; run it yourself with `campaign-kit serve` and open the address it prints.
PORT=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
$CK serve --port "$PORT" --workers 1 > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
.venv/bin/python - "$PORT" <<'PY'
import re, sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/"
for _ in range(120):
    try:
        page = urllib.request.urlopen(url, timeout=2).read().decode()
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit(f"campaign-kit serve did not answer at {url}")
print(f"campaign-kit serve: {url} answers '{re.search(r'<title>(.*?)</title>', page)[1]}'")
PY
kill "$SERVER"
wait "$SERVER" || true
echo "Demo kit written to $OUT/"
echo "Write letters in a browser: $CK serve   (then open http://127.0.0.1:8000/)"
