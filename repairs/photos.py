"""Checking and cleaning repair photos (R3).

A photo is judged by its content, not by its name or by what the browser
says it is: `portal.uploads.check` must recognise a complete JPEG within the
size and pixel limits below. The stored file is a fresh JPEG encoding of the
pixels, so EXIF (with the GPS position of the phone), comments and anything
hidden after the image are gone; the EXIF orientation is applied first so
the photo stands the right way up. The messages speak of photos and JPG,
since that is all a reporter may add.
"""

from django.utils.translation import gettext_lazy as _

from portal import uploads
from repairs import rules

MESSAGES = {
    "too_big": _(
        "%(name)s is te groot. Een foto mag hoogstens %(mb)s MB zijn. "
        "Maak de foto kleiner en probeer het opnieuw."
    ),
    "pdf": _("%(name)s is een PDF. U kunt alleen een foto in JPG-formaat toevoegen, geen PDF."),
    "other_kind": _("%(name)s is een %(kind)s-bestand. U kunt alleen een foto in JPG-formaat toevoegen."),
    "unreadable": _(
        "%(name)s is geen foto die wij kunnen lezen. U kunt alleen een foto in JPG-formaat toevoegen."
    ),
    "damaged": _(
        "%(name)s is beschadigd of niet helemaal verstuurd. Maak de foto opnieuw of kies een andere."
    ),
    "pixels": _(
        "%(name)s heeft te veel pixels (%(width)s × %(height)s). Maak de foto kleiner en probeer het opnieuw."
    ),
    "bomb": _("%(name)s heeft te veel pixels. Maak de foto kleiner en probeer het opnieuw."),
    "budget": _(
        "%(name)s is niet toegevoegd: u heeft in één keer te veel grote foto's gestuurd. "
        "Voeg deze foto opnieuw toe."
    ),
}


def photo_policy() -> uploads.Policy:
    """Asked at each check, so the limits follow `repairs.rules`."""
    return uploads.Policy(
        kinds=(uploads.JPEG,),
        max_bytes=rules.MAX_PHOTO_BYTES,
        max_pixels=rules.MAX_PHOTO_PIXELS,
        max_side=rules.MAX_PHOTO_SIDE,
        messages=MESSAGES,
    )


def clean_photo(upload, name: str = "") -> uploads.CheckedFile:
    """Return the photo re-encoded as a plain JPEG, or raise DomainError with a Dutch message."""
    return uploads.check(upload, photo_policy, label=name or getattr(upload, "name", "") or str(_("de foto")))
