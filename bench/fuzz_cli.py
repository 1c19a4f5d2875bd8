"""The long fuzz run by hand: tests/fuzzcases.py's cases over every input surface, by the
ten thousand, counting what must be zero.

Run: .venv/bin/python bench/fuzz_cli.py [--cases 10000] [--workers 2] [--seed 1]
Prints, per surface and in all: cases, ok, clear errors, unexpected errors (by the module
that raised them), files written outside --out, good batch rows checked and not written.
Cases are split across worker processes, each with its own Hypothesis seed; an unexpected
case's command line and output are printed so it can be reproduced.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEIGHTS = {"letter": 0.3, "roundtable": 0.12, "deck": 0.08, "letters": 0.15,
           "templates": 0.2, "content": 0.15}


def run_surface(surface: str, n: int, seed: int, work: Path, tally: Counter,
                examples: list[dict]) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed

    from tests.fuzzcases import SURFACES, run_case

    @hypothesis_seed(seed)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(SURFACES[surface]())
    def run(case):
        try:
            outcome = run_case(case, work / "case")
        except Exception as exc:  # the harness itself: count it, keep going
            tally["harness error"] += 1
            if len(examples) < 40:
                examples.append({"surface": surface, "args": case.args,
                                 "harness": f"{type(exc).__name__}: {exc}"})
            return
        tally["cases"] += 1
        tally[outcome.kind] += 1
        if outcome.kind == "unexpected":
            tally[f"unexpected in {outcome.origin or '?'}"] += 1
        tally["outside"] += len(outcome.outside)
        tally["good rows checked"] += outcome.good_rows
        tally["good rows not written"] += len(outcome.missing_rows)
        if (outcome.kind == "unexpected" or outcome.outside or outcome.missing_rows) \
                and len(examples) < 40:
            examples.append({"surface": surface, "args": case.args, "stdin": case.stdin,
                             "files": {k: v[:300].decode("utf-8", "replace")
                                       for k, v in case.files.items()},
                             "origin": outcome.origin, "outside": outcome.outside,
                             "missing": outcome.missing_rows,
                             "output": outcome.output[-600:]})

    run()


def shard(job: tuple[int, int, int]) -> dict:
    worker, cases, seed = job
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{worker}-"))
    counts: dict[str, Counter] = {}
    examples: list[dict] = []
    for surface, weight in WEIGHTS.items():
        run_surface(surface, max(1, round(cases * weight)), seed * 1000 + worker, work,
                    counts.setdefault(surface, Counter()), examples)
    return {"counts": {k: dict(v) for k, v in counts.items()}, "examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    jobs = [(w, args.cases // args.workers, args.seed) for w in range(args.workers)]
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        parts = pool.map(shard, jobs)
    total: dict[str, Counter] = {}
    for part in parts:
        for surface, tally in part["counts"].items():
            total.setdefault(surface, Counter()).update(tally)
    overall = Counter()
    for surface, tally in total.items():
        overall.update(tally)
        print(f"{surface:11s} " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    print(f"{'ALL':11s} " + ", ".join(f"{k} {v}" for k, v in sorted(overall.items())))
    print(f"{time.perf_counter() - started:.0f} s")
    for part in parts:
        for example in part["examples"]:
            print(json.dumps(example, ensure_ascii=False))


if __name__ == "__main__":
    main()
