"""Running the web app for the whole union: settings from the environment, a Host allow-list
(DNS rebinding), the client's address and scheme behind one reverse proxy, 413 for too many
fields, rate limits and form tokens that hold across workers and copies through a shared
store (a real redis-server), and a server that slow or many clients cannot stall.

The live tests start `campaign-kit serve` and redis-server on loopback only, with bounded
loops, and stop them."""

from __future__ import annotations

import re
import socket
import statistics
import threading
import time
from pathlib import Path

import pytest

flask = pytest.importorskip("flask", reason="the web extra is not installed")

from campaign_kit.web.app import create_app  # noqa: E402
from campaign_kit.web.server import default_hosts  # noqa: E402
from campaign_kit.web.settings import Settings  # noqa: E402

from .servers import REDIS, Browser, Redis, Serve, get  # noqa: E402

needs_redis = pytest.mark.skipif(not Path(REDIS).is_file(), reason=(
    "redis-server is not installed (Debian package redis-server; scripts/setup.sh --dev "
    "installs it)"))
PREVIEW = {"seat": "E14001063", "name": "Jo Bloggs", "address": "1 High Street, Aldershot",
           "story": "Our SENCO waits nine months.", "ask": ["fair-funding"]}


def client_for(**settings):
    app = create_app(Settings(secret=b"w" * 32, **{"renders_per_minute": 1e6,
                                                   "pages_per_minute": 1e6, **settings}))
    return app.test_client()


def token_of(response) -> str:
    found = re.search(r'name="token" value="([0-9a-f]{64})"', response.get_data(as_text=True))
    return found.group(1) if found else ""


# -- in the test client ---------------------------------------------------------------------
def test_every_setting_comes_from_the_environment():
    env = {"CAMPAIGN_KIT_SECRET": "x" * 40, "CAMPAIGN_KIT_RATE_LIMIT": "7",
           "CAMPAIGN_KIT_PAGE_LIMIT": "70", "CAMPAIGN_KIT_PROXIES": "1",
           "CAMPAIGN_KIT_STORAGE_URL": "memory://",
           "CAMPAIGN_KIT_ALLOWED_HOSTS": "Letters.Example.org, 10.0.0.5:8000",
           "CAMPAIGN_KIT_CAMPAIGN": "send-reform"}
    settings = Settings.from_env(env)
    assert settings.secret == b"x" * 40 and settings.renders_per_minute == 7
    assert settings.pages_per_minute == 70 and settings.proxies == 1
    assert settings.allowed_hosts == ("letters.example.org", "10.0.0.5:8000")
    assert settings.campaign_id == "send-reform" and not settings.shared_store
    assert Settings.from_env({}, secret=b"y" * 32).allowed_hosts == ()


def test_a_request_for_another_host_name_is_refused_with_nothing_of_the_page():
    client = client_for(allowed_hosts=("localhost", "localhost:8000"))
    refused = client.get("/", headers={"Host": "rebound.example:8000"})
    assert refused.status_code == 400 and refused.data == b""
    assert "Set-Cookie" not in refused.headers
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.post("/letter/place", headers={"Host": "evil.example"}).status_code == 400
    # a load balancer checks each copy by its own address: /healthz answers any name
    assert client.get("/healthz", headers={"Host": "10.0.0.7:8000"}).data == b"ok\n"


def test_the_default_hosts_are_the_bound_address_and_localhost():
    hosts = default_hosts("127.0.0.1", 8000)
    assert {"127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:8000"} <= set(hosts)
    assert "evil.example" not in hosts


def test_250_form_fields_are_too_much_not_an_expired_form():
    client = client_for()
    token = token_of(client.get("/"))
    response = client.post("/letter/place", data={
        "token": token, "q": "Aldershot", **{f"f{n}": "x" for n in range(250)}})
    assert response.status_code == 413
    assert "What you sent is too long" in response.get_data(as_text=True)
    fine = client.post("/letter/place", data={"token": token, "q": "Aldershot"})
    assert fine.status_code == 200


def test_behind_one_proxy_the_client_address_and_scheme_are_the_forwarded_ones():
    client = client_for(proxies=1, renders_per_minute=2)
    token = token_of(client.get("/"))

    def place(address: str, scheme: str = "https"):
        return client.post("/letter/place", data={"token": token, "q": "Aldershot"},
                           headers={"X-Forwarded-For": address, "X-Forwarded-Proto": scheme})

    first = [place("203.0.113.7").status_code for _ in range(3)]
    assert first == [200, 200, 429]  # counted for the forwarded client
    assert place("203.0.113.8").status_code == 200  # another client is not held back
    secure = place("203.0.113.9")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in place("203.0.113.10", "http").headers


def test_health_is_never_rate_limited():
    client = client_for(pages_per_minute=2)
    assert [client.get("/healthz").status_code for _ in range(6)] == [200] * 6
    assert [client.get("/officials").status_code for _ in range(3)][-1] == 429


# -- real servers, a real shared store -------------------------------------------------------
@pytest.mark.slow
def test_the_running_server_refuses_a_rebound_host(tmp_path):
    server = Serve(tmp_path, workers=1)
    try:
        status, headers, body = get(server.port, "/", {"Host": "attacker.example"})
        assert status == 400 and body == b""
        assert get(server.port, "/", {"Host": f"localhost:{server.port}"})[0] == 200
    finally:
        server.stop()


