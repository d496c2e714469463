"""One contract, two backends: LocalStore in a temp folder, S3Store against a real SeaweedFS."""

import hashlib
import io
import os
import re
import secrets
import stat
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from botocore.exceptions import ClientError

from resolution_app.infra.storage import (
    EvidenceStore,
    InvalidKey,
    KeyNotFound,
    LocalStore,
    S3Store,
    StoredObject,
    make_store,
    new_key,
    s3_client,
)

from .samples import MB, GeneratedStream

# "Streams" means memory is a few parts, not the file: 60 MB must go through in 24 MB. S3 holds three 5 MiB parts (two
# in flight, the next one read), and this test's stream makes a copy of the part it is reading.
LARGE_FILE_BYTES = 60 * MB
MEMORY_LIMIT_BYTES = 24 * MB
KEY_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass
class Backend:
    name: str
    store: EvidenceStore
    count_objects: Callable[[], int]  # everything the backend holds, half-written uploads included


def _with_bucket(storage_url: str, bucket: str) -> str:
    parts = urlsplit(storage_url)
    return urlunsplit(parts._replace(netloc=bucket))


def _client_for(storage_url: str):  # noqa: ANN202 (boto3 clients have no static type)
    query = {name: values[0] for name, values in parse_qs(urlsplit(storage_url).query).items()}
    return s3_client(
        endpoint_url=query["endpoint"],
        region="us-east-1",
        access_key=query["access_key"],
        secret_key=query["secret_key"],
    )


def _local_backend(tmp_path: Path) -> Backend:
    root = tmp_path / "evidence"
    return Backend("local", LocalStore(root), lambda: sum(1 for _ in root.iterdir()))


def _s3_backend(storage_url: str) -> Backend:
    # A fresh bucket per test: counts start at zero, and every test also exercises bucket creation.
    url = _with_bucket(storage_url, f"t-{secrets.token_hex(8)}")
    store = make_store(url)
    assert isinstance(store, S3Store)
    client = _client_for(url)

    def count_objects() -> int:
        try:
            listed = client.list_objects_v2(Bucket=store.bucket).get("KeyCount", 0)
            pending = len(client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []))
        except ClientError as error:
            if error.response["Error"]["Code"] == "NoSuchBucket":
                return 0
            raise
        return listed + pending

    return Backend("s3", store, count_objects)


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "local":
        return _local_backend(tmp_path)
    return _s3_backend(request.getfixturevalue("seaweed_url"))


def _read_all(store: EvidenceStore, key: str) -> bytes:
    return b"".join(store.open(key))


