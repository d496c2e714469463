"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 that checks every signature with the
`standardwebhooks` library, as a creator's own receiver would, and can be taken down and brought back on its port."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook


@dataclass
class Received:
    webhook_id: str
    body: str
    payload: dict
    verified: bool


@dataclass
class Receiver:
    port: int = 0
    secret: str = ""  # set once the endpoint is added; every delivery is verified with it
    answer: int = 200
    delay_seconds: float = 0.0
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["content-length"])).decode()
                receiver.take(dict(self.headers.items()), body)
                time.sleep(receiver.delay_seconds)
                self.send_response(receiver.answer)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Down: connections to the port are refused until `start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def take(self, headers: dict[str, str], body: str) -> None:
        lowered = {name.lower(): value for name, value in headers.items()}
        try:
            Webhook(self.secret).verify(body, lowered)
            verified = True
        except Exception:  # noqa: BLE001 - any refusal is a bad signature; the test asserts on it
            verified = False
        self.received.append(Received(lowered.get("webhook-id", ""), body, json.loads(body), verified))

    def ids(self) -> list[str]:
        return [item.webhook_id for item in self.received]

    def types(self) -> list[str]:
        return [item.payload["type"] for item in self.received]
