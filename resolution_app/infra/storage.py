"""Evidence storage: one small interface, a local-folder backend and an S3 backend.

Objects are addressed by random keys the store mints itself, so no user input ever reaches a
path or an object name. Both backends stream: a 50 MB upload never sits in memory whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

CHUNK_BYTES = 1024 * 1024
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]: 256 bits, so keys never collide or get guessed.
KEY_BYTES = 32
_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_TEMP_PREFIX = ".incoming-"


class StorageError(Exception):
    """The storage backend could not do what was asked."""


class KeyNotFound(StorageError):
    """No object is stored under this key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"No stored object with key {key!r}.")
        self.key = key


class InvalidKey(StorageError, ValueError):
    """The key is not one this store could have minted (guards against path tricks like '../x')."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    sha256: str


class EvidenceStore(Protocol):
    def put(self, stream: BinaryIO, content_type: str) -> StoredObject:
        """Store the stream's bytes (read from its current position) under a new random key."""
        ...

    def open(self, key: str) -> Iterator[bytes]:
        """Chunks of the object; raises KeyNotFound at once (not on first iteration) when it is missing."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...

    def exists(self, key: str) -> bool: ...


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def check_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY_PATTERN.fullmatch(key):
        raise InvalidKey(f"Not a valid storage key: {key!r}.")
    return key


class _HashingReader:
    """Wraps a stream to count and hash the bytes as a consumer pulls them through.

    It deliberately has no seek(): boto3 then reads it strictly in order, once, which is what
    keeps the running hash right and the memory bounded.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read() if size is None or size < 0 else self._read_full(size)
        self._digest.update(data)
        self.size += len(data)
        return data

    def _read_full(self, size: int) -> bytes:
        # Raw streams may return less than asked before the end; S3 refuses parts under 5 MiB except the last.
        data = self._stream.read(size)
        if not data or len(data) == size:
            return data
        pieces = [data]
        missing = size - len(data)
        while missing and (more := self._stream.read(missing)):
            pieces.append(more)
            missing -= len(more)
        return b"".join(pieces)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _chunks(stream: _Readable, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    while chunk := stream.read(chunk_bytes):
        yield chunk


# --- Local folder -------------------------------------------------------------------------------------------------


class LocalStore:
    """Objects as files in one folder, named by their key."""

    def __init__(self, root: Path | str = Path("uploads")) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        # The key pattern has no '/', '\\' or '.', so the result is always a direct child of root.
        return self.root / check_key(key)

    def put(self, stream: BinaryIO, content_type: str) -> StoredObject:
        # content_type is not kept here: the database row that references the key records it.
        key = new_key()
        reader = _HashingReader(stream)
        temp_path = self._write_temp(reader)
        try:
            os.replace(temp_path, self._path(key))
        except BaseException:
            temp_path.unlink(missing_ok=True)
            raise
        return StoredObject(key=key, size=reader.size, sha256=reader.sha256)

    def _write_temp(self, reader: _HashingReader) -> Path:
        # A temp file in the same folder, renamed into place only when complete: readers never see half a file.
        descriptor, name = tempfile.mkstemp(dir=self.root, prefix=_TEMP_PREFIX)
        temp_path = Path(name)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in _chunks(reader):
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            temp_path.unlink(missing_ok=True)
            raise
        return temp_path

    def open(self, key: str) -> Iterator[bytes]:
        try:
            handle = self._path(key).open("rb")
        except FileNotFoundError:
            raise KeyNotFound(key) from None
        return _close_after(handle)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


def _close_after(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        yield from _chunks(handle)


# --- S3 -----------------------------------------------------------------------------------------------------------

# upload_fileobj buffers each part it reads from a stream in memory, up to max_in_memory_upload_chunks of them, plus
# the one being read. Two parts in flight while the next is read and hashed: 3-12% under boto3's default transfer
# (ten parts at once) to the same SeaweedFS, where one part after another was 12-23% under it (bench/uploads.py), and
# memory stays at about three parts (16 MiB) however big the file. 5 MiB is the smallest part S3 takes.
_S3_PART_BYTES = 5 * 1024 * 1024
_S3_PARTS_IN_FLIGHT = 2
_MISSING_CODES = frozenset({"NoSuchKey", "NoSuchBucket", "404", "NotFound"})


def _transfer_config() -> TransferConfig:
    config = TransferConfig(
        multipart_threshold=_S3_PART_BYTES,
        multipart_chunksize=_S3_PART_BYTES,
        max_concurrency=_S3_PARTS_IN_FLIGHT,
        preferred_transfer_client="classic",
    )
    config.max_in_memory_upload_chunks = _S3_PARTS_IN_FLIGHT  # s3transfer's own setting; boto3's config has no alias
    return config


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class S3Store:
    """Objects in one S3 bucket (AWS, SeaweedFS, MinIO, R2...), named by their key."""

    def __init__(self, bucket: str, client: Any) -> None:
        self.bucket = bucket
        self._client = client
        self._transfer_config = _transfer_config()
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3Store(bucket={self.bucket!r}, endpoint={self._client.meta.endpoint_url!r})"

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing. put() calls it once, so start-up never needs S3 to be up."""
        with self._bucket_lock:
            if self._bucket_ready:
                return
            if not self._bucket_exists():
                self._create_bucket()
            self._bucket_ready = True

    def _bucket_exists(self) -> bool:
        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            if _error_code(error) in _MISSING_CODES:
                return False
            raise
        return True

    def _create_bucket(self) -> None:
        region = self._client.meta.region_name
        options: dict[str, Any] = {"Bucket": self.bucket}
        if region and region != "us-east-1":  # AWS refuses an explicit us-east-1 location constraint
            options["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            self._client.create_bucket(**options)
        except ClientError as error:
            # Another worker may have created it between our check and our create.
            if _error_code(error) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise

    def put(self, stream: BinaryIO, content_type: str) -> StoredObject:
        self.ensure_bucket()
        key = new_key()
        reader = _HashingReader(stream)
        # upload_fileobj switches to a multipart upload above one part and aborts it itself on failure.
        self._client.upload_fileobj(
            reader,
            self.bucket,
            key,
            ExtraArgs={"ContentType": content_type},
            Config=self._transfer_config,
        )
        return StoredObject(key=key, size=reader.size, sha256=reader.sha256)

    def open(self, key: str) -> Iterator[bytes]:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _error_code(error) in _MISSING_CODES:
                raise KeyNotFound(key) from None
            raise
        return _stream_body(response["Body"])

    def delete(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _error_code(error) not in _MISSING_CODES:  # a missing bucket holds nothing to delete
                raise

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _error_code(error) in _MISSING_CODES:
                return False
            raise
        return True


def _stream_body(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()


def s3_client(
    *, endpoint_url: str | None, region: str, access_key: str | None, secret_key: str | None
) -> Any:  # boto3 clients are generated at runtime, so there is no static type to name here
    config = Config(
        signature_version="s3v4",
        # Path-style URLs work with every S3-compatible server; virtual hosts need DNS set up for each bucket.
        s3={"addressing_style": "path"},
        # A store that stops answering is reported within seconds, not minutes: two tries, each bounded.
        retries={"max_attempts": 2, "mode": "standard"},
        connect_timeout=3,
        read_timeout=20,
        # Checksums only where S3 demands them: several S3-compatible servers reject the newer default trailers.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    with _CLIENT_LOCK:
        return _shared_session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=config,
        )


# A new boto3 session costs ~0.1 s of model loading; a client from a shared one ~0.02 s. Sessions are not
# thread-safe (the clients they make are), hence the lock.
_CLIENT_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _shared_session() -> boto3.session.Session:
    return boto3.session.Session()


# --- Choosing a backend from STORAGE_URL --------------------------------------------------------------------------

_S3_QUERY_KEYS = frozenset({"endpoint", "region", "access_key", "secret_key"})
_BUCKET_PATTERN = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_URL_HELP = "use file:///absolute/folder, file://relative/folder or s3://bucket?endpoint=http://host:port&region=…"


def make_store(url: str) -> EvidenceStore:
    """Build the store STORAGE_URL names. Error messages never repeat the URL: it may hold a secret key."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "file":
        return _local_store_from_url(url)
    if scheme == "s3":
        return _s3_store_from_url(url)
    raise ValueError(f"Unsupported STORAGE_URL (scheme {scheme or 'missing'!r}): {_URL_HELP}.")


def _local_store_from_url(url: str) -> LocalStore:
    parts = urlsplit(url)
    # file:///abs/path has an empty host; file://uploads/sub puts the first segment in the host slot.
    folder = unquote(parts.netloc + parts.path)
    if not folder:
        raise ValueError(f"STORAGE_URL file:// needs a folder: {_URL_HELP}.")
    return LocalStore(Path(folder))


def _s3_store_from_url(url: str) -> S3Store:
    parts = urlsplit(url)
    bucket = parts.hostname or ""
    if not _BUCKET_PATTERN.fullmatch(bucket):
        raise ValueError(f"STORAGE_URL s3:// needs a valid bucket name (3-63 of a-z, 0-9, '.', '-'): {_URL_HELP}.")
    if parts.path not in ("", "/"):
        raise ValueError("STORAGE_URL s3:// takes a bucket only, no path after it.")
    query = _single_values(parts.query)
    region = query.get("region") or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    access_key, secret_key = _credentials(query)
    client = s3_client(
        endpoint_url=query.get("endpoint") or None, region=region, access_key=access_key, secret_key=secret_key
    )
    return S3Store(bucket, client)


def _single_values(query: str) -> dict[str, str]:
    values = parse_qs(query, keep_blank_values=True, strict_parsing=False)
    unknown = sorted(set(values) - _S3_QUERY_KEYS)
    if unknown:
        raise ValueError(f"STORAGE_URL has unknown parameters {unknown}; known: {sorted(_S3_QUERY_KEYS)}.")
    repeated = sorted(name for name, items in values.items() if len(items) > 1)
    if repeated:
        raise ValueError(f"STORAGE_URL repeats parameters {repeated}.")
    return {name: items[0] for name, items in values.items()}


def _credentials(query: dict[str, str]) -> tuple[str | None, str | None]:
    """Keys in the URL win over the environment; with neither, boto3's own chain (profiles, roles) applies."""
    if "access_key" in query or "secret_key" in query:
        access_key, secret_key = query.get("access_key"), query.get("secret_key")
    else:
        access_key, secret_key = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if bool(access_key) != bool(secret_key):
        raise ValueError("STORAGE_URL credentials need both access_key and secret_key (or neither).")
    return access_key or None, secret_key or None
