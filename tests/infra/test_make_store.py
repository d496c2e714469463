"""STORAGE_URL parsing: which backend, which folder or bucket, which credentials, and clear refusals."""

from pathlib import Path

import pytest

from resolution_app.infra.storage import LocalStore, S3Store, make_store


@pytest.fixture(autouse=True)
def _no_ambient_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)


def _credentials(store: S3Store) -> tuple[str, str]:
    frozen = store._client._request_signer._credentials.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key


def test_absolute_file_url(tmp_path: Path) -> None:
    store = make_store(f"file://{tmp_path}/evidence")
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "evidence"


def test_relative_file_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = make_store("file://uploads/claims")
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "uploads" / "claims"


def test_s3_url_with_endpoint_region_and_keys() -> None:
    store = make_store("s3://evidence?endpoint=http://127.0.0.1:8333&region=eu-west-1&access_key=AK&secret_key=SK")
    assert isinstance(store, S3Store)
    assert store.bucket == "evidence"
    assert store._client.meta.endpoint_url == "http://127.0.0.1:8333"
    assert store._client.meta.region_name == "eu-west-1"
    assert _credentials(store) == ("AK", "SK")


def test_s3_keys_come_from_the_environment_when_the_url_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENV_AK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ENV_SK")
    store = make_store("s3://evidence?endpoint=http://127.0.0.1:8333")
    assert isinstance(store, S3Store)
    assert _credentials(store) == ("ENV_AK", "ENV_SK")
    assert store._client.meta.region_name == "us-east-1"


def test_s3_keys_in_the_url_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ENV_AK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "ENV_SK")
    store = make_store("s3://evidence?access_key=URL_AK&secret_key=URL_SK")
    assert isinstance(store, S3Store)
    assert _credentials(store) == ("URL_AK", "URL_SK")


def test_making_a_store_does_no_network_io() -> None:
    # Nothing listens on port 9: building the store must still succeed (the bucket is ensured on first put).
    assert isinstance(make_store("s3://evidence?endpoint=http://127.0.0.1:9"), S3Store)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Unsupported STORAGE_URL"),
        ("uploads", "Unsupported STORAGE_URL"),
        ("ftp://host/folder", "Unsupported STORAGE_URL"),
        ("gs://bucket", "Unsupported STORAGE_URL"),
        ("file://", "needs a folder"),
        ("s3://", "valid bucket name"),
        ("s3://Bad_Bucket", "valid bucket name"),
        ("s3://ab", "valid bucket name"),
        ("s3://evidence/some/prefix", "bucket only"),
        ("s3://evidence?endpiont=http://x", "unknown parameters"),
        ("s3://evidence?region=a&region=b", "repeats"),
        ("s3://evidence?access_key=only-half", "both access_key and secret_key"),
    ],
)
def test_unusable_urls_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_store(url)


def test_refusals_never_echo_a_secret_key() -> None:
    with pytest.raises(ValueError) as raised:
        make_store("s3://evidence?secret_key=hunter2-very-secret&typo=1")
    assert "hunter2" not in str(raised.value)
