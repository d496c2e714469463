"""Small JPEG previews of stored evidence images, made with Pillow in bounded memory.

The stored bytes are spooled (to disk past a megabyte), never held whole; a JPEG is decoded at a reduced scale
(`draft`), and any image whose decoded size would pass MAX_DECODED_PIXELS is refused before a pixel is decoded,
so a small file that unpacks to gigabytes (a decompression bomb) costs nothing.
"""

import io
import logging
import tempfile
from collections.abc import Iterable

from PIL import Image, ImageOps

BOX = (480, 360)  # pixels: sharp enough at the PDF's 240 x 180 pt
MAX_DECODED_PIXELS = 25_000_000  # e.g. 6000 x 4000: at most ~100 MB decoded (RGBA), one image at a time
SPOOL_BYTES = 1024 * 1024
JPEG_QUALITY = 80
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")  # the evidence types; Pillow tries no other decoder
log = logging.getLogger(__name__)


def thumbnail_jpeg(chunks: Iterable[bytes]) -> bytes | None:
    """The image as a JPEG fitting BOX (first frame of an animation, transparency on white, EXIF rotation
    applied), or None when it is no image Pillow can decode within the limits."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        for chunk in chunks:
            spool.write(chunk)
        spool.seek(0)
        try:
            return _thumbnail(spool)
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
            log.info("No thumbnail: %s", error)  # a damaged or hostile file is listed without a preview
            return None


def _thumbnail(stream: io.IOBase) -> bytes | None:
    # Opening reads the header only. Pillow refuses past twice its MAX_IMAGE_PIXELS (DecompressionBombError) and
    # only warns below that; the check after `draft` is the tighter one, and lets a big JPEG through at its
    # reduced scale.
    with Image.open(stream, formats=_FORMATS) as image:
        image.draft("RGB", BOX)  # JPEG: decode at 1/2 to 1/8 scale; other formats ignore it
        if image.width * image.height > MAX_DECODED_PIXELS:
            log.info("No thumbnail: %s x %s pixels is over the limit", image.width, image.height)
            return None
        image.thumbnail(BOX)  # loads (the first frame) and shrinks
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        _on_white(upright).save(out, "JPEG", quality=JPEG_QUALITY)
        return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid over white (JPEG has none, and black backgrounds hide dark text)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