def places(copies: list[Serve], count: int, address: str = "") -> list[int]:
    """`count` documents asked for by one client, taking turns between the copies (as a load
    balancer would), each with that copy's own form page."""
    visitors = [Browser(copy.port, address) for copy in copies]
    return [visitors[n % len(visitors)].post("/letter/place", {"q": "Aldershot"})[0]
            for n in range(count)]


@pytest.mark.slow
@needs_redis
def test_the_rate_limit_holds_in_total_across_copies_with_a_shared_store(tmp_path):
    store = Redis(tmp_path / "redis")
    copies = []
    try:
        copies = [Serve(tmp_path / f"copy{n}", "--rate-limit", "6", "--storage-url", store.url,
                        workers=1) for n in range(2)]
        codes = places(copies, 16)
        assert codes.count(200) == 6 and codes.count(429) == 10, codes
        assert set(codes[:6]) == {200}
    finally:
        for copy in copies:
            copy.stop()
        store.stop()


@pytest.mark.slow
def test_without_a_shared_store_each_copy_counts_on_its_own(tmp_path):
    """What the shared store is for: two copies counting alone allow twice the limit."""
    copies = []
    try:
        copies = [Serve(tmp_path / f"copy{n}", "--rate-limit", "6", workers=1,
                        env={"CAMPAIGN_KIT_SECRET": "s" * 40}) for n in range(2)]
        assert places(copies, 16).count(200) == 12
    finally:
        for copy in copies:
            copy.stop()


@pytest.mark.slow
@needs_redis
def test_a_form_from_one_copy_is_taken_by_another_through_the_shared_store(tmp_path):
    store = Redis(tmp_path / "redis")
    copies = []
    try:
        copies = [Serve(tmp_path / f"copy{n}", "--storage-url", store.url, workers=1)
                  for n in range(2)]
        visitor = Browser(copies[0].port)
        other = Browser(copies[1].port)
        other.cookie = visitor.cookie  # the same browser, sent to the other copy
        status, body = other.post("/letter/place", {"q": "Aldershot"}, token=visitor.token)
        assert status == 200 and b"Your letter to" in body
        assert "form secret from the shared store" in copies[0].log.read_text()
    finally:
        for copy in copies:
            copy.stop()
        store.stop()


# -- slow and many clients ----------------------------------------------------------------
def trickle(port: int, connections: int, seconds: float, stats: dict) -> None:
    """`connections` sockets sending a request's headers a byte a second, reconnecting when
    the server cuts one off, for `seconds` (bounded: loopback, a fixed time)."""
    start = (f"POST /letter/preview HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nX-Slow: ").encode()
    socks: list[socket.socket | None] = [None] * connections
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        for n in range(connections):
            try:
                if socks[n] is None:
                    socks[n] = socket.create_connection(("127.0.0.1", port), timeout=2)
                    socks[n].sendall(start)
                    stats["opened"] += 1
                else:
                    socks[n].sendall(b"a")
            except OSError:
                if socks[n] is not None:
                    socks[n].close()
                socks[n] = None
                stats["cut off"] += 1
        time.sleep(1)
    for sock in socks:
        if sock is not None:
            sock.close()


@pytest.mark.slow
def test_fifty_trickling_clients_do_not_stall_the_server(tmp_path):
    server = Serve(tmp_path, "--rate-limit", "100000", workers=2)
    stats = {"opened": 0, "cut off": 0}
    attack = threading.Thread(target=trickle, args=(server.port, 50, 60, stats))
    try:
        visitor = Browser(server.port)
        attack.start()
        time.sleep(3)  # every trickler connected
        health, previews = [], []
        while attack.is_alive():
            started = time.monotonic()
            assert get(server.port, "/healthz", timeout=10)[0] == 200
            health.append(time.monotonic() - started)
            started = time.monotonic()
            assert visitor.post("/letter/preview", PREVIEW, timeout=10)[0] == 200
            previews.append(time.monotonic() - started)
            time.sleep(0.5)
        attack.join()
        print(f"\n50 tricklers for 60 s ({stats['opened']} connections opened, "
              f"{stats['cut off']} cut off): /healthz worst {max(health) * 1000:.0f} ms, "
              f"letter preview worst {max(previews) * 1000:.0f} ms, median "
              f"{statistics.median(previews) * 1000:.0f} ms over {len(previews)} tries")
        assert len(previews) >= 20
        assert max(health) < 2 and max(previews) < 2
        assert stats["cut off"] >= 50  # each was cut off after READ_TIMEOUT, not served
    finally:
        attack.join(timeout=70)
        server.stop()


@pytest.mark.slow
def test_fifty_clients_at_once_for_a_minute_get_no_server_error(tmp_path):
    server = Serve(tmp_path, "--rate-limit", "100000", workers=2)
    codes: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + 60

    def visit(n: int) -> None:
        visitor = Browser(server.port)
        while time.monotonic() < stop_at:
            started = time.monotonic()
            status, _ = visitor.post("/letter/preview", {**PREVIEW, "name": f"Member {n}"},
                                     timeout=120)
            with lock:
                codes.append(status)
                latencies.append(time.monotonic() - started)

    try:
        threads = [threading.Thread(target=visit, args=(n,)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=200)
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"\n50 clients for 60 s: {len(codes)} previews, "
              f"{sum(c >= 500 for c in codes)} 5xx, p50 "
              f"{statistics.median(latencies):.2f} s, p95 {p95:.2f} s")
        assert codes and all(c == 200 for c in codes)
    finally:
        server.stop()
