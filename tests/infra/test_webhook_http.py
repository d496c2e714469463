"""The webhook client refuses private targets (server-side request forgery): as typed, after DNS, at the moment of
connecting (DNS rebinding) and on redirects; it posts to real local servers when the setting allows, within one
deadline, reading little of an answer.

No test reaches a real name server or host: names resolve as each test says (numeric hosts as the OS parses them),
and 127.0.0.2 stands for a public address where a test needs one that answers. Its servers speak TLS with a
certificate for hooks.test / internal.test made with the openssl command line, which the client is told to trust.
"""

import contextlib
import ipaddress
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from resolution_app.infra import webhook_http
from resolution_app.infra.webhook_http import PostResult, TargetRefused, check_target, post_json

REAL_GETADDRINFO = socket.getaddrinfo
REAL_IS_PUBLIC = webhook_http._is_public
STAND_IN_PUBLIC = "127.0.0.2"  # answers on this machine, and the tests that need it call it public
INTERNAL = "127.0.0.1"
PUBLIC_ELSEWHERE = "93.184.215.14"  # public, never connected to: only check_target sees it


class Server:
    """A local HTTP(S) server that records every POST and answers as the test sets: a status, a redirect, a delay,
    headers dripped byte by byte, or a body without end."""

    def __init__(self, host: str = INTERNAL, port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.server_names: list[str | None] = []
        self.status, self.location, self.delay = 200, "", 0.0
        self.drip = False
        self.endless = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                time.sleep(server.delay)
                if server.drip:  # each byte well within a read timeout, the whole far beyond the deadline
                    for byte in b"HTTP/1.1 200 OK\r\nx-slow: " + b"a" * 40:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.1)
                    return
                self.send_response(server.status)
                if server.location:
                    self.send_header("location", server.location)
                if server.endless:
                    self.send_header("connection", "close")
                    self.end_headers()
                    while True:  # until the client hangs up
                        self.wfile.write(b"x" * 65536)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def handle(self) -> None:
                with contextlib.suppress(OSError):  # the client hung up: what several tests make it do
                    super().handle()

            def log_message(self, *args: object) -> None:
                pass

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.http = type("HTTPServer", (ThreadingHTTPServer,), {"address_family": family})((host, port), Handler)
        self.http.daemon_threads = True
        self.port = self.http.server_address[1]
        if tls is not None:
            tls.sni_callback = lambda connection, name, context: server.server_names.append(name)
            self.http.socket = tls.wrap_socket(self.http.socket, server_side=True)
        threading.Thread(target=self.http.serve_forever, args=(0.05,), daemon=True).start()  # quick to stop

    def url(self, host: str | None = None, path: str = "/hooks") -> str:
        scheme = "https" if isinstance(self.http.socket, ssl.SSLSocket) else "http"
        host = host or self.http.server_address[0]
        return f"{scheme}://{f'[{host}]' if ':' in host else host}:{self.port}{path}"

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def servers() -> Iterator[Callable[..., Server]]:
    """Start servers; all of them stop after the test."""
    started: list[Server] = []

    def start(host: str = INTERNAL, port: int = 0, tls: ssl.SSLContext | None = None) -> Server:
        started.append(Server(host, port, tls))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(servers) -> Server:
    return servers()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for hooks.test and internal.test: (cert, key)."""
    folder = tmp_path_factory.mktemp("webhook-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-days", "2", "-subj", "/CN=hooks.test", "-addext", "subjectAltName=DNS:hooks.test,DNS:internal.test"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls(certificate, monkeypatch) -> Callable[[], ssl.SSLContext]:
    """Server contexts for the test certificate, which the client now trusts (and nothing else)."""
    cert, key = certificate
    monkeypatch.setattr(webhook_http, "_tls_context", lambda: ssl.create_default_context(cafile=str(cert)))

    def server_context() -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        return context

    return server_context


@pytest.fixture
def stand_in_public(monkeypatch) -> None:
    """127.0.0.2 counts as public; every other rule stays."""
    stand_in = ipaddress.ip_address(STAND_IN_PUBLIC)
    monkeypatch.setattr(webhook_http, "_is_public", lambda address: address == stand_in or REAL_IS_PUBLIC(address))


def resolving(monkeypatch, answers: dict[str, list[str] | Callable[[], list[str]]]) -> list[str]:
    """Names resolve as `answers` say (a callable: anew at each lookup); numeric hosts as the OS parses them; any
    other name is not found. Returns the names looked up, in order."""
    looked_up: list[str] = []

    def fake(host: str, port: int, *args: object, **kwargs: object) -> list:
        looked_up.append(host)
        if host in answers:
            found = answers[host]
            addresses = found() if callable(found) else found
            return [
                (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                for address in addresses
            ]
        return REAL_GETADDRINFO(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)

    monkeypatch.setattr(webhook_http.socket, "getaddrinfo", fake)
    return looked_up


def connections_made(monkeypatch) -> list[tuple[str, int]]:
    """Every address a socket is connected to from here on."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        made.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return made


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/hook", "must use https"),
        ("http://example.com/hook", "must use https"),
        ("https://127.0.0.1/", "This address is private (127.0.0.1)"),
        ("https://169.254.169.254/latest/meta-data", "private (169.254.169.254)"),
        ("https://10.0.0.5", "private (10.0.0.5)"),
        ("https://172.16.0.1/", "private"),
        ("https://192.168.1.1/", "private"),
        ("https://100.64.0.1/", "private"),  # carrier-grade NAT
        ("https://0.0.0.0/", "private"),
        ("https://224.0.0.1/", "private"),  # multicast
        ("https://240.0.0.1/", "private"),  # reserved
        ("https://255.255.255.255/", "private"),
        ("https://2130706433/", "leads to a private address (127.0.0.1)"),  # 127.0.0.1 written as one number
        ("https://127.1/", "leads to a private address (127.0.0.1)"),
        ("https://0x7f.0.0.1/", "leads to a private address (127.0.0.1)"),
        ("https://[::1]/", "private (::1)"),
        ("https://[::]/", "private"),
        ("https://[::ffff:127.0.0.1]/", "private"),
        ("https://[::ffff:169.254.169.254]/", "private"),
        ("https://[fe80::1]/", "private"),
        ("https://[fc00::1]/", "private"),
        ("https://[fec0::1]/", "private"),  # site-local: is_global in Python 3.11
        ("https://[ff02::1]/", "private"),  # multicast: is_global in Python 3.11
        ("https://[64:ff9b::7f00:1]/", "private"),  # NAT64 of 127.0.0.1
        ("https://[64:ff9b::a9fe:a9fe]/", "private"),  # NAT64 of 169.254.169.254
        ("https://[64:ff9b:1::1]/", "private"),
        ("https://[2002:7f00:1::]/", "private"),  # 6to4 of 127.0.0.1
        ("https://localhost/", "localhost leads to a private address"),
        ("https://internal.example/", "internal.example leads to a private address (10.1.2.3)"),
        ("https://mixed.example/", "private address (192.168.0.7)"),  # one public answer, one private
        ("https://nowhere.example/", "could not be found"),
        ("ftp://example.com/", "http(s) URL"),
        ("javascript:alert(1)", "http(s) URL"),
        ("not a url", "http(s) URL"),
        ("https:///no-host", "http(s) URL"),
        ("https://user:pw@example.com/", "user name or password"),
        ("https://user@example.com/", "user name or password"),
        ("https://example.com:99999/", "99999 is not a port"),
        ("https://exa mple.com/", "not a valid host name"),
        ("https://example.com/a\x00b", "not a valid URL"),
        ("https://example.com/" + "a" * 2000, "at most 2000 characters"),
    ],
)
def test_targets_as_typed_are_refused_with_the_reason(monkeypatch, url, reason):
    resolving(
        monkeypatch,
        {
            "example.com": [PUBLIC_ELSEWHERE],
            "localhost": ["127.0.0.1", "::1"],
            "internal.example": ["10.1.2.3"],
            "mixed.example": [PUBLIC_ELSEWHERE, "192.168.0.7"],
        },
    )
    with pytest.raises(TargetRefused) as refused:
        check_target(url, allow_private=False)
    assert reason in refused.value.message and refused.value.message == str(refused.value)


