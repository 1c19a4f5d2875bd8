"""Benchmark: importing a full-size ONS Postcode Directory (run by hand).

Writes a synthetic ONSPD CSV in the Nov 2025 layout (53 columns, ~2.7M rows, over 1 GB,
all fields quoted like the real file) to bench/work/, then measures in the same run:
  - peer: a bare csv.reader pass over the file (the floor for any Python CSV importer);
  - campaign-kit data import-postcodes on the same file;
and prints time, rows/s, peak RSS (of each child process) and the ratio to the peer.

Usage: .venv/bin/python bench/bench_postcodes.py [--rows 2700000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
HEADER = ("pcd7,pcd8,pcds,dointr,doterm,usrtypind,east1m,north1m,gridind,oa21cd,cty25cd,"
          "ced25cd,lad25cd,wd25cd,nhser24cd,ctry25cd,rgn25cd,pcon24cd,ttwa15cd,itl25cd,"
          "npark16cd,lsoa21cd,msoa21cd,wz11cd,sicbl24cd,bua24cd,buasd11cd,ruc21ind,oac11ind,"
          "lat,long,lep21cd1,lep21cd2,pfa23cd,imd20ind,calncv,icb23cd,oa11cd,lsoa11cd,"
          "msoa11cd,ttwa11cd,itl21cd,bua11cd,ward11cd,par24cd,lau124cd,cty23cd,ced23cd,"
          "wd24cd,oa01cd,lsoa01cd,msoa01cd,hlth19cd")


def synthesise(path: Path, rows: int) -> None:
    rnd = random.Random(2025)
    letters = "ABCDEFGHJKLMNOPRSTUWYZ"
    ncols = len(HEADER.split(","))
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for i in range(rows):
            area = letters[i % 22] + letters[(i // 22) % 22]
            district, sector, unit = (i // 484) % 99 + 1, (i // 47916) % 10, i % 400
            inward = f"{sector}{letters[unit % 20]}{letters[(unit // 20) % 20]}"
            pcds = f"{area}{district} {inward}"
            seat = f"E1400{1063 + rnd.randrange(543):04d}"
            cells = [pcds.replace(" ", "").ljust(7), pcds.ljust(8), pcds, "198001",
                     "" if rnd.random() > 0.2 else "202001", "0", "451234", "154321", "1",
                     "E00000001", "E10000014", "E58000001", "E07000092", "E05000001",
                     "E40000005", "E92000001", "E12000008", seat]
            cells += [f"E0{rnd.randrange(10**7):07d}" for _ in range(ncols - len(cells))]
            out.write(",".join(f'"{c}"' for c in cells) + "\r\n")


def child(code: str) -> tuple[float, int]:
    """Run code in a fresh Python; return (seconds, that process's own peak RSS in MiB)."""
    code += "\nimport resource\nprint('RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    seconds = time.perf_counter() - start
    rss_kib = int(next(ln for ln in out.splitlines() if ln.startswith("RSS")).split()[1])
    return seconds, rss_kib // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_700_000)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    csv_path = WORK / f"onspd_synthetic_{args.rows}.csv"
    if not csv_path.exists():
        t = time.perf_counter()
        partial = csv_path.with_suffix(".part")
        synthesise(partial, args.rows)
        partial.rename(csv_path)
        print(f"synthesised {csv_path.name}: {csv_path.stat().st_size / 2**20:,.0f} MiB "
              f"in {time.perf_counter() - t:.0f} s")
    size = csv_path.stat().st_size / 2**20
    peer_code = (f"import csv\nn=0\nfor r in csv.reader(open({str(csv_path)!r}, "
                 "encoding='utf-8-sig', newline='')): n+=1\nprint('peer rows', n)")
    ours_code = ("from pathlib import Path\nfrom campaign_kit.localdata.store import "
                 f"import_postcodes\nprint('imported', import_postcodes(Path({str(csv_path)!r}),"
                 f" Path({str(WORK / 'postcodes.sqlite')!r})))")
    peer_s, peer_rss = child(peer_code)
    ours_s, ours_rss = child(ours_code)
    index = WORK / "postcodes.sqlite"
    print(f"file: {size:,.0f} MiB, {args.rows:,} rows")
    print(f"peer (bare csv.reader pass): {peer_s:6.1f} s  {args.rows / peer_s:>9,.0f} rows/s  "
          f"peak RSS {peer_rss} MiB")
    print(f"campaign-kit import:         {ours_s:6.1f} s  {args.rows / ours_s:>9,.0f} rows/s  "
          f"peak RSS {ours_rss} MiB  index {index.stat().st_size / 2**20:,.0f} MiB")
    print(f"ratio import / bare read: {ours_s / peer_s:.2f}x")


if __name__ == "__main__":
    main()
