"""Content types come from the bytes: real headers of each allowed kind pass, everything else is None."""

import pytest

from resolution_app.infra.sniff import HEAD_BYTES, detect_content_type

from .samples import ALLOWED_SAMPLES, REFUSED_SAMPLES, exe_bytes, iso_media_bytes, mov_bytes, mp4_bytes, webm_bytes


@pytest.mark.parametrize(("head", "content_type"), ALLOWED_SAMPLES.values(), ids=ALLOWED_SAMPLES.keys())
def test_each_allowed_kind_is_recognised(head: bytes, content_type: str) -> None:
    assert detect_content_type(head) == content_type


@pytest.mark.parametrize("head", REFUSED_SAMPLES.values(), ids=REFUSED_SAMPLES.keys())
def test_other_kinds_are_not_recognised(head: bytes) -> None:
    assert detect_content_type(head) is None


def test_a_windows_executable_is_refused_whatever_it_is_called() -> None:
    # The name never reaches the sniffer; only the MZ header does.
    assert exe_bytes().startswith(b"MZ")
    assert detect_content_type(exe_bytes()) is None


def test_quicktime_and_mp4_are_told_apart() -> None:
    assert detect_content_type(mov_bytes()) == "video/quicktime"
    assert detect_content_type(mp4_bytes()) == "video/mp4"
    assert detect_content_type(webm_bytes()) == "video/webm"


@pytest.mark.parametrize("brand", [b"mp42", b"mp41", b"isom"])
def test_common_mp4_brands_are_mp4(brand: bytes) -> None:
    assert detect_content_type(iso_media_bytes(brand, [brand])) == "video/mp4"


def test_an_executable_with_an_image_header_glued_later_is_still_refused() -> None:
    # Magic bytes are checked at the start of the file, not anywhere in it.
    assert detect_content_type(exe_bytes() + ALLOWED_SAMPLES["png"][0]) is None


def test_only_the_head_matters() -> None:
    png = ALLOWED_SAMPLES["png"][0]
    assert detect_content_type(png + b"\x00" * (HEAD_BYTES * 4)) == "image/png"
    assert HEAD_BYTES >= 8192  # filetype's own look-ahead
