"""Thumbnails of evidence images: every allowed image type, within the box, upright, transparency on white; anything
else, damaged or too large, is None rather than an error."""

import io

import pytest
from PIL import Image

from resolution_app.infra.thumbnails import BOX, MAX_DECODED_PIXELS, thumbnail_jpeg


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _in_chunks(data: bytes, size: int = 1000) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def _opened(jpeg: bytes | None) -> Image.Image:
    assert jpeg is not None
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    return image


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_every_evidence_image_type_becomes_a_jpeg_within_the_box(fmt):
    data = _encoded(Image.new("RGB", (2000, 1000), "red"), fmt)
    thumbnail = _opened(thumbnail_jpeg(_in_chunks(data)))
    assert thumbnail.size == (BOX[0], BOX[0] // 2)  # proportions kept
    red, green, blue = thumbnail.getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60


def test_a_small_image_is_not_enlarged():
    assert _opened(thumbnail_jpeg([_encoded(Image.new("RGB", (40, 30), "blue"), "PNG")])).size == (40, 30)


@pytest.mark.parametrize(("mode", "fmt"), [("RGBA", "PNG"), ("LA", "PNG"), ("RGBA", "WEBP")])
def test_transparency_is_laid_on_white(mode, fmt):
    transparent = Image.new(mode, (50, 50), (0, 0) if mode == "LA" else (0, 0, 0, 0))
    assert _opened(thumbnail_jpeg([_encoded(transparent, fmt)])).getpixel((25, 25)) == (255, 255, 255)


def test_a_gifs_transparent_colour_is_white_too_and_an_animation_gives_its_first_frame():
    first = Image.new("P", (60, 40), 0)
    first.putpalette([0, 0, 0, 0, 255, 0] + [0] * 762)
    second = Image.new("P", (60, 40), 1)
    second.putpalette([0, 0, 0, 0, 255, 0] + [0] * 762)
    data = _encoded(first, "GIF", save_all=True, append_images=[second], transparency=1)
    assert _opened(thumbnail_jpeg([data])).getpixel((5, 5)) == (0, 0, 0)  # the first frame: colour 0, black

    single = _encoded(Image.new("P", (60, 40), 0), "GIF", transparency=0)
    assert _opened(thumbnail_jpeg([single])).getpixel((5, 5)) == (255, 255, 255)


def test_a_photo_is_turned_the_way_its_camera_says():
    photo = Image.new("RGB", (300, 100), "green")
    exif = photo.getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    assert _opened(thumbnail_jpeg([_encoded(photo, "JPEG", exif=exif)])).size == (100, 300)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.4 not an image",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,  # a PNG signature and nothing sound after it
        _encoded(Image.new("RGB", (400, 400), "red"), "JPEG")[:300],  # cut off
        _encoded(Image.new("RGB", (10, 10)), "BMP"),  # a real image, but no evidence type
    ],
    ids=["empty", "pdf", "broken-png", "truncated-jpeg", "bmp"],
)
def test_anything_that_is_no_sound_evidence_image_is_none(data):
    assert thumbnail_jpeg([data]) is None


def test_an_image_past_the_pixel_cap_is_not_decoded_but_a_large_jpeg_is_at_a_reduced_scale():
    side = int(MAX_DECODED_PIXELS**0.5) + 100
    assert thumbnail_jpeg([_encoded(Image.new("1", (side, side), 1), "PNG")]) is None
    big_photo = _encoded(Image.new("RGB", (side, side), "orange"), "JPEG")  # decoded at 1/8: well under the cap
    assert _opened(thumbnail_jpeg(_in_chunks(big_photo, 1 << 20))).size == (BOX[1], BOX[1])  # square, in the box
