"""POSTing webhooks to the URLs creators give us, without letting those URLs reach inside our network.

A URL is checked when it is added (`check_target`) and again at every send, where it counts: the connection
itself resolves the name and connects only to an address it has checked, so a name that resolved to a public
address at the check and to 127.0.0.1 now (DNS rebinding) is refused too, as is a redirect to a private address.
No proxy settings are read from the environment, the whole send has one deadline, and at most 64 KiB of an answer
is read.
"""

import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore

MAX_URL_CHARS = 2000
MAX_REDIRECTS = 3
MAX_ANSWER_BYTES = 64 * 1024
CGNAT = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not "global", not private either in old Pythons
REPOST = {307, 308}  # the redirects that keep the method and body; any other 3xx is the receiver's answer


class TargetRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PostResult:
    status_code: int | None  # None when no answer came
    latency_ms: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast and address not in CGNAT


def _addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal: itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(f"The host {host} could not be found.") from None
    return list(dict.fromkeys(info[4][0] for info in found))


def _checked_addresses(host: str, port: int, allow_private: bool) -> list[str]:
    addresses = _addresses(host, port)
    if not allow_private:
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%")[0])):
                raise TargetRefused(
                    f"{host} leads to a private address ({address}); webhooks go only to public addresses."
                )
    return addresses


def _checked_url(url: str, allow_private: bool) -> tuple[str, str, int]:
    """The URL's scheme, host and port, once its form is acceptable (addresses are checked apart)."""
    if len(url) > MAX_URL_CHARS:
        raise TargetRefused(f"A webhook URL is at most {MAX_URL_CHARS} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("This is not a URL, e.g. https://example.com/webhooks.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("Enter a full URL, e.g. https://example.com/webhooks.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("A webhook URL can't hold a user name or password.")
    if parts.scheme != "https" and not allow_private:
        raise TargetRefused("Webhook URLs must use https.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_target(url: str, allow_private: bool) -> str:
    """`url`, if a webhook may be sent there; TargetRefused, saying why, if not."""
    _, host, port = _checked_url(url, allow_private)
    _checked_addresses(host, port, allow_private)
    return url


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses it has checked itself, whatever the name resolves to by then."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, **kwargs: object
    ) -> httpcore.NetworkStream:
        try:
            addresses = _checked_addresses(host, port, self.allow_private)
        except TargetRefused as refused:
            raise httpcore.ConnectError(refused.message) from None
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout=timeout, **kwargs)
            except httpcore.ConnectError as error:
                last = error
        raise last or httpcore.ConnectError(f"No address of {host} answered.")


def post_json(
    url: str, body: str, headers: dict[str, str], allow_private: bool, timeout_seconds: float = 10
) -> PostResult:
    """POST `body` to `url`; never raises: what went wrong is the result's error."""
    started = time.monotonic()
    deadline = started + timeout_seconds
    try:
        status = _post(url, body.encode(), headers, allow_private, deadline)
    except TargetRefused as refused:
        return PostResult(None, _ms_since(started), refused.message)
    except httpcore.TimeoutException:
        return PostResult(None, _ms_since(started), f"No answer within {timeout_seconds:g} s.")
    except (httpcore.ConnectError, httpcore.NetworkError, httpcore.ProtocolError, ssl.SSLError) as error:
        return PostResult(None, _ms_since(started), f"Could not deliver: {error or type(error).__name__}")
    return PostResult(status, _ms_since(started), None if 200 <= status < 300 else f"Answered {status}.")


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _post(url: str, content: bytes, headers: dict[str, str], allow_private: bool, deadline: float) -> int:
    sent = {"content-type": "application/json", **headers}
    with httpcore.ConnectionPool(
        network_backend=_GuardedBackend(allow_private), ssl_context=ssl.create_default_context()
    ) as pool:
        for _ in range(MAX_REDIRECTS + 1):
            _checked_url(url, allow_private)
            left = deadline - time.monotonic()
            if left <= 0:
                raise httpcore.TimeoutException("deadline")
            timeouts = {"connect": left, "read": left, "write": left, "pool": left}
            with pool.stream(
                "POST", url, headers=list(sent.items()), content=content, extensions={"timeout": timeouts}
            ) as answer:
                _read_some(answer, deadline)
                location = dict((k.lower(), v) for k, v in answer.headers).get(b"location")
                if answer.status not in REPOST or location is None:
                    return answer.status
                url = urljoin(url, location.decode("latin-1"))
    raise TargetRefused(f"More than {MAX_REDIRECTS} redirects.")


def _read_some(answer: httpcore.Response, deadline: float) -> None:
    """Read the answer up to the cap (a receiver's body is not ours to keep), within the deadline."""
    read = 0
    for chunk in answer.iter_stream():
        read += len(chunk)
        if read >= MAX_ANSWER_BYTES or time.monotonic() > deadline:
            return