def _sha256_of_chunks(chunks: Iterator[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class ExplodingStream(io.RawIOBase):
    """Yields some bytes, then fails like a dropped upload connection."""

    def __init__(self, fail_after: int) -> None:
        self.fail_after = fail_after
        self.sent = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self.sent >= self.fail_after:
            raise ConnectionResetError("client went away mid-upload")
        count = min(len(buffer), self.fail_after - self.sent)
        buffer[:count] = b"\xab" * count
        self.sent += count
        return count


# --- The contract -------------------------------------------------------------------------------------------------


def test_round_trip_of_a_multi_megabyte_file(backend: Backend) -> None:
    data = os.urandom(12 * MB + 12345)  # above the S3 part size: exercises a multipart upload

    stored = backend.store.put(io.BytesIO(data), "video/mp4")

    assert stored == StoredObject(key=stored.key, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    assert _read_all(backend.store, stored.key) == data
    assert backend.count_objects() == 1


def test_open_yields_bounded_chunks(backend: Backend) -> None:
    stored = backend.store.put(io.BytesIO(os.urandom(3 * MB)), "application/pdf")

    chunks = list(backend.store.open(stored.key))

    assert len(chunks) >= 3
    assert all(0 < len(chunk) <= MB for chunk in chunks)


def test_keys_are_random_distinct_and_never_derived_from_content(backend: Backend) -> None:
    data = b"the same bytes every time"

    stored = [backend.store.put(io.BytesIO(data), "image/png") for _ in range(5)]

    keys = {item.key for item in stored}
    assert len(keys) == 5
    assert all(KEY_SHAPE.fullmatch(key) for key in keys)
    assert {item.sha256 for item in stored} == {hashlib.sha256(data).hexdigest()}
    assert backend.count_objects() == 5


def test_exists_and_idempotent_delete(backend: Backend) -> None:
    stored = backend.store.put(io.BytesIO(b"evidence"), "image/png")
    assert backend.store.exists(stored.key)

    backend.store.delete(stored.key)
    backend.store.delete(stored.key)  # again: not an error

    assert not backend.store.exists(stored.key)
    assert backend.count_objects() == 0


def test_deleting_a_key_that_never_existed_is_fine(backend: Backend) -> None:
    backend.store.delete(new_key())
    assert not backend.store.exists(new_key())


def test_open_of_a_missing_key_raises_key_not_found_at_once(backend: Backend) -> None:
    missing = new_key()
    with pytest.raises(KeyNotFound, match=re.escape(missing)) as raised:
        backend.store.open(missing)  # not iterated: the error must not wait for the first chunk
    assert raised.value.key == missing


def test_open_of_a_deleted_key_raises_key_not_found(backend: Backend) -> None:
    stored = backend.store.put(io.BytesIO(b"evidence"), "image/png")
    backend.store.delete(stored.key)
    with pytest.raises(KeyNotFound):
        backend.store.open(stored.key)


def test_empty_stream_is_stored_as_an_empty_object(backend: Backend) -> None:
    stored = backend.store.put(io.BytesIO(b""), "image/png")
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert _read_all(backend.store, stored.key) == b""


@pytest.mark.parametrize(
    "key",
    ["../../etc/passwd", "a/b", "..", ".", "", "has space in it ok", "x" * 300, "back\\slash\\in\\key", "short"],
)
def test_keys_it_could_not_have_minted_are_rejected(backend: Backend, key: str) -> None:
    for operation in (backend.store.open, backend.store.exists, backend.store.delete):
        with pytest.raises(InvalidKey):
            operation(key)


def test_put_streams_a_large_file_in_bounded_memory(backend: Backend) -> None:
    tracemalloc.start()
    try:
        stored = backend.store.put(GeneratedStream(LARGE_FILE_BYTES), "video/mp4")  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.size == LARGE_FILE_BYTES
    assert stored.sha256 == GeneratedStream.expected_sha256(LARGE_FILE_BYTES)
    assert peak < MEMORY_LIMIT_BYTES, f"{backend.name} put peaked at {peak / MB:.1f} MB"


def test_open_streams_a_large_file_in_bounded_memory(backend: Backend) -> None:
    stored = backend.store.put(GeneratedStream(LARGE_FILE_BYTES), "video/mp4")  # type: ignore[arg-type]

    tracemalloc.start()
    try:
        sha256, size = _sha256_of_chunks(backend.store.open(stored.key))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (sha256, size) == (stored.sha256, LARGE_FILE_BYTES)
    assert peak < MEMORY_LIMIT_BYTES, f"{backend.name} open peaked at {peak / MB:.1f} MB"


def test_a_put_that_fails_mid_stream_leaves_nothing_behind(backend: Backend) -> None:
    # Past the first S3 part, so a multipart upload is already under way when the stream dies.
    with pytest.raises(ConnectionResetError):
        backend.store.put(ExplodingStream(fail_after=10 * MB), "video/mp4")  # type: ignore[arg-type]

    assert backend.count_objects() == 0


# --- Backend specifics --------------------------------------------------------------------------------------------


def test_local_store_writes_private_files_named_by_key_inside_its_folder(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "evidence")

    stored = store.put(io.BytesIO(b"evidence"), "image/png")

    [only_file] = list((tmp_path / "evidence").iterdir())  # no temp file left behind either
    assert only_file.name == stored.key
    assert stat.S_IMODE(only_file.stat().st_mode) & 0o077 == 0, "evidence must not be readable by other users"


def test_local_store_creates_its_folder(tmp_path: Path) -> None:
    LocalStore(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()


def test_s3_store_records_the_content_type_and_creates_its_bucket(seaweed_url: str) -> None:
    url = _with_bucket(seaweed_url, f"t-{secrets.token_hex(8)}")
    store = make_store(url)
    assert isinstance(store, S3Store)
    client = _client_for(url)

    stored = store.put(io.BytesIO(b"%PDF-1.4 evidence"), "application/pdf")
    store.ensure_bucket()  # again: a no-op

    client.head_bucket(Bucket=store.bucket)
    assert client.head_object(Bucket=store.bucket, Key=stored.key)["ContentType"] == "application/pdf"


def test_s3_store_refuses_wrong_credentials(seaweed_url: str) -> None:
    # Proves the server checks keys at all, so a passing test above means our keys were used.
    parts = urlsplit(seaweed_url)
    query = parts.query.replace("secret_key=", "secret_key=wrong")
    store = make_store(urlunsplit(parts._replace(query=query)))

    with pytest.raises(ClientError) as raised:
        store.put(io.BytesIO(b"evidence"), "image/png")
    assert raised.value.response["Error"]["Code"] in {
        "403",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "InvalidAccessKeyId",
    }
