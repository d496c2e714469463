"""Small, real file headers for the sniffing and intake tests, built byte by byte so each one is explained."""

import hashlib
import struct
import zlib

MB = 1024 * 1024


def png_bytes() -> bytes:
    """A complete, valid 1x1 black PNG: signature, IHDR, IDAT, IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # width, height, 8-bit greyscale, no interlace
    pixels = zlib.compress(b"\x00\x00")  # one scanline: filter type 0, one black pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """Start of image, a JFIF APP0 segment, end of image."""
    app0 = b"JFIF\x00" + bytes([1, 1, 0]) + struct.pack(">HH", 1, 1) + bytes([0, 0])
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def gif_bytes() -> bytes:
    """The classic 43-byte transparent 1x1 GIF89a."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
        b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp_bytes() -> bytes:
    """A RIFF container of form WEBP holding one lossless (VP8L) 1x1 image chunk."""
    vp8l = b"\x2f" + struct.pack("<I", 0) + b"\x00\x00\x00\x00"  # signature, 14-bit width-1 and height-1 = 0
    body = b"WEBP" + b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
    return b"RIFF" + struct.pack("<I", len(body)) + body


def pdf_bytes() -> bytes:
    """A minimal one-page PDF."""
    return (
        b"%PDF-1.4\n"
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def iso_media_bytes(major: bytes, compatible: list[bytes], minor: int = 0) -> bytes:
    """An ISO base media file start (MP4, MOV, HEIC...): an ftyp box naming its brands, then an empty mdat box."""
    ftyp_body = major + struct.pack(">I", minor) + b"".join(compatible)
    ftyp = struct.pack(">I", 8 + len(ftyp_body)) + b"ftyp" + ftyp_body
    return ftyp + struct.pack(">I", 8) + b"mdat"


def mp4_bytes() -> bytes:
    return iso_media_bytes(b"isom", [b"isom", b"iso2", b"avc1", b"mp41"], minor=0x200)


def mov_bytes() -> bytes:
    """What an iPhone's .MOV starts with: brand 'qt  '."""
    return iso_media_bytes(b"qt  ", [b"qt  "], minor=0x20050300)


def heic_bytes() -> bytes:
    return iso_media_bytes(b"heic", [b"mif1", b"heic"])


def _ebml(element_id: bytes, payload: bytes) -> bytes:
    assert len(payload) < 127
    return element_id + bytes([0x80 | len(payload)]) + payload  # one-byte EBML size


def ebml_bytes(doc_type: bytes) -> bytes:
    """An EBML header as Matroska-family files start, with the given DocType ('webm' or 'matroska')."""
    header = b"".join(
        [
            _ebml(b"\x42\x86", b"\x01"),  # EBMLVersion 1
            _ebml(b"\x42\xf7", b"\x01"),  # EBMLReadVersion 1
            _ebml(b"\x42\xf2", b"\x04"),  # EBMLMaxIDLength 4
            _ebml(b"\x42\xf3", b"\x08"),  # EBMLMaxSizeLength 8
            _ebml(b"\x42\x82", doc_type),  # DocType
            _ebml(b"\x42\x87", b"\x04"),  # DocTypeVersion
            _ebml(b"\x42\x85", b"\x02"),  # DocTypeReadVersion
        ]
    )
    segment_start = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"  # Segment of unknown size
    return _ebml(b"\x1a\x45\xdf\xa3", header) + segment_start


def webm_bytes() -> bytes:
    return ebml_bytes(b"webm")


def exe_bytes() -> bytes:
    """A Windows PE start: the MZ DOS header pointing (e_lfanew at 0x3C) to a PE signature at 0x80."""
    dos_header = b"MZ" + b"\x90\x00" + b"\x00" * 56
    dos_header = dos_header[:0x3C] + struct.pack("<I", 0x80)
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    body = (dos_header + stub).ljust(0x80, b"\x00")
    return body + b"PE\x00\x00" + struct.pack("<H", 0x8664) + b"\x00" * 64


def zip_bytes() -> bytes:
    return b"PK\x03\x04" + b"\x14\x00" + b"\x00" * 24 + b"evil.exe"


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 57


ALLOWED_SAMPLES: dict[str, tuple[bytes, str]] = {
    "png": (png_bytes(), "image/png"),
    "jpeg": (jpeg_bytes(), "image/jpeg"),
    "gif": (gif_bytes(), "image/gif"),
    "webp": (webp_bytes(), "image/webp"),
    "pdf": (pdf_bytes(), "application/pdf"),
    "mp4": (mp4_bytes(), "video/mp4"),
    "mov": (mov_bytes(), "video/quicktime"),
    "webm": (webm_bytes(), "video/webm"),
}

REFUSED_SAMPLES: dict[str, bytes] = {
    "windows exe": exe_bytes(),
    "zip": zip_bytes(),
    "elf": elf_bytes(),
    "matroska (not webm)": ebml_bytes(b"matroska"),
    "heic (ftyp, not mp4)": heic_bytes(),
    "html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "plain text": b"just some text that claims to be a picture",
    "empty": b"",
    "png signature cut short": b"\x89PN",
}


class GeneratedStream:
    """A read-only file object producing `size` deterministic bytes without ever holding them all.

    Every byte depends on its position, so a store that reordered, skipped or repeated chunks would
    produce a different sha256.
    """

    BLOCK = 64 * 1024

    def __init__(self, size: int) -> None:
        self.size = size
        self.position = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        remaining = self.size - self.position
        wanted = remaining if size is None or size < 0 else min(size, remaining)
        pieces = []
        while wanted > 0:
            block_index, offset = divmod(self.position, self.BLOCK)
            piece = self._block(block_index)[offset : offset + wanted]
            pieces.append(piece)
            self.position += len(piece)
            wanted -= len(piece)
        return b"".join(pieces)

    def _block(self, index: int) -> bytes:
        seed = hashlib.sha256(index.to_bytes(8, "big")).digest()
        return seed * (self.BLOCK // len(seed))

    @classmethod
    def expected_sha256(cls, size: int) -> str:
        digest = hashlib.sha256()
        stream = cls(size)
        while chunk := stream.read(MB):
            digest.update(chunk)
        return digest.hexdigest()
