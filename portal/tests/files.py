"""Small real files for tests: images, PDFs, and the hostile ones the upload check must refuse."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


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


def huge_header_jpeg(side: int = 7745) -> bytes:
    """A JPEG of a few hundred bytes whose header claims side × side pixels.

    libjpeg decodes all of them (filling in what the data lacks) without an error.
    """
    data = bytearray(jpeg_bytes(size=(16, 16)))
    frame = data.find(b"\xff\xc0")  # start of frame: length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = side.to_bytes(2, "big") * 2
    return bytes(data)


def upload(data: bytes, name: str = "bestand", content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
