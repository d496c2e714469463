"""POSTing webhooks to the URLs creators give us, without letting those URLs reach inside our network (SSRF).

A URL is checked when it is added (`check_target`), and again at every send where it counts: the connection itself
resolves the name, checks every address and connects to the address it checked. A name that resolved to a public
address at the check and resolves to 127.0.0.1 now (DNS rebinding) is refused, and so is a redirect to a private
address. One deadline covers the whole send (lookup, connect, TLS, write, read, redirects) and at most 64 KiB of an
answer is read.

The request goes through httpcore, the engine under httpx, rather than httpx.Client: httpx 0.28 offers no public
way to give its transport a network backend (only by replacing the private `HTTPTransport._pool`), while
`httpcore.ConnectionPool(network_backend=...)` is httpcore's public API. httpcore never reads proxy settings from
the environment, which is what `trust_env=False` would buy with httpx. URLs are parsed and normalised by
`httpx.URL` (IDNA, percent-encoding), and the request is built from the parsed parts, so what is checked is exactly
what is connected to: no second parser reads the URL differently.
"""

import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpcore
import httpx

MAX_URL_CHARS = 2000
MAX_REDIRECTS = 3
MAX_ANSWER_BYTES = 64 * 1024
CHECK_LOOKUP_SECONDS = 5.0  # how long check_target waits for DNS before calling the name not found
USER_AGENT = "ResolutionCenter-Webhooks/1"

