"""Checking and cleaning repair photos (R3).

A photo is judged by its content, not by its name or by what the browser
says it is: Pillow must recognise a complete JPEG within the size and pixel
limits. The stored file is a fresh JPEG encoding of the pixels, so EXIF
(with the GPS position of the phone), comments and anything hidden after the
image are gone; the EXIF orientation is applied first so the photo stands
the right way up.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.errors import DomainError
from repairs import rules

#: Every JPEG file starts with these bytes (SOI marker and the next marker's FF).
JPEG_START = b"\xff\xd8\xff"
FORMAT_NAMES = {"PNG": "PNG", "GIF": "GIF", "WEBP": "WebP", "BMP": "BMP", "TIFF": "TIFF", "HEIF": "HEIC"}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int


def _refuse(message) -> DomainError:
    return DomainError(message)


def _damaged(label) -> str:
    return _(
        "%(name)s is beschadigd of niet helemaal verstuurd. Maak de foto opnieuw of kies een andere."
    ) % {"name": label}


def clean_photo(upload, name: str = "") -> CleanPhoto:
    """Return the photo re-encoded as a plain JPEG, or raise DomainError with a Dutch message."""
    label = name or getattr(upload, "name", "") or _("de foto")
    size = getattr(upload, "size", None)
    if size is not None and size > rules.MAX_PHOTO_BYTES:
        raise _refuse(
            _(
                "%(name)s is te groot. Een foto mag hoogstens %(mb)s MB zijn. "
                "Maak de foto kleiner en probeer het opnieuw."
            )
            % {"name": label, "mb": rules.MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read(rules.MAX_PHOTO_BYTES + 1)
    if len(data) > rules.MAX_PHOTO_BYTES:
        raise _refuse(
            _(
                "%(name)s is te groot. Een foto mag hoogstens %(mb)s MB zijn. "
                "Maak de foto kleiner en probeer het opnieuw."
            )
            % {"name": label, "mb": rules.MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    if data[:5] == b"%PDF-":
        raise _refuse(
            _("%(name)s is een PDF. U kunt alleen een foto in JPG-formaat toevoegen, geen PDF.")
            % {"name": label}
        )
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise _refuse(
            _("%(name)s heeft te veel pixels. Maak de foto kleiner en probeer het opnieuw.") % {"name": label}
        ) from None
    except (UnidentifiedImageError, OSError, ValueError):
        if data[:3] == JPEG_START:
            # A JPEG cut off in its header: telling the tenant to send a JPG would puzzle them.
            raise _refuse(_damaged(label)) from None
        raise _refuse(
            _("%(name)s is geen foto die wij kunnen lezen. U kunt alleen een foto in JPG-formaat toevoegen.")
            % {"name": label}
        ) from None
    if image.format != "JPEG":
        kind = FORMAT_NAMES.get(image.format or "", image.format or "")
        raise _refuse(
            _("%(name)s is een %(kind)s-bestand. U kunt alleen een foto in JPG-formaat toevoegen.")
            % {"name": label, "kind": kind}
        )
    width, height = image.size
    if width * height > rules.MAX_PHOTO_PIXELS:
        raise _refuse(
            _(
                "%(name)s heeft te veel pixels (%(width)s × %(height)s). "
                "Maak de foto kleiner en probeer het opnieuw."
            )
            % {"name": label, "width": width, "height": height}
        )
    try:
        image.load()
    except (OSError, ValueError, SyntaxError):
        raise _refuse(_damaged(label)) from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((rules.MAX_PHOTO_SIDE, rules.MAX_PHOTO_SIDE))
    out = io.BytesIO()
    # No exif=, no icc_profile=, no comment=: the new file carries only pixels.
    image.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), image.width, image.height)