def test_public_targets_are_accepted_and_normalised(monkeypatch):
    resolving(
        monkeypatch,
        {
            "hooks.example": [PUBLIC_ELSEWHERE, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
            "xn--bcher-kva.example": ["1.1.1.1"],
        },
    )
    assert check_target("https://93.184.215.14/hook", allow_private=False) == "https://93.184.215.14/hook"
    assert check_target("https://[2606:4700:4700::1111]/in", allow_private=False) == "https://[2606:4700:4700::1111]/in"
    assert check_target("https://hooks.example/in?x=1", allow_private=False) == "https://hooks.example/in?x=1"
    assert check_target(" HTTPS://Hooks.Example:443/In#top ", allow_private=False) == "https://hooks.example/In"
    assert check_target("https://bücher.example/", allow_private=False) == "https://xn--bcher-kva.example/"
    for reaching_a_public_ipv4 in ("[::ffff:93.184.215.14]", "[64:ff9b::808:808]", "[2002:5db8:d70e::1]"):
        url = f"https://{reaching_a_public_ipv4}/"
        assert check_target(url, allow_private=False) == url


def test_with_the_setting_on_http_and_private_addresses_are_allowed_but_not_other_urls(monkeypatch):
    resolving(monkeypatch, {"localhost": ["127.0.0.1"]})
    assert check_target("http://127.0.0.1:8000/hooks", allow_private=True) == "http://127.0.0.1:8000/hooks"
    assert check_target("http://localhost/", allow_private=True) == "http://localhost/"
    assert check_target("https://10.0.0.5/", allow_private=True) == "https://10.0.0.5/"
    for refused in ("ftp://127.0.0.1/", "http://user:pw@127.0.0.1/", "http://nowhere.example/"):
        with pytest.raises(TargetRefused):
            check_target(refused, allow_private=True)


def test_a_name_server_that_does_not_answer_is_a_name_not_found_soon(monkeypatch):
    resolving(monkeypatch, {"slow.example": lambda: time.sleep(3) or [PUBLIC_ELSEWHERE]})
    monkeypatch.setattr(webhook_http, "CHECK_LOOKUP_SECONDS", 0.3)
    started = time.monotonic()
    with pytest.raises(TargetRefused, match="could not be found"):
        check_target("https://slow.example/", allow_private=False)
    assert time.monotonic() - started < 1.5


def test_with_the_setting_on_it_posts_to_a_local_server(monkeypatch, servers):
    server = servers()
    result = post_json(server.url(), '{"a": "é"}', {"webhook-id": "msg_1", "Webhook-Signature": "v1,x"}, True)
    assert (result.status_code, result.ok, result.error) == (200, True, None) and result.latency_ms >= 0
    ((path, headers, body),) = server.requests
    assert path == "/hooks" and body == '{"a": "é"}'.encode()
    assert headers["webhook-id"] == "msg_1" and headers["webhook-signature"] == "v1,x"
    assert headers["content-type"] == "application/json" and headers["host"] == f"127.0.0.1:{server.port}"
    assert headers["user-agent"].startswith("ResolutionCenter")

    resolving(monkeypatch, {"receiver.test": [INTERNAL]})
    assert post_json(server.url("receiver.test"), "{}", {}, allow_private=True).ok
    assert server.requests[1][1]["host"] == f"receiver.test:{server.port}"


def test_an_ipv6_host_is_connected_to_and_named_in_brackets(servers):
    server = servers("::1")
    assert post_json(f"http://[::1]:{server.port}/hooks", "{}", {}, allow_private=True).ok
    assert server.requests[0][1]["host"] == f"[::1]:{server.port}"


def test_with_the_setting_off_a_local_server_gets_nothing(monkeypatch, server, tls, servers):
    made = connections_made(monkeypatch)
    result = post_json(server.url(), "{}", {}, allow_private=False)
    assert result == PostResult(None, result.latency_ms, "Webhook URLs must use https.")
    secure = servers(tls=tls())
    result = post_json(secure.url(), "{}", {}, allow_private=False)
    assert not result.ok and result.status_code is None and "private (127.0.0.1)" in result.error
    resolving(monkeypatch, {"localhost": ["127.0.0.1"]})
    assert "private" in post_json(secure.url("localhost"), "{}", {}, allow_private=False).error
    assert server.requests == secure.requests == [] and made == []


def test_over_tls_it_connects_to_the_address_and_speaks_to_the_name(monkeypatch, stand_in_public, tls, servers):
    public = servers(STAND_IN_PUBLIC, tls=tls())
    resolving(monkeypatch, {"hooks.test": [STAND_IN_PUBLIC]})
    result = post_json(public.url("hooks.test"), '{"c":3}', {}, allow_private=False)
    assert (result.status_code, result.error) == (200, None)
    assert public.server_names == ["hooks.test"]  # SNI: the name, not the address connected to
    assert public.requests[0][1]["host"] == f"hooks.test:{public.port}" and public.requests[0][2] == b'{"c":3}'


def test_a_certificate_that_is_not_trusted_or_no_tls_at_all_is_an_error_not_an_exception(
    monkeypatch, certificate, server, servers
):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    untrusted = servers(tls=context)  # the client trusts only the usual roots here
    resolving(monkeypatch, {"hooks.test": [INTERNAL]})
    result = post_json(untrusted.url("hooks.test"), "{}", {}, allow_private=True)
    assert result.status_code is None and "TLS failed" in result.error and "certificate" in result.error
    result = post_json(server.url().replace("http://", "https://"), "{}", {}, allow_private=True)
    assert result.status_code is None and "TLS failed" in result.error
    assert untrusted.requests == server.requests == []


def test_a_name_rebound_to_a_private_address_after_the_check_is_refused_at_connect(monkeypatch, tls, servers):
    internal = servers(INTERNAL, tls=tls())  # would answer, and its certificate is trusted: only the guard stops it
    url = internal.url("hooks.test")
    resolving(monkeypatch, {"hooks.test": [PUBLIC_ELSEWHERE]})
    assert check_target(url, allow_private=False) == url
    looked_up = resolving(monkeypatch, {"hooks.test": [INTERNAL]})  # what the attacker's name server says next
    result = post_json(url, "{}", {}, allow_private=False)
    assert result.status_code is None and "hooks.test leads to a private address (127.0.0.1)" in result.error
    assert internal.requests == [] and looked_up[0] == "hooks.test"


def test_it_connects_to_the_address_it_checked_not_to_what_the_name_says_next(
    monkeypatch, stand_in_public, tls, servers
):
    """A name with a zero TTL answers public once, then private: the send must use the answer it checked."""
    public, internal = twin_servers(servers, tls)
    answers = iter([[STAND_IN_PUBLIC]])
    resolving(monkeypatch, {"hooks.test": lambda: next(answers, [INTERNAL])})
    result = post_json(public.url("hooks.test"), "{}", {}, allow_private=False)
    assert result.ok and len(public.requests) == 1 and internal.requests == []


def twin_servers(servers, tls) -> tuple[Server, Server]:
    """TLS servers on the stand-in public address and on 127.0.0.1, on the same port."""
    for _ in range(20):
        public = servers(STAND_IN_PUBLIC, tls=tls())
        try:
            return public, servers(INTERNAL, public.port, tls=tls())
        except OSError:
            continue  # that port is taken on 127.0.0.1: another
    raise AssertionError("no port free on both 127.0.0.1 and 127.0.0.2")


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("https://169.254.169.254/latest/meta-data", "private (169.254.169.254)"),
        ("https://10.255.255.1/", "private (10.255.255.1)"),
        ("https://[::ffff:10.0.0.1]/", "private"),
        ("https://internal.test:{port}/hooks", "internal.test leads to a private address (127.0.0.1)"),
        ("http://hooks.test:{port}/plain", "must use https"),
        ("https://user:pw@hooks.test/", "user name or password"),
        ("gopher://hooks.test/", "http(s) URL"),
    ],
)
def test_a_redirect_to_a_private_or_refused_target_is_not_followed(
    monkeypatch, stand_in_public, tls, servers, location, reason
):
    """The first hop goes to the stand-in public server, which redirects with a 307; the second hop is refused
    before any connection, even to internal.test, where a server would have answered."""
    public, internal = twin_servers(servers, tls)
    resolving(monkeypatch, {"hooks.test": [STAND_IN_PUBLIC], "internal.test": [INTERNAL]})
    public.status, public.location = 307, location.format(port=internal.port)
    made = connections_made(monkeypatch)
    result = post_json(public.url("hooks.test"), "{}", {}, allow_private=False)
    assert result.status_code is None and reason in result.error and "redirected to" in result.error
    assert len(public.requests) == 1 and internal.requests == []
    assert made == [(STAND_IN_PUBLIC, public.port)]