# 307 and 308 keep the method and the body, so following them still delivers the event. 301/302/303 turn a POST
# into a GET without the body (what every client does): following them would "succeed" without delivering anything,
# so they are the receiver's final, non-2xx answer and the creator sees the endpoint needs its new URL.
REPOST_STATUSES = frozenset({307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

CGNAT = ipaddress.ip_network("100.64.0.0/10")  # shared address space: is_global knows it, but be explicit
# DNS64 gives an IPv6-only host these for IPv4-only names: the IPv4 address in the last 32 bits is the destination.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # a site's own translator: never public
HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")  # after IDNA, which httpx.URL applies


class TargetRefused(Exception):
    """A URL webhooks may not go to; `message` says why, in a sentence for the creator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PostResult:
    status_code: int | None  # None when no answer came (refused, unreachable, timed out)
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _is_public(address: IPAddress) -> bool:
    """Whether `address` is on the public internet. is_global alone is not enough in Python 3.11: it calls
    multicast, IPv6 site-local and 6to4 addresses of private ones global."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is 127.0.0.1 on a dual-stack socket
            return _is_public(address.ipv4_mapped)
        if address in NAT64:  # judged by the IPv4 address it reaches (the prefix itself is in the reserved ::/8)
            return _is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address in NAT64_LOCAL or address.is_site_local:
            return False
        if address.sixtofour is not None and not _is_public(address.sixtofour):
            return False
    return (
        address.is_global
        and not address.is_private
        and not address.is_loopback
        and not address.is_link_local  # 169.254.169.254, the cloud metadata service, among them
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and address not in CGNAT
    )


def _parsed(url: str, allow_private: bool) -> httpx.URL:
    """`url` parsed and normalised, if its form is acceptable; its addresses are checked apart."""
    if len(url) > MAX_URL_CHARS:
        raise TargetRefused(f"A webhook URL is at most {MAX_URL_CHARS} characters.")
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL:
        raise TargetRefused("This is not a valid URL; enter one like https://example.com/webhooks.") from None
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise TargetRefused("Enter a full http(s) URL, like https://example.com/webhooks.")
    if parsed.userinfo:
        raise TargetRefused("A webhook URL can't hold a user name or password.")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise TargetRefused(f"{parsed.port} is not a port number.")
    host = parsed.raw_host.decode("ascii")
    if _ip_literal(host) is None and not HOST_NAME.fullmatch(host):
        raise TargetRefused(f"{parsed.host} is not a valid host name.")
    if parsed.scheme != "https" and not allow_private:
        raise TargetRefused("Webhook URLs must use https.")
    normalised = parsed.copy_with(fragment=None)  # never sent; kept out of what is stored
    if len(str(normalised)) > MAX_URL_CHARS:  # IDNA and percent-encoding can lengthen it
        raise TargetRefused(f"A webhook URL is at most {MAX_URL_CHARS} characters.")
    return normalised


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _lookup(host: str, port: int, timeout: float) -> list[str]:
    """Every address `host` resolves to, in the resolver's order (an IP literal: itself). TimeoutError when DNS
    takes longer than `timeout`: getaddrinfo has no timeout of its own, so it runs in a thread we stop waiting for."""
    if (literal := _ip_literal(host)) is not None:
        return [str(literal)]
    outcome: list[list[str] | BaseException] = []

    def resolve() -> None:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            outcome.append(list(dict.fromkeys(str(info[4][0]) for info in found)))
        except (OSError, UnicodeError) as error:
            outcome.append(error)

    resolver = threading.Thread(target=resolve, name=f"webhook-dns-{host}", daemon=True)
    resolver.start()
    resolver.join(max(timeout, 0))
    if not outcome:
        raise TimeoutError(f"DNS did not answer for {host}")
    if isinstance(outcome[0], BaseException) or not outcome[0]:
        raise TargetRefused(f"The host {host} could not be found.")
    return outcome[0]


def _refuse_private(host: str, addresses: list[str]) -> None:
    """TargetRefused unless every address is public: one private answer among public ones is refused too, since
    which of them a connection would use is up to whoever runs the name server."""
    for address in addresses:
        if not _is_public(ipaddress.ip_address(address.split("%")[0])):  # a link-local answer may carry a %zone
            if host == address:
                raise TargetRefused(f"This address is private ({address}); webhooks go only to public addresses.")
            raise TargetRefused(f"{host} leads to a private address ({address}); webhooks go only to public addresses.")


def check_target(url: str, allow_private: bool) -> str:
    """The normalised `url` if webhooks may be sent there (as typed, when an endpoint is added); TargetRefused,
    saying why, if not. `allow_private` (local development, tests) allows http:// and private addresses."""
    parsed = _parsed(url, allow_private)
    host = parsed.raw_host.decode("ascii")
    try:
        addresses = _lookup(host, parsed.port or _default_port(parsed), CHECK_LOOKUP_SECONDS)
    except TimeoutError:
        raise TargetRefused(f"The host {host} could not be found (DNS did not answer).") from None
    if not allow_private:
        _refuse_private(host, addresses)
    return str(parsed)


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


class _Deadline:
    """One deadline for a whole send. Socket timeouts are per operation, so each operation is given what is left
    of it (CPython holds a TLS handshake, many reads, to its timeout as a whole)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self, timeout: float | None, on_passed: type[httpcore.TimeoutException]) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise on_passed("The deadline passed.")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host (httpcore passes it, not the address we connected to): SNI and the
        # certificate check are for the name, as they must be.
        secured = self._stream.start_tls(
            ssl_context, server_hostname, self._deadline.left(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(secured, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore's own sync backend, except that it resolves the name itself, refuses private addresses (unless
    allowed) and connects to an address it checked, so what DNS says after the check can't matter."""

    def __init__(self, allow_private: bool, deadline: _Deadline) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = _lookup(host, port, self._deadline.left(timeout, httpcore.ConnectTimeout))
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"DNS did not answer for {host}.") from None
        if not self._allow_private:
            _refuse_private(host, addresses)  # TargetRefused goes through httpcore untouched
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=self._deadline.left(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as error:
                failure = error  # the next address may answer
                continue
            return _DeadlineStream(stream, self._deadline)
        raise failure or httpcore.ConnectError(f"No address of {host} answered.")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Webhooks go over TCP only.")  # never asked for: no pool here has a uds

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Certificates checked against certifi's roots (or SSL_CERT_FILE/SSL_CERT_DIR, like httpx): built once, since
    loading the roots takes milliseconds, and shared, which SSLContext allows."""
    return httpx.create_ssl_context()


def post_json(
    url: str, body: str, headers: dict[str, str], allow_private: bool, timeout_seconds: float = 10
) -> PostResult:
    """POST `body` (JSON text) to `url`, following up to MAX_REDIRECTS 307/308 redirects, all within
    `timeout_seconds`. Never raises for a network problem or a refused target: the result's error says what
    happened."""
    started = time.monotonic()
    sent = {"content-type": "application/json", "user-agent": USER_AGENT}
    sent.update((name.lower(), value) for name, value in headers.items())
    for ours in ("host", "content-length", "transfer-encoding"):  # set from the URL and the body, per hop
        sent.pop(ours, None)
    try:
        status, error = _post(url, body.encode(), sent, allow_private, _Deadline(timeout_seconds))
    except TargetRefused as refused:
        status, error = None, refused.message
    except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError, OSError) as failure:
        status, error = None, _described(failure, timeout_seconds)
    return PostResult(status, round((time.monotonic() - started) * 1000), error)


def _post(
    url: str, content: bytes, headers: dict[str, str], allow_private: bool, deadline: _Deadline
) -> tuple[int, str | None]:
    target = _parsed(url, allow_private)
    with httpcore.ConnectionPool(
        ssl_context=_tls_context(), network_backend=_GuardedBackend(allow_private, deadline)
    ) as pool:
        for hop in range(MAX_REDIRECTS + 1):
            timeout = deadline.left(None, httpcore.PoolTimeout)
            request_url = httpcore.URL(
                scheme=target.raw_scheme, host=target.raw_host, port=target.port, target=target.raw_path
            )
            # Host from httpx, which brackets an IPv6 host; httpcore's own would not.
            request_headers = [
                (b"host", target.netloc),
                *((name.encode(), value.encode()) for name, value in headers.items()),
            ]
            try:
                with pool.stream(
                    "POST",
                    request_url,
                    headers=request_headers,
                    content=content,
                    extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)},
                ) as answer:
                    _read_capped(answer)
                    location = next((value for name, value in answer.headers if name.lower() == b"location"), None)
            except TargetRefused as refused:
                if hop == 0:
                    raise
                raise TargetRefused(_redirect_refused(str(target), refused.message)) from None
            if answer.status not in REPOST_STATUSES or location is None:
                return answer.status, None if 200 <= answer.status < 300 else f"Answered {answer.status}."
            try:
                target = _parsed(str(target.join(location.decode("latin-1"))), allow_private)
            except TargetRefused as refused:
                raise TargetRefused(_redirect_refused(location.decode("latin-1"), refused.message)) from None
            except httpx.InvalidURL:
                raise TargetRefused(_redirect_refused(location.decode("latin-1"), "not a valid URL.")) from None
    raise TargetRefused(f"Redirected more than {MAX_REDIRECTS} times.")


def _redirect_refused(location: str, reason: str) -> str:
    # The reason first and the URL cut short: the delivery log keeps only the first few hundred characters.
    shown = location if len(location) <= 100 else location[:99] + "…"
    return f"{reason} (The receiver redirected to {shown}.)"


def _read_capped(answer: httpcore.Response) -> None:
    """Read up to MAX_ANSWER_BYTES of the answer and drop it: the status is what counts, and a receiver that sends
    an endless body must not hold the worker. The status stands if the body then breaks off or runs out of time."""
    read = 0
    try:
        for chunk in answer.iter_stream():
            read += len(chunk)
            if read >= MAX_ANSWER_BYTES:
                return
    except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError):
        return


def _described(failure: Exception, timeout_seconds: float) -> str:
    if isinstance(failure, (httpcore.TimeoutException, TimeoutError)):
        return f"Timed out: no answer within {timeout_seconds:g} s."
    # httpcore wraps the socket's error as its own's argument (its pool then drops __cause__).
    original = failure.args[0] if failure.args and isinstance(failure.args[0], Exception) else failure
    if isinstance(original, ssl.SSLError):
        return f"TLS failed: {original}"
    if isinstance(failure, httpcore.ConnectError):
        return f"Could not connect: {failure}"
    if isinstance(failure, httpcore.RemoteProtocolError):
        return f"Not an HTTP answer: {failure}"
    if isinstance(failure, httpcore.LocalProtocolError):
        return f"Could not send the request: {failure}"
    return f"The connection failed: {failure or type(failure).__name__}"
