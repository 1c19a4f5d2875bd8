"""A gunicorn worker that slow clients cannot stall: gunicorn's threaded worker (gthread),
with each request read in full by the worker's event loop before a thread is given it.

gunicorn's own threaded worker hands a connection to a thread as soon as its first bytes
arrive, and the thread then waits for the rest of the request head, with no time limit:
a client that sends its headers a byte at a time holds that thread for as long as it likes,
and as many such clients as there are threads stop the server. Here the event loop reads
what each connection has sent without waiting (a selector, as a buffering proxy such as
nginx does), keeps at most MAX_HEAD + the body's declared length per connection, and gives
the request to a thread only once it has all of it: a thread never waits on a client. A
connection that has not sent its whole request within READ_TIMEOUT seconds is closed, and a
worker holds at most `worker_connections` connections (the rest wait in the kernel's
backlog). Answers are written with a time limit too (WRITE_TIMEOUT), so a client that will
not read cannot hold a thread either.

Keep-alive is off (each answer closes its connection): a kept-alive connection would go back
to gunicorn's own thread-side reading.
"""

from __future__ import annotations

import re
import selectors
import time
from collections import deque
from functools import partial

from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import TConn, ThreadWorker

READ_TIMEOUT = 10.0  # seconds to send a whole request (head and body)
WRITE_TIMEOUT = 30.0  # seconds to take a whole answer
MAX_HEAD = 64 * 1024  # bytes of request line and headers (gunicorn's own limits are lower)
MAX_BODY = 128 * 1024  # bytes of body read ahead; the app refuses more than 100 kB (413)
CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r]*chunked", re.IGNORECASE)
LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d{1,12})[ \t]*\r\n", re.IGNORECASE)


def wanted(data: bytes) -> int | None:
    """How many bytes make the whole request that starts with `data` (as far as this worker
    reads ahead), or None while its head is still incomplete."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None if len(data) < MAX_HEAD else len(data)
    head = data[:end + 2]
    if CHUNKED.search(head):  # a body of chunks: read ahead to its last, empty chunk
        done = data.endswith(b"\r\n0\r\n\r\n") or len(data) >= end + 4 + MAX_BODY
        return len(data) if done else None
    found = LENGTH.search(head)
    body = int(found.group(1)) if found else 0
    return end + 4 + min(body, MAX_BODY)


class BufferingThreadWorker(ThreadWorker):
    """gthread, with requests read by the event loop (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading: deque[tuple[float, TConn]] = deque()

    def accept(self, listener):
        try:
            client, address = listener.accept()
        except BlockingIOError:
            return
        except OSError:
            return
        self.nr_conns += 1
        client.setblocking(False)
        conn = TConn(self.cfg, client, address, listener.getsockname())
        conn.buffered = bytearray()
        conn.deadline = time.monotonic() + READ_TIMEOUT
        self.reading.append((conn.deadline, conn))
        self.poller.register(client, selectors.EVENT_READ, partial(self.read_some, conn))

    def read_some(self, conn: TConn, client) -> None:
        """What the client has sent so far; the request goes to a thread once complete."""
        try:
            data = client.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.drop(conn)
            return
        conn.buffered += data
        need = wanted(bytes(conn.buffered[:MAX_HEAD + 4]))
        if need is not None and len(conn.buffered) >= need:
            self.poller.unregister(client)
            conn.deadline = None
            conn.data_ready = True
            self.enqueue_req(conn)

    def drop(self, conn: TConn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        conn.deadline = None
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Close connections that have not sent a whole request in time; then gunicorn's."""
        now = time.monotonic()
        while self.reading and (self.reading[0][1].deadline is None or
                                self.reading[0][0] <= now):
            _, conn = self.reading.popleft()
            if conn.deadline is not None:
                self.drop(conn)
        super().murder_pending()

    def handle(self, conn: TConn):
        """In a thread: the request is all in memory, and the parser reads it from there;
        the answer is written with a time limit. One request per connection."""
        buffered = getattr(conn, "buffered", None)
        if buffered is None or conn.initialized:
            return super().handle(conn)  # not one of ours (never, with keep-alive off)
        conn.sock.setblocking(True)
        conn.init()
        conn.parser.unreader.unread(bytes(buffered))
        conn.buffered = None
        conn.sock.settimeout(WRITE_TIMEOUT)
        request = None
        try:
            request = next(conn.parser)
            if request:
                self.handle_request(request, conn)
        except (NoMoreData, StopIteration, OSError):
            pass  # the client went away, or would not take the answer in time
        except Exception as exc:
            self.handle_error(request, conn.sock, conn.client, exc)
        return False
