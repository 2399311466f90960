"""Small real files for tests: images, PDFs, and the hostile ones the upload check must refuse."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, JpegImagePlugin


def jpeg_bytes(size=(64, 48), color="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def png_bytes(size=(40, 30), color="blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF as a scanner makes it: one page with one JPEG image on it."""
    out = io.BytesIO()
    Image.new("L", (60, 80), 255).save(out, format="PDF", resolution=72)
    return out.getvalue()


def pdf_from_objects(*objects: bytes, header: bytes = b"%PDF-1.4\n", tail: bytes = b"") -> bytes:
    """A PDF written by hand: object 1 is the catalog; the cross-reference table is computed."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out) + tail


def pdf_with_catalog(extra: bytes = b"", *more: bytes, header: bytes = b"%PDF-1.4\n") -> bytes:
    """A valid one-page PDF whose catalog carries `extra` (an /OpenAction, say)."""
    return pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *more,
        header=header,
    )


def pdf_html_polyglot() -> bytes:
    """A file that is a valid PDF and, to a browser that sniffs it, a web page with a script."""
    page = b"<html><body><script>fetch('/mijn/').then(r => r.text()).then(alert)</script></body></html>"
    return pdf_with_catalog(header=b"%PDF-1.4\n%" + page + b"\n")


def huge_header_jpeg(side: int = 7745, height: int | None = None) -> bytes:
    """A JPEG of a few hundred bytes whose header claims side × side (or side × height) pixels.

    libjpeg decodes all of them (filling in what the data lacks) without an error.
    """
    data = bytearray(jpeg_bytes(size=(16, 16)))
    frame = data.find(b"\xff\xc0")  # start of frame: length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = (height or side).to_bytes(2, "big") + side.to_bytes(2, "big")
    return bytes(data)


def huge_header_png(side: int = 7745) -> bytes:
    """A PNG of a few hundred bytes whose header (with a correct checksum) claims side × side pixels."""
    data = bytearray(png_bytes(size=(16, 16)))
    start = data.find(b"IHDR")  # type (4), width (4), height (4), ..., then the checksum of type and data
    data[start + 4 : start + 12] = struct.pack(">II", side, side)
    data[start + 17 : start + 21] = struct.pack(">I", zlib.crc32(bytes(data[start : start + 17])))
    return bytes(data)


def mpo_bytes(size=(64, 48)) -> bytes:
    """A multi-picture JPEG as cameras and Android's Ultra HDR photos make it: a red picture first,
    then a smaller blue one."""
    out = io.BytesIO()
    second = Image.new("RGB", (size[0] // 2, size[1] // 2), "blue")
    Image.new("RGB", size, "red").save(out, format="MPO", save_all=True, append_images=[second])
    return out.getvalue()


def record_drafts(monkeypatch) -> list:
    """The sizes JPEGs are set to be decoded at from now on (by `Image.draft`), in order.

    A draft asked for once the pixels are decoded (`Image.thumbnail` asks) changes nothing
    and is not counted.
    """
    sizes = []
    original = JpegImagePlugin.JpegImageFile.draft

    def draft(image, mode, size):
        result = original(image, mode, size)
        if result is not None:
            sizes.append(image.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    return sizes


def upload(data: bytes, name: str = "bestand", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
