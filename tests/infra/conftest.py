"""A real SeaweedFS for the S3 tests, started once per session.

If `weed` is missing or will not start, every test that needs it errors with weed's own log tail:
these tests fail loudly, they never skip.
"""

import secrets
import time
from collections.abc import Iterator

import pytest

from resolution_app.infra.seaweed import pick_free_s3_port, running_seaweed


@pytest.fixture(scope="session")
def seaweed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("seaweed")
    # Random keys for each run prove the credentials really flow from the server config to the client.
    access_key, secret_key = f"test-{secrets.token_hex(6)}", secrets.token_urlsafe(24)
    started = time.monotonic()
    with running_seaweed(data_dir, pick_free_s3_port(), access_key=access_key, secret_key=secret_key) as url:
        print(f"\nSeaweedFS ready in {time.monotonic() - started:.1f}s")
        yield url
