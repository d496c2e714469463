"""The webhook client refuses private targets (server-side request forgery): as typed, after DNS, at the moment of
connecting, and on redirects; it posts to a real local server when the setting allows, within its deadline."""

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from resolution_app.infra import webhook_http
from resolution_app.infra.webhook_http import TargetRefused, check_target, post_json

REAL_GETADDRINFO = socket.getaddrinfo


class Server:
    """A local HTTP server whose answer each test sets: a status, a redirect, a delay."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status, self.location, self.delay = 200, "", 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                server.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                time.sleep(server.delay)
                self.send_response(server.status)
                if server.location:
                    self.send_header("location", server.location)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hooks"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.http.shutdown()
    running.http.server_close()


def resolving(monkeypatch, answers: dict[str, list[str]]) -> None:
    """Names resolve as `answers` say (the rest as usual): no test here reaches a real name server."""

    def fake(host: str, port: int, *args: object, **kwargs: object) -> list:
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(webhook_http.socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "https://127.0.0.1/",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/",
        "https://192.168.1.1/",
        "https://100.64.0.1/",
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://localhost/",
        "https://internal.example/",  # resolves to a private address
        "https://mixed.example/",  # one public address, one private: refused
        "ftp://example.com/",
        "https://user:pw@example.com/",
        "https:///no-host",
        "not a url",
        "https://example.com:99999/",
    ],
)
def test_private_and_malformed_targets_are_refused(monkeypatch, url):
    resolving(monkeypatch, {"internal.example": ["10.1.2.3"], "mixed.example": ["93.184.215.14", "192.168.0.7"]})
    with pytest.raises(TargetRefused) as refused:
        check_target(url, allow_private=False)
    assert refused.value.message


def test_public_targets_are_accepted(monkeypatch):
    resolving(monkeypatch, {"hooks.example": ["93.184.215.14"]})
    assert check_target("https://93.184.215.14/hook", allow_private=False) == "https://93.184.215.14/hook"
    assert check_target("https://hooks.example/in", allow_private=False) == "https://hooks.example/in"
    with pytest.raises(TargetRefused, match="https"):
        check_target("http://hooks.example/in", allow_private=False)


def test_a_name_that_is_not_found_is_refused(monkeypatch):
    def missing(*args: object, **kwargs: object) -> list:
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(webhook_http.socket, "getaddrinfo", missing)
    with pytest.raises(TargetRefused, match="could not be found"):
        check_target("https://nowhere.example/", allow_private=False)


def test_with_the_setting_on_it_posts_to_a_local_server(server):
    result = post_json(server.url, '{"a":1}', {"webhook-id": "msg_1"}, allow_private=True)
    assert (result.status_code, result.ok, result.error) == (200, True, None) and result.latency_ms >= 0
    ((headers, body),) = server.requests
    assert body == b'{"a":1}' and headers["webhook-id"] == "msg_1" and headers["content-type"] == "application/json"


def test_with_the_setting_off_the_local_server_gets_nothing(server):
    result = post_json(server.url, "{}", {}, allow_private=False)
    assert not result.ok and result.status_code is None and "https" in result.error
    https_url = server.url.replace("http://", "https://")
    result = post_json(https_url, "{}", {}, allow_private=False)
    assert not result.ok and "private" in result.error
    assert server.requests == []


def test_a_name_rebound_to_a_private_address_after_the_check_is_refused_at_connect(monkeypatch, server):
    port = server.url.split(":")[2].split("/")[0]
    resolving(monkeypatch, {"rebind.example": ["93.184.215.14"]})
    assert check_target(f"https://rebind.example:{port}/hooks", allow_private=False)
    resolving(monkeypatch, {"rebind.example": ["127.0.0.1"]})  # what the attacker's name server says next
    result = post_json(f"https://rebind.example:{port}/hooks", "{}", {}, allow_private=False)
    assert not result.ok and "private" in result.error and server.requests == []


def test_a_redirect_to_a_private_address_is_refused(monkeypatch, server):
    """The first hop is let through by taking the test server's address as public; the redirect is not."""
    monkeypatch.setattr(webhook_http, "_is_public", lambda address: str(address) == "127.0.0.1")
    monkeypatch.setattr(webhook_http, "_checked_url", lambda url, allow: _http_allowed(url))
    server.status, server.location = 307, "http://169.254.169.254/latest/meta-data"
    result = post_json(server.url, "{}", {}, allow_private=False)
    assert not result.ok and "169.254.169.254" in result.error and len(server.requests) == 1


def _http_allowed(url: str) -> tuple[str, str, int]:
    """_checked_url without the https rule, so the plain-http test server can stand for a public one."""
    parts = webhook_http.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or 80


def test_a_307_is_followed_with_the_body_and_other_redirects_are_the_answer(server):
    second = Server()
    try:
        server.status, server.location = 307, second.url
        assert post_json(server.url, '{"b":2}', {}, allow_private=True).status_code == 200
        assert second.requests[0][1] == b'{"b":2}'
        server.status = 302
        result = post_json(server.url, "{}", {}, allow_private=True)
        assert (result.status_code, result.ok) == (302, False) and len(second.requests) == 1
    finally:
        second.http.shutdown()
        second.http.server_close()


def test_a_receiver_that_answers_500_or_too_slowly_is_a_failure_within_the_deadline(server):
    server.status = 500
    result = post_json(server.url, "{}", {}, allow_private=True)
    assert (result.status_code, result.ok) == (500, False) and "500" in result.error
    server.status, server.delay = 200, 3
    started = time.monotonic()
    result = post_json(server.url, "{}", {}, allow_private=True, timeout_seconds=1)
    assert not result.ok and "1 s" in result.error and time.monotonic() - started < 2


def test_a_closed_port_is_a_failure_not_an_exception():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = post_json(f"http://127.0.0.1:{port}/", "{}", {}, allow_private=True)
    assert not result.ok and result.status_code is None and result.error
