"""Benchmark: the bundled Great Britain postcode index against a plain dict (run by hand).

Needs the public files (../shared/data, or CAMPAIGN_KIT_SHARED). Measures in one run:
  - build: time and peak RSS of building the index from Code-Point Open + the ward
    mapping (a child process), against building a plain {postcode: seats} dict from the
    same files (another child process), with the dict's memory;
  - size: the index's blobs and the whole store on disk, and both inside the wheel
    (`pip wheel . --no-deps`);
  - latency over N random real postcodes (default 100,000), in-process, p50 and p99:
      cold  = each lookup with the decoded-district cache emptied (one SQLite read, inflate,
              decode); the very first lookup of a fresh process is shown too;
      warm  = the same postcodes again with the cache kept;
      dict  = the plain dict held in memory (the peer);
    each through the raw index (CodePointIndex.find) and through Places.resolve (what
    `lookup` calls: normalising, the ONSPD samples first, then the index, then a Match).

Usage: .venv/bin/python bench/bench_lookup.py [--lookups 100000] [--no-wheel]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("CAMPAIGN_KIT_SHARED", ROOT.parent / "shared")) / "data"

CHILD_INDEX = """
import csv, json, resource, sys, time
from pathlib import Path
from campaign_kit.localdata.names import normalise_name
from campaign_kit.localdata.postcodes import build_index
D = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
seats = {normalise_name(r["pcon_name"]): r["pcon_code"]
         for r in csv.DictReader(open(D / "mp_lookup_dfe.csv", encoding="utf-8-sig"))}
start = time.perf_counter()
built = build_index(D / "codepo_2023", D / "ward_to_constituencies_mapping_12v.csv", seats,
                    lambda m: None)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "before_kb": before,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "postcodes": built.postcodes,
                  "blob_bytes": sum(len(b) for _, b in built.districts)}))
"""

CHILD_DICT = """
import csv, json, resource, sys, time
from pathlib import Path
from campaign_kit.localdata.names import normalise_name
D = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
seats = {normalise_name(r["pcon_name"]): r["pcon_code"]
         for r in csv.DictReader(open(D / "mp_lookup_dfe.csv", encoding="utf-8-sig"))}
start = time.perf_counter()
wards = {}
for r in csv.DictReader(open(D / "ward_to_constituencies_mapping_12v.csv",
                             encoding="utf-8-sig")):
    wards[r["wardId"]] = tuple(seats[normalise_name(r[f"constituency{i}"])]
                               for i in range(1, 5) if r[f"constituency{i}"])
table = {}
for path in sorted((D / "codepo_2023" / "csv").glob("*.csv")):
    for cells in csv.reader(open(path, encoding="utf-8", newline="")):
        if cells[9] in wards:
            table[cells[0]] = wards[cells[9]]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "before_kb": before,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "postcodes": len(table)}))
"""


def child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(SHARED)], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def percentiles(ns: list[int]) -> tuple[float, float]:
    ordered = sorted(ns)
    return (ordered[len(ordered) // 2] / 1000,
            ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000)


def timed(call, items, before=None) -> list[int]:
    clock = time.perf_counter_ns
    out = []
    for item in items:
        if before:
            before()
        start = clock()
        call(item)
        out.append(clock() - start)
    return out


def wheel_sizes() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "-w", tmp, "--no-deps",
                        "-q"], cwd=ROOT, check=True, capture_output=True)
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as z:
            store = next(i for i in z.infolist() if i.filename.endswith("places.sqlite"))
            return {"wheel": wheel.stat().st_size, "store_in_wheel": store.compress_size,
                    "store": store.file_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=100_000)
    parser.add_argument("--no-wheel", action="store_true")
    args = parser.parse_args()
    if not (SHARED / "codepo_2023").is_dir():
        sys.exit(f"the public files are not at {SHARED}")

    from campaign_kit.localdata.lookup import Places
    from campaign_kit.localdata.store import BUNDLED_STORE

    print(f"Build (child processes, {SHARED}):")
    index = child(CHILD_INDEX)
    peer = child(CHILD_DICT)
    for label, r in (("index", index), ("dict ", peer)):
        print(f"  {label}: {r['seconds']:.1f} s for {r['postcodes']:,} postcodes, peak RSS "
              f"{r['peak_kb'] / 1024:.0f} MiB (interpreter and imports before: "
              f"{r['before_kb'] / 1024:.0f} MiB)")
    print(f"  ratio index/dict build time: {index['seconds'] / peer['seconds']:.2f}x; "
          f"dict memory {(peer['peak_kb'] - peer['before_kb']) / 1024:.0f} MiB vs index "
          f"blobs {index['blob_bytes'] / 1e6:.2f} MB")

    print("\nSize:")
    print(f"  index blobs {index['blob_bytes'] / 1e6:.2f} MB; store on disk "
          f"{BUNDLED_STORE.stat().st_size / 1e6:.2f} MB (with MPs, figures, portraits)")
    if not args.no_wheel:
        w = wheel_sizes()
        print(f"  wheel {w['wheel'] / 1e6:.2f} MB; the store inside it "
              f"{w['store_in_wheel'] / 1e6:.2f} MB compressed ({w['store'] / 1e6:.2f} MB)")

    # the same random real postcodes for everyone
    started = time.perf_counter()
    places = Places()
    first = places.resolve("SW1A 1AA")
    first_ms = (time.perf_counter() - started) * 1000
    assert first.unique
    index_ = places.codepoint
    rnd = random.Random(2026)
    outwards = [o for (o,) in places.db.execute("SELECT outward FROM cpo_districts")]
    pool = []
    for outward in rnd.sample(outwards, 400):
        pool += list(index_.iter_postcodes(outward))
    postcodes = [rnd.choice(pool) for _ in range(args.lookups)]
    table = {}  # the peer: a plain dict of the same answers, held in memory
    for pc in set(postcodes):
        hit = index_.find(pc)
        table[pc] = hit.answer.seats if hit else ()

    print(f"\nLatency over {args.lookups:,} random postcodes (from {len(pool):,} in 400 "
          f"random districts), in-process; first lookup of a fresh process (open the store, "
          f"read the answers table, one district): {first_ms:.1f} ms")
    clear = index_.district.cache_clear
    rows = [
        ("dict (peer)", timed(table.__getitem__, postcodes)),
        ("index, cold", timed(index_.find, postcodes, clear)),
        ("index, warm", timed(index_.find, postcodes)),
        ("resolve, cold", timed(places.resolve, postcodes, clear)),
        ("resolve, warm", timed(places.resolve, postcodes)),
    ]
    base = percentiles(rows[0][1])
    for label, ns in rows:
        p50, p99 = percentiles(ns)
        print(f"  {label:14} p50 {p50:8.2f} us  p99 {p99:8.2f} us   "
              f"({p50 / base[0]:.0f}x / {p99 / base[1]:.0f}x the dict)")


if __name__ == "__main__":
    main()
