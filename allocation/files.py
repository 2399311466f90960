"""What the allocation area accepts as files, checked by `portal.uploads`.

- A listing's photos: JPEG or PNG, shrunk to 2560 pixels, as the repair photos.
- A listing's floor plan: a drawing (JPEG or PNG, up to 4096 pixels, so that
  room sizes stay legible) or a PDF.
- A seeker's documents (A4: identity, income, payslip, landlord's
  statement): a PDF or a photo or scan of the paper (JPEG or PNG), shrunk to
  3508 pixels: an A4 page at 300 dpi, where small print still reads.

What an image may cost to decode is `portal.uploads`' to say
(`FULL_DECODE_PIXELS`): a larger JPEG is decoded at a reduced scale (a huge
floor plan is then kept a little under 4096 pixels), a larger PNG is refused.
"""

from django.utils.translation import gettext_lazy as _

from portal import uploads

MAX_DOCUMENT_BYTES = 10 * uploads.MB
MAX_DOCUMENT_PIXELS = 60_000_000
#: An A4 page scanned at 300 dpi is 2480 × 3508 pixels.
MAX_DOCUMENT_SIDE = 3508

LISTING_PHOTO = uploads.Policy(kinds=(uploads.JPEG, uploads.PNG), max_bytes=15 * uploads.MB, max_side=2560)
FLOOR_PLAN = uploads.Policy(
    kinds=(uploads.JPEG, uploads.PNG, uploads.PDF), max_bytes=15 * uploads.MB, max_side=4096
)

_DOCUMENT_KIND = _(
    "%(name)s kunnen wij niet lezen. U kunt alleen een PDF of een foto (JPG of PNG) toevoegen."
)
_DOCUMENT_PIXELS = _("%(name)s heeft te veel pixels. Maak de foto kleiner en probeer het opnieuw.")

DOCUMENT = uploads.Policy(
    kinds=(uploads.PDF, uploads.JPEG, uploads.PNG),
    max_bytes=MAX_DOCUMENT_BYTES,
    max_pixels=MAX_DOCUMENT_PIXELS,
    max_side=MAX_DOCUMENT_SIDE,
    jpeg_quality=90,
    messages={
        "too_big": _("%(name)s is te groot. Een document mag hoogstens %(mb)s MB zijn."),
        "unreadable": _DOCUMENT_KIND,
        "other_kind": _DOCUMENT_KIND,
        "damaged": _("%(name)s is beschadigd of niet helemaal verstuurd. Kies het bestand opnieuw."),
        "pixels": _DOCUMENT_PIXELS,
        "bomb": _DOCUMENT_PIXELS,
    },
)