def test_307_and_308_are_followed_with_the_body_and_other_redirects_are_the_answer(server, servers):
    second = servers()
    for status in (307, 308):
        server.status, server.location = status, second.url(path="/moved")
        result = post_json(server.url(), '{"b":2}', {"webhook-id": "msg_2"}, allow_private=True)
        assert (result.status_code, result.error) == (200, None)
        path, headers, body = second.requests[-1]
        assert (path, body, headers["webhook-id"]) == ("/moved", b'{"b":2}', "msg_2")
    server.location = "/relative"
    server.status = 307
    post_json(server.url(), "{}", {}, allow_private=True)
    assert server.requests[-1][0] == "/relative"
    server.location = second.url()
    for status in (301, 302, 303):
        server.status = status
        result = post_json(server.url(), "{}", {}, allow_private=True)
        assert (result.status_code, result.ok, result.error) == (status, False, f"Answered {status}.")
    assert len(second.requests) == 2


def test_more_than_three_redirects_are_not_followed(server):
    server.status, server.location = 307, server.url()
    result = post_json(server.url(), "{}", {}, allow_private=True)
    assert result.status_code is None and "more than 3" in result.error and len(server.requests) == 4


def test_a_500_is_a_failure_with_its_status(server):
    server.status = 500
    result = post_json(server.url(), "{}", {}, allow_private=True)
    assert (result.status_code, result.ok, result.error) == (500, False, "Answered 500.")


