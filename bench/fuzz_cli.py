"""The long fuzz run by hand: every input surface by the ten thousand, counting what must be
zero.

Run: .venv/bin/python bench/fuzz_cli.py [--cases 20000] [--workers 2] [--seed 1] [--no-web]
     [--only data,schema]

Surfaces: the command line's letter, roundtable and deck; members' CSV batches; template and
content overrides (tests/fuzzcases.py); files and zip archives given to `data update`;
content files changed against their schema (datasets.yaml, evidence.yaml, brand.yaml ...);
and the web app through a real `campaign-kit serve` on loopback, with its rate limits and
form secret in a real redis-server (the shared store), every form posted, the email form
(the letter's preview) among them (tests/webcases.py).

A loopback canary: each worker runs an HTTP server on 127.0.0.1 whose URL is in the fuzzed
templates, brand and content files, stories, CSV cells and form fields; any connection it
receives is a fetch made by a document or the server (there must be none).

Prints, per surface and in all: cases, ok, clear errors, unexpected (by the module that
raised them), HTTP 5xx, files written outside --out (for the web: in the server's folder
or temporary folder), fetches; with good batch rows checked and not written. An unexpected
case's command line (or form) and output are printed after the table, to reproduce it.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEIGHTS = {"letter": 0.2, "roundtable": 0.1, "deck": 0.06, "letters": 0.1, "templates": 0.14,
           "content": 0.1, "data": 0.08, "schema": 0.08, "web": 0.14}
COLUMNS = ("cases", "ok", "error", "unexpected", "5xx", "outside", "fetches")
HEADINGS = ("cases", "ok", "clear errors", "unexpected", "5xx", "outside --out", "fetches")
MAX_EXAMPLES = 40


class Canary(http.server.ThreadingHTTPServer):
    """An HTTP server on loopback counting every connection, by the surface being fuzzed
    when it came."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), CanaryHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/canary"
        self.surface = ""
        self.fetches: Counter = Counter()
        self.seen: list[str] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def verify_request(self, request, client_address) -> bool:
        self.fetches[self.surface] += 1
        return True

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class CanaryHandler(http.server.BaseHTTPRequestHandler):
    def answer(self) -> None:
        if len(self.server.seen) < 20:
            self.server.seen.append(f"{self.server.surface}: {self.command} {self.path}")
        body = b"canary"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = answer

    def log_message(self, *args) -> None:
        pass


def settings_for(n: int, seed: int):
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis import seed as hypothesis_seed

    def decorate(test):
        return hypothesis_seed(seed)(settings(
            max_examples=n, deadline=None, database=None, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck))(test))
    return decorate


def example_of(surface: str, case, outcome) -> dict:
    return {"surface": surface, "args": case.args, "stdin": getattr(case, "stdin", None),
            "files": {k: v[:300].decode("utf-8", "replace")
                      for k, v in getattr(case, "files", {}).items()},
            "origin": getattr(outcome, "origin", ""),
            "outside": getattr(outcome, "outside", []),
            "missing": getattr(outcome, "missing_rows", []),
            "status": getattr(outcome, "status", None), "output": outcome.output[-600:]}


def run_surface(surface: str, n: int, seed: int, work: Path, tally: Counter,
                examples: list[dict]) -> None:
    from hypothesis import given

    from tests.fuzzcases import SURFACES, run_case

    @settings_for(n, seed)
    @given(SURFACES[surface]())
    def run(case):
        try:
            outcome = run_case(case, work / "case")
        except Exception as exc:  # the harness itself: count it, keep going
            tally["harness error"] += 1
            if len(examples) < MAX_EXAMPLES:
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
                and len(examples) < MAX_EXAMPLES:
            examples.append(example_of(surface, case, outcome))

    run()


def run_web(n: int, seed: int, port: int, tally: Counter, examples: list[dict]) -> None:
    from hypothesis import given

    from tests.webcases import LiveVisitor, run_web_case, web_case

    visitor = LiveVisitor(port)

    @settings_for(n, seed)
    @given(web_case())
    def run(case):
        outcome = run_web_case(visitor, case)
        tally["cases"] += 1
        tally[outcome.kind] += 1
        tally[f"HTTP {outcome.status}"] += 1
        if outcome.kind in ("unexpected", "5xx") and len(examples) < MAX_EXAMPLES:
            examples.append(example_of("web", case, outcome))

    run()


def shard(job: tuple[int, int, int, int, tuple[str, ...]]) -> dict:
    """One worker's share of every surface, with its own canary and working folder."""
    worker, cases, seed, port, only = job
    chosen = {s: w for s, w in WEIGHTS.items() if s in only and (s != "web" or port)}
    scale = 1 / sum(chosen.values())
    canary = Canary()
    os.environ["CAMPAIGN_KIT_FUZZ_CANARY"] = canary.url  # read by tests/fuzzcases.py
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{worker}-"))
    counts: dict[str, Counter] = {}
    examples: list[dict] = []
    seconds: dict[str, float] = {}
    for surface, weight in chosen.items():
        canary.surface = surface
        tally = counts.setdefault(surface, Counter())
        started = time.perf_counter()
        n, case_seed = max(1, round(cases * weight * scale)), seed * 1000 + worker
        if surface == "web":
            run_web(n, case_seed, port, tally, examples)
        else:
            run_surface(surface, n, case_seed, work, tally, examples)
        time.sleep(0.5)  # a fetch still under way is counted for its own surface
        seconds[surface] = time.perf_counter() - started
        print(f"worker {worker}: {surface} done, {tally['cases']:,} cases in "
              f"{seconds[surface]:.0f} s", flush=True)
    canary.stop()
    shutil.rmtree(work, ignore_errors=True)
    for surface, fetched in canary.fetches.items():
        counts.setdefault(surface or "between surfaces", Counter())["fetches"] += fetched
    return {"counts": {k: dict(v) for k, v in counts.items()}, "examples": examples,
            "seconds": seconds, "fetched": canary.seen}


