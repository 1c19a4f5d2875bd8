"""Benchmark: the web app under `campaign-kit serve` (gunicorn, a worker process per core,
each reading requests in its event loop before a thread takes them), against the CLI's own
cost of a letter measured in the same run.

Run by hand: .venv/bin/python bench/bench_serve.py [--workers 2] [--seconds 20]
The machine may be shared: the load average is printed at the start, between scenarios and
at the end; compare ratios within one run.
For a letter PDF (POST /letter/download) and the email form (POST /letter/preview: the page
with the letter's email form in the copy box and the mailto: link), with 1, 4 and
16 concurrent clients (threads in this process, each with its own cookie and form token,
each request a different member), it prints latency p50/p95, requests a second, and the
memory of each worker (RSS, and PSS: its fair share of pages shared with the others). Peers
in the same run:
  A. the library in one warm process: Engine.produce of a letter's PDF (the floor a
     worker can reach per request; ideal throughput is cores / this);
  B. `campaign-kit letter` as a member at a terminal runs it: a new process per letter.
Every run is bounded in time and count and talks only to 127.0.0.1. The clients share the
machine's cores with the server, as they would not in production: figures are pessimistic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEAT = "E14001499"  # Southampton Itchen
STORY = ("Our SENCO has waited nine months for an educational psychologist, and three "
         "pupils are still waiting for their plans.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "campaign_kit", "serve", "--port", str(port), "--workers",
             str(workers), "--rate-limit", "100000"], stdout=out, stderr=subprocess.STDOUT,
            cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if log.read_text(errors="replace").count("Booting worker") >= workers:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    time.sleep(2)  # let every worker finish its warm-up letter
                    return process, port
            except OSError:
                pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"the server did not start: {log.read_text()}")


class Client:
    """One browser: a cookie, a form token, one connection per request (the server closes
    each connection after its answer)."""

    def __init__(self, port: int):
        self.port = port
        reply, body = self.request("GET", "/")
        self.cookie = reply.getheader("Set-Cookie").split(";")[0]
        self.token = re.search(rb'name="token" value="([0-9a-f]{64})"', body).group(1).decode()

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"token": self.token, **form}, doseq=True)
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "Cookie": self.cookie}
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        data = reply.read()
        connection.close()
        return reply, data


def member(n: int) -> dict:
    return {"seat": SEAT, "name": f"Member {n:05d}", "address": f"{n} High Street, Southampton",
            "role": "headteacher", "school": "Itchen Primary School", "story": STORY,
            "ask": ["long-term-funding", "fair-funding"]}


def load(port: int, path: str, extra: dict, clients: int, seconds: float,
         most: int) -> dict:
    """`clients` threads sending requests back to back for `seconds` (at most `most`)."""
    people = [Client(port) for _ in range(clients)]
    latencies: list[float] = []
    failures = []
    counter = iter(range(most))
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(client: Client) -> None:
        while time.monotonic() < stop_at:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            reply, data = client.request("POST", path, {**member(n), **extra})
            took = time.perf_counter() - started
            with lock:
                if reply.status == 200:
                    latencies.append(took)
                else:
                    failures.append(reply.status)

    threads = [threading.Thread(target=run, args=(c,)) for c in people]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "failed": len(failures), "wall": wall,
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else
            float("nan"), "rps": len(latencies) / wall}


def worker_memory(master: int) -> list[tuple[int, float, float]]:
    """(pid, RSS MiB, PSS MiB) of each worker process of the gunicorn master."""
    out = []
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        status = Path(f"/proc/{pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = int(re.search(r"Pss:\s+(\d+)", rollup).group(1)) / 1024
        out.append((int(pid), rss, pss))
    return out


def library_letter(count: int) -> float:
    """Seconds per letter PDF in one warm process: Engine.produce of the PDF alone."""
    from campaign_kit.engine.engine import Engine
    from campaign_kit.engine.requests import Request
    from campaign_kit.engine.rules import member as make_member

    kit = Engine.load()
    seat = kit.places.constituency(SEAT)

    def one(n: int) -> None:
        m = member(n)
        person = make_member(m["name"], m["address"], m["role"], m["school"], STORY)
        kit.produce("letter", Request(dt.date.today(), seat=seat, member=person,
                                      ask_ids=m["ask"]), ["pdf"])

    one(0)  # warm: WeasyPrint, fonts, stylesheets
    started = time.perf_counter()
    for n in range(1, count + 1):
        one(n)
    return (time.perf_counter() - started) / count


def cli_letter(count: int) -> float:
    """Seconds per `campaign-kit letter --format pdf` run, process start included."""
    cli = Path(sys.executable).with_name("campaign-kit")
    with tempfile.TemporaryDirectory() as out:
        story = Path(out) / "story.txt"
        story.write_text(STORY, encoding="utf-8")
        started = time.perf_counter()
        for n in range(count):
            subprocess.run([str(cli), "letter", "--constituency", SEAT, "--name",
                            f"Member {n}", "--address", "1 High Street, Southampton",
                            "--story", str(story), "--format", "pdf", "--out", out,
                            "--force"], check=True, capture_output=True)
        return (time.perf_counter() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seconds", type=float, default=20.0, help="per scenario")
    parser.add_argument("--clients", default="1,4,16")
    args = parser.parse_args()
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {len(os.sched_getaffinity(0))} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start, {args.workers} workers")

    library = library_letter(30)
    cli = cli_letter(3)
    with tempfile.TemporaryDirectory() as tmp:
        process, port = start_server(args.workers, Path(tmp) / "server.log")
        try:
            idle = worker_memory(process.pid)
            rows = []
            for label, path, extra in (("letter PDF", "/letter/download", {"format": "pdf"}),
                                       ("email form", "/letter/preview", {})):
                for clients in (int(c) for c in args.clients.split(",")):
                    result = load(port, path, extra, clients, args.seconds, most=2000)
                    rows.append((label, clients, result))
                    print(f"  {label:10} {clients:>2} clients: {result['n']:4} requests, "
                          f"p50 {result['p50'] * 1000:6.0f} ms, p95 "
                          f"{result['p95'] * 1000:6.0f} ms, {result['rps']:5.1f}/s"
                          + (f", {result['failed']} failed" if result["failed"] else "")
                          + f" (load {os.getloadavg()[0]:.1f})", flush=True)
            busy = worker_memory(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
    # again after the load, as the machine's other work may have changed meanwhile
    library = statistics.mean((library, library_letter(30)))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")

    print("\n| requests | clients | p50 | p95 | requests/s |\n|---|---|---|---|---|")
    for label, clients, r in rows:
        print(f"| {label} | {clients} | {r['p50'] * 1000:.0f} ms | {r['p95'] * 1000:.0f} ms | "
              f"{r['rps']:.1f} |")
    for name in ("letter PDF", "email form"):
        by = {c: r for label, c, r in rows if label == name}
        if 1 in by and max(by) > 1:
            most = max(by)
            print(f"{name}: {by[most]['rps']:.1f} requests/s at {most} clients against "
                  f"{by[1]['rps']:.1f}/s at 1 client = {by[most]['rps'] / by[1]['rps']:.2f}x "
                  f"with {args.workers} workers")
    pdf_one = next(r for label, c, r in rows if label == "letter PDF" and c == 1)
    pdf_best = max(r["rps"] for label, c, r in rows if label == "letter PDF")
    print(f"\nSame run, peers: the library in one warm process {library * 1000:.0f} ms a letter "
          f"PDF ({1 / library:.1f}/s; mean of before and after the load); "
          f"`campaign-kit letter` {cli:.2f} s a letter (a new process each time).")
    print(f"Server, one client: p50 {pdf_one['p50'] * 1000:.0f} ms = "
          f"{pdf_one['p50'] / library:.2f}x the library's own time (HTTP, form checks, "
          f"context); {cli / pdf_one['p50']:.1f}x faster than the CLI run for one letter.")
    print(f"Server, busiest: {pdf_best:.1f} letter PDFs/s = {pdf_best * library:.2f} of one "
          f"core's library rate x {args.workers} workers' ideal of {args.workers}.")
    for when, memory in (("after start (warm)", idle), ("after the load", busy)):
        print(f"Workers {when}: " + ", ".join(f"RSS {rss:.0f} MiB (PSS {pss:.0f} MiB)"
                                              for _, rss, pss in memory))


if __name__ == "__main__":
    main()