def test_a_receiver_that_answers_too_slowly_fails_within_the_deadline(server):
    server.delay = 3
    started = time.monotonic()
    result = post_json(server.url(), "{}", {}, allow_private=True, timeout_seconds=1)
    assert result.status_code is None and "Timed out" in result.error and "1 s" in result.error
    assert time.monotonic() - started < 1.8 and 900 <= result.latency_ms < 1800


def test_one_deadline_covers_an_answer_dripped_byte_by_byte(server):
    """Each byte comes well within a read timeout; the whole answer would take 4 s."""
    server.drip = True
    started = time.monotonic()
    result = post_json(server.url(), "{}", {}, allow_private=True, timeout_seconds=1)
    assert result.status_code is None and "Timed out" in result.error
    assert time.monotonic() - started < 1.8


def test_one_deadline_covers_a_name_server_that_does_not_answer(monkeypatch):
    resolving(monkeypatch, {"slow.test": lambda: time.sleep(3) or [INTERNAL]})
    started = time.monotonic()
    result = post_json("http://slow.test/", "{}", {}, allow_private=True, timeout_seconds=0.5)
    assert result.status_code is None and "Timed out" in result.error
    assert time.monotonic() - started < 1.3


def test_a_body_without_end_is_not_read_to_its_end(server):
    server.endless = True
    started = time.monotonic()
    result = post_json(server.url(), "{}", {}, allow_private=True, timeout_seconds=5)
    assert (result.status_code, result.error) == (200, None) and time.monotonic() - started < 1


