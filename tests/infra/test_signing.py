"""Signed download tokens: genuine ones round-trip; altered, foreign or expired ones are refused."""

import base64
from datetime import UTC, datetime, timedelta

import pytest

from resolution_app.infra.signing import BadSignature, SignatureExpired, sign, verify

SECRET = "test-secret-0123456789"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PAYLOAD = "attachment:42:user:7"


def _token(payload: str = PAYLOAD, ttl: timedelta = timedelta(minutes=5)) -> str:
    return sign(payload, SECRET, NOW + ttl)


def test_round_trip() -> None:
    assert verify(_token(), SECRET, NOW) == PAYLOAD


def test_round_trip_keeps_unusual_payloads_intact() -> None:
    payload = "attachment:1:user:2:…:ünïcode.and.dots"
    assert verify(_token(payload), SECRET, NOW) == payload


def test_valid_until_just_before_expiry() -> None:
    assert verify(_token(), SECRET, NOW + timedelta(minutes=5) - timedelta(seconds=1)) == PAYLOAD


@pytest.mark.parametrize("after", [timedelta(minutes=5), timedelta(days=1)])
def test_expired_token_is_refused(after: timedelta) -> None:
    with pytest.raises(SignatureExpired):
        verify(_token(), SECRET, NOW + after)


def test_expired_is_a_bad_signature_for_callers_that_only_care_about_valid_or_not() -> None:
    assert issubclass(SignatureExpired, BadSignature)


def test_tampered_payload_is_refused() -> None:
    token = _token()
    forged_payload = base64.urlsafe_b64encode(b"attachment:43:user:7").rstrip(b"=").decode()
    forged = forged_payload + token[token.index(".") :]
    with pytest.raises(BadSignature):
        verify(forged, SECRET, NOW)


def test_extended_expiry_is_refused() -> None:
    payload, expiry, mac = _token().split(".")
    forged = f"{payload}.{int(expiry) + 86400}.{mac}"
    with pytest.raises(BadSignature) as raised:
        verify(forged, SECRET, NOW + timedelta(hours=1))
    assert not isinstance(raised.value, SignatureExpired)


def test_flipped_mac_character_is_refused() -> None:
    token = _token()
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(BadSignature):
        verify(flipped, SECRET, NOW)


def test_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(BadSignature):
        verify(sign(PAYLOAD, "another-secret", NOW + timedelta(minutes=5)), SECRET, NOW)


@pytest.mark.parametrize("token", ["", ".", "..", "abc", "a.b.c", "a.123", "a.-5.c", "a.12.34.x"])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(BadSignature):
        verify(token, SECRET, NOW)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sign(PAYLOAD, SECRET, datetime(2026, 3, 1, 12, 5))
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(_token(), SECRET, datetime(2026, 3, 1, 12, 0))


def test_an_empty_secret_is_rejected() -> None:
    with pytest.raises(ValueError):
        sign(PAYLOAD, "", NOW + timedelta(minutes=5))


def test_token_is_url_safe() -> None:
    assert set(_token()) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
