"""The project's own PostgreSQL: starts on a new folder, on one a killed run left behind, and says what to do when
the folder is not a cluster at all."""

import os
import signal
import time

import psutil
import psycopg
import pytest

from resolution_app.infra.local_postgres import LocalPostgresError, running_postgres


def _server_pid(url: str) -> int:
    """The postmaster: the parent of the backend serving this connection."""
    with psycopg.connect(url) as connection:
        return psutil.Process(connection.execute("SELECT pg_backend_pid()").fetchone()[0]).ppid()


def _write_and_read(url: str, value: str | None = None) -> list[str]:
    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS note (text text)")
        if value is not None:
            connection.execute("INSERT INTO note VALUES (%s)", (value,))
        return [row[0] for row in connection.execute("SELECT text FROM note ORDER BY text")]


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, f"process {pid} did not go away"
        time.sleep(0.05)


def test_a_new_folder_gets_a_cluster_with_pg_trgm_on_a_socket_only(tmp_path):
    with running_postgres(tmp_path / "pg") as url:
        with psycopg.connect(url) as connection:
            assert connection.execute("SHOW listen_addresses").fetchone()[0] == ""
            connection.execute("CREATE EXTENSION pg_trgm")
            assert connection.execute("SELECT similarity('refund', 'refunds') > 0.5").fetchone()[0] is True
        server = _server_pid(url)
        assert "?host=" in url and "@/" in url  # no host name: the Unix socket
    _wait_gone(server)


def test_a_killed_run_leaves_a_stale_pid_file_and_the_next_run_starts_with_the_data(tmp_path):
    pgdata = tmp_path / "pg"
    crashed = running_postgres(pgdata)
    url = crashed.__enter__()  # a run that never gets to stop its server...
    _write_and_read(url, "before the crash")
    server = _server_pid(url)
    os.kill(server, signal.SIGKILL)  # ...and a server killed with it, as if the power went
    _wait_gone(server)
    assert (pgdata / "postmaster.pid").exists()
    with running_postgres(pgdata) as url:
        assert _write_and_read(url, "after") == ["after", "before the crash"]


def test_a_pid_file_naming_another_living_program_is_not_taken_for_a_server(tmp_path):
    pgdata = tmp_path / "pg"
    with running_postgres(pgdata) as url:
        _write_and_read(url, "kept")
    lines = (pgdata / "postmaster.pid").read_text().splitlines() if (pgdata / "postmaster.pid").exists() else []
    (pgdata / "postmaster.pid").write_text("\n".join([str(os.getpid()), *lines[1:]]) + "\n")
    with running_postgres(pgdata) as url:
        assert _write_and_read(url) == ["kept"]


def test_a_server_left_running_is_taken_over_then_stopped(tmp_path):
    pgdata = tmp_path / "pg"
    killed = running_postgres(pgdata)
    url = killed.__enter__()  # a run killed before it could stop its server
    orphan = _server_pid(url)
    with running_postgres(pgdata) as again:
        assert _server_pid(again) == orphan
    _wait_gone(orphan)


def test_a_half_made_cluster_from_a_killed_first_run_is_made_again(tmp_path):
    pgdata = tmp_path / "pg"
    (tmp_path / "pg.initdb" / "base").mkdir(parents=True)  # initdb killed while building
    (tmp_path / "pg.initdb" / "PG_VERSION").write_text("18\n")
    pgdata.mkdir()  # and the empty folder a launcher made
    with running_postgres(pgdata) as url:
        assert _write_and_read(url, "fresh") == ["fresh"]
    assert not (tmp_path / "pg.initdb").exists()


def test_a_folder_that_is_no_cluster_is_left_alone_with_what_to_do(tmp_path):
    pgdata = tmp_path / "pg"
    pgdata.mkdir()
    (pgdata / "holiday.jpg").write_bytes(b"someone's file")
    refused = pytest.raises(LocalPostgresError, match="not a PostgreSQL data folder.*Move it away")
    with refused, running_postgres(pgdata):
        pass
    assert (pgdata / "holiday.jpg").read_bytes() == b"someone's file"


def test_a_long_folder_path_gets_a_short_socket_folder(tmp_path):
    pgdata = tmp_path / ("deep-" * 20) / "pg"
    with running_postgres(pgdata) as url:
        assert _write_and_read(url, "ok") == ["ok"]
        assert str(pgdata) not in url
