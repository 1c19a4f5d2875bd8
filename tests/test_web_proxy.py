"""The README's reverse proxy configuration, run: Debian's nginx (when installed; it is not
part of scripts/setup.sh, whose packages must not start a system service) in front of
`campaign-kit serve --proxies 1`, on loopback ports. Pages pass through; the client the app
counts is the one nginx saw, whatever X-Forwarded-For the client sent."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from .servers import Browser, Serve, free_port, get

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not shutil.which("nginx") and not __import__("os").path.exists(NGINX),
    reason="nginx is not installed (Debian package nginx)")]

CONFIG = """
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port};
        client_header_timeout 10s;
        client_body_timeout 10s;
        client_max_body_size 100k;
        location / {{
            proxy_pass http://127.0.0.1:{app};
            proxy_set_header Host $http_host;  # the README has $host: port 443 is implied
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering on;
            proxy_request_buffering on;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


@pytest.mark.slow
def test_the_readme_proxy_configuration(tmp_path):
    port = free_port()
    app = Serve(tmp_path / "app", "--proxies", "1", "--rate-limit", "2", "--allowed-host",
                f"127.0.0.1:{port}", workers=1)
    root = tmp_path / "nginx"
    root.mkdir()
    (root / "nginx.conf").write_text(CONFIG.format(root=root, port=port, app=app.port))
    proxy = subprocess.Popen([NGINX, "-p", str(root), "-c", str(root / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert get(app.port, "/")[0] == 400  # straight to the app: not the public name
        visitor = Browser(port)
        assert visitor.token
        codes = []
        for spoofed in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
            visitor.headers = {"X-Forwarded-For": spoofed}
            codes.append(visitor.post("/letter/place", {"q": "Aldershot"})[0])
        assert codes == [200, 200, 429]  # one client, as nginx saw it
    finally:
        proxy.terminate()
        proxy.wait(10)
        app.stop()