@contextlib.contextmanager
def web_server(enabled: bool, workers: int):
    """redis-server and `campaign-kit serve` (its limits and secret in that store) on
    loopback, in a folder of their own; yields (port, what they left behind: a callable)."""
    if not enabled:
        yield 0, lambda: ([], 0)
        return
    from tests.servers import Redis, Serve

    root = Path(tempfile.mkdtemp(prefix="fuzz-serve-"))
    tmp = root / "tmp"
    tmp.mkdir()
    store = Redis(root / "redis")
    server = None
    try:
        server = Serve(root / "serve", "--rate-limit", "100000", "--storage-url", store.url,
                       env={"CAMPAIGN_KIT_PAGE_LIMIT": "10000000", "TMPDIR": str(tmp)},
                       workers=workers)
        print(f"serve on 127.0.0.1:{server.port}, limits and secret in {store.url}",
              flush=True)

        def left_behind():
            files = [str(p.relative_to(root)) for folder in (root / "serve", tmp)
                     for p in folder.rglob("*") if p.is_file() and p != server.log]
            log = server.log.read_text("utf-8", "replace")
            return files, log.count("Traceback")
        yield server.port, left_behind
    finally:
        if server is not None:
            server.stop()
        store.stop()
        shutil.rmtree(root, ignore_errors=True)


def report(parts: list[dict], web_left: tuple[list[str], int]) -> Counter:
    total: dict[str, Counter] = {}
    seconds: Counter = Counter()
    for part in parts:
        seconds.update(part["seconds"])
        for surface, tally in part["counts"].items():
            total.setdefault(surface, Counter()).update(tally)
    if "web" in total:
        total["web"]["outside"] += len(web_left[0])
        total["web"]["server tracebacks"] += web_left[1]
    overall = Counter()
    print(f"{'surface':11s} " + " ".join(f"{h:>13s}" for h in HEADINGS) + "   cpu-s")
    for surface, tally in total.items():
        overall.update(tally)
        print(f"{surface:11s} " + " ".join(f"{tally[c]:13,d}" for c in COLUMNS)
              + f"   {seconds[surface]:6.0f}")
    print(f"{'ALL':11s} " + " ".join(f"{overall[c]:13,d}" for c in COLUMNS))
    for surface, tally in total.items():
        extra = {k: v for k, v in sorted(tally.items()) if k not in COLUMNS and v}
        if extra:
            print(f"  {surface}: " + ", ".join(f"{k} {v:,}" for k, v in extra.items()))
    return overall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serve-workers", type=int, default=1)
    parser.add_argument("--no-web", action="store_true", help="Leave out the web server.")
    parser.add_argument("--only", default=",".join(WEIGHTS), metavar="SURFACE,...",
                        help="Only these surfaces (the cases shared in the same proportions).")
    args = parser.parse_args()
    only = tuple(s.strip() for s in args.only.split(",") if s.strip() in WEIGHTS)
    web = not args.no_web and "web" in only
    started, load_before = time.perf_counter(), os.getloadavg()
    print(f"{' '.join(sys.argv)}; load average {load_before[0]:.2f}", flush=True)
    if "data" in only:
        from tests.fuzzcases import REAL_FILES, SHARED_DATA
        real = (SHARED_DATA / REAL_FILES[0]).is_file()
        print(f"data update: publishers' files from {SHARED_DATA}" if real else
              f"data update: no publishers' files at {SHARED_DATA} (set CAMPAIGN_KIT_SHARED): "
              "shaped and arbitrary files only", flush=True)
    with web_server(web, args.serve_workers) as (port, left_behind):
        jobs = [(w, args.cases // args.workers, args.seed, port, only)
                for w in range(args.workers)]
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            parts = pool.map(shard, jobs)
        web_left = left_behind()
    overall = report(parts, web_left)
    load = os.getloadavg()
    print(f"wall {time.perf_counter() - started:,.0f} s; load average {load[0]:.2f}, "
          f"{load[1]:.2f}, {load[2]:.2f} (1, 5, 15 min) at the end")
    for path in web_left[0][:20]:
        print(f"left by the server: {path}")
    for part in parts:
        for line in part["fetched"]:
            print(f"fetched: {line}")
        for example in part["examples"]:
            print(json.dumps(example, ensure_ascii=False))
    bad = sum(overall[k] for k in ("unexpected", "5xx", "outside", "fetches",
                                   "good rows not written", "harness error"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
