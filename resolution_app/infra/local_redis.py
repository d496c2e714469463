"""A redis-server of our own on a free port, for `make run-scaled` and the tests that need Redis. Bound to 127.0.0.1,
nothing saved to disk (tab states are rebuilt by reconnecting tabs). No redis-server: a loud failure naming the
package."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 10


class LocalRedisError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_redis(folder: Path, port: int | None = None) -> Iterator[str]:
    """A server on `port` (a free one by default) until the block ends."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise LocalRedisError("redis-server not found: `make run-scaled` and `make test` install its Debian package.")
    port = port or _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise LocalRedisError(f"redis-server did not start on port {port}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