def test_a_closed_port_is_a_failure_not_an_exception():
    with socket.socket() as held:  # bound, not listening: connections are refused
        held.bind((INTERNAL, 0))
        result = post_json(f"http://127.0.0.1:{held.getsockname()[1]}/", "{}", {}, allow_private=True)
    assert result.status_code is None and result.error.startswith("Could not connect") and not result.ok


def test_a_name_not_found_at_send_time_is_a_failure_not_an_exception(monkeypatch):
    resolving(monkeypatch, {})
    result = post_json("https://gone.example/", "{}", {}, allow_private=False)
    assert result.status_code is None and "could not be found" in result.error


def test_one_deadline_covers_a_tls_handshake_dripped_byte_by_byte(monkeypatch, tls, servers):
    """The server's handshake reaches the client through a relay, one byte each 10 ms: about 8 s in all."""
    secure = servers(tls=tls())
    relay = drip_relay(secure.port)
    resolving(monkeypatch, {"hooks.test": [INTERNAL]})
    started = time.monotonic()
    result = post_json(f"https://hooks.test:{relay}/hooks", "{}", {}, allow_private=True, timeout_seconds=1)
    assert result.status_code is None and "Timed out" in result.error
    assert time.monotonic() - started < 1.8


def drip_relay(port: int) -> int:
    """A port that relays one connection to `port`, passing the server's bytes on one at a time, slowly."""
    listener = socket.create_server((INTERNAL, 0))

    def relay() -> None:
        with listener, contextlib.suppress(OSError):
            client, _ = listener.accept()
            with client, socket.create_connection((INTERNAL, port)) as upstream:
                threading.Thread(target=lambda: pipe(client, upstream), daemon=True).start()
                while byte := upstream.recv(1):
                    client.sendall(byte)
                    time.sleep(0.01)

    threading.Thread(target=relay, daemon=True).start()
    return listener.getsockname()[1]


def pipe(source: socket.socket, sink: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            sink.sendall(data)
