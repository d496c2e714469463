"""The HTTP routes never hold up the event loop: a hung store makes health say so within seconds while other
requests are served, and a file gone from storage is a 404 with a message, not a 500."""

import asyncio
import socket
import time

import boto3
import httpx
from botocore.config import Config

from resolution_app.api.routes import HEALTH_TIMEOUT_SECONDS, api
from resolution_app.domain.enums import Party, PaymentMethod
from resolution_app.infra.storage import S3Store
from resolution_app.services import files
from resolution_app.services.cases import case_views, claims
from resolution_app.services.files import FILE_MISSING
from tests.services.factories import DESCRIPTION, png


def _silent_s3() -> socket.socket:
    """An 'S3 endpoint' that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener


async def _get_both(first: str, second: str) -> tuple[tuple[httpx.Response, float], tuple[httpx.Response, float]]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://app") as client:

        async def timed(path: str, delay: float = 0.0) -> tuple[httpx.Response, float]:
            await asyncio.sleep(delay)
            started = time.monotonic()
            response = await client.get(path)
            return response, time.monotonic() - started

        return await asyncio.gather(timed(first), timed(second, delay=0.2))


def _hung_store(port: int) -> S3Store:
    # Short client timeouts only so the hung thread ends soon after the test (the route does not wait for it).
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="k",
        aws_secret_access_key="s",
        config=Config(connect_timeout=1, read_timeout=HEALTH_TIMEOUT_SECONDS + 1, retries={"max_attempts": 1}),
    )
    return S3Store("evidence", client)


def test_a_hung_store_is_unhealthy_within_seconds_while_other_requests_are_served(database):
    listener = _silent_s3()
    files.use_store(_hung_store(listener.getsockname()[1]))
    try:
        (health, health_took), (other, other_took) = asyncio.run(_get_both("/api/health", "/api/files/not-a-link"))
    finally:
        files.use_store(None)
        listener.close()
    assert health.status_code == 503
    assert health.json()["problems"] == [f"storage: no answer within {HEALTH_TIMEOUT_SECONDS:g} s"]
    assert health_took < HEALTH_TIMEOUT_SECONDS + 1
    assert other.status_code == 404 and other_took < 0.5  # served while health waited on the store


def test_a_healthy_app_says_so(database, store):
    (health, _), (_, _) = asyncio.run(_get_both("/api/health", "/api/health"))
    body = health.json()
    assert (health.status_code, body["ok"], body["problems"]) == (200, True, [])
    assert body["figures"] == {"oldest_due_job_seconds": 0.0}


def test_a_file_gone_from_storage_is_a_404_with_a_message(world, store):
    payment = world.payment("buyer@example.com", PaymentMethod.CARD, 1900)
    case_id = claims.open_claim(world.buyer, payment.id, "not_as_described", DESCRIPTION, [png()])
    link = case_views.case_detail(world.buyer, case_id, Party.BUYER).thread[0].files[0].url
    for stored in store.root.rglob("*"):
        if stored.is_file():
            stored.unlink()  # lost by the store, or removed by hand
    (response, _), _ = asyncio.run(_get_both(link[link.index("/api/") :], "/api/health"))
    assert (response.status_code, response.text) == (404, FILE_MISSING)
