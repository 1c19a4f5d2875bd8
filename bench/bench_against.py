"""Benchmark: this tree against an earlier commit of campaign-kit, in the same run.

Run by hand, with an earlier commit checked out beside this one (no venv of its own needed:
it runs with this venv, its own code first on PYTHONPATH):

    git worktree add --detach ../before <commit>
    .venv/bin/python bench/bench_against.py --before ../before [--letters 200] [--rounds 3]
                                                                [--kits all|REGION|none]

For each tree, alternately (before, after, before, after ...) so drift in the machine's load
falls on both: `campaign-kit letters` on the same members' CSV (PDF and DOCX, one process:
--jobs 1), timing CPU seconds per letter (user + system of the command and its children) and
wall seconds; then, once each, `campaign-kit kit --all` (or one region) with the default
workers, timing wall seconds. Prints each figure with the load average beside it and the
ratio after/before (below 1: faster now).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(tree: Path, args: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of `campaign-kit ARGS` run from `tree`'s code."""
    env = {**os.environ, "PYTHONPATH": str(tree), "CAMPAIGN_KIT_HOME": tempfile.mkdtemp()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "campaign_kit", *args], cwd=tree, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{tree}: campaign-kit {' '.join(args)} failed:\n{proc.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def members_csv(count: int, folder: Path) -> Path:
    from campaign_kit.authoring.samples import excel_csv, member_rows
    from campaign_kit.localdata.lookup import Places

    path = folder / "members.csv"
    path.write_bytes(excel_csv(member_rows(Places(), count)))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kits", default="all", help="all, a region's name, or none")
    opts = parser.parse_args()
    trees = {"before": opts.before.resolve(), "after": ROOT}
    work = Path(tempfile.mkdtemp(prefix="bench-against-"))
    members = members_csv(opts.letters, work)
    cpu: dict[str, list[float]] = {k: [] for k in trees}
    print(f"{opts.letters} letters (PDF + DOCX, --jobs 1), {opts.rounds} rounds; "
          f"before = {trees['before']}")
    for n in range(opts.rounds):
        for name, tree in trees.items():
            out = work / f"letters-{name}-{n}"
            seconds, wall = run(tree, ["letters", str(members), "--format", "pdf,docx",
                                       "--jobs", "1", "--out", str(out)])
            cpu[name].append(seconds / opts.letters)
            print(f"  round {n + 1} {name:6}: {1000 * seconds / opts.letters:6.1f} ms CPU a "
                  f"letter, {wall:6.1f} s wall   (load {load()})")
            shutil.rmtree(out, ignore_errors=True)
    best = {k: min(v) for k, v in cpu.items()}
    print(f"CPU a letter, best of {opts.rounds}: before {1000 * best['before']:.1f} ms, after "
          f"{1000 * best['after']:.1f} ms: after/before {best['after'] / best['before']:.2f}x "
          f"(medians {statistics.median(cpu['after']) / statistics.median(cpu['before']):.2f}x)")
    if opts.kits != "none":
        scope = ["--all"] if opts.kits == "all" else ["--region", opts.kits]
        walls = {}
        for name, tree in trees.items():
            out = work / f"kits-{name}"
            _, walls[name] = run(tree, ["kit", *scope, "--out", str(out), "--date",
                                        "2027-03-10", "--time", "16:00"])
            files = sum(1 for p in out.rglob("*") if p.is_file())
            print(f"  kit {' '.join(scope)} {name:6}: {walls[name]:7.1f} s wall, {files:,} "
                  f"files   (load {load()})")
            shutil.rmtree(out, ignore_errors=True)
        print(f"kit {' '.join(scope)} wall: after/before {walls['after'] / walls['before']:.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
