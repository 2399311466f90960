"""Uploaded files: judged by their content, stored under a name the portal chooses, served as what they are.

Every file that anyone uploads (a repair photo, a seeker's document, a
listing's photos and floor plan, and whatever comes next) goes through
`check`, and every model field that stores one is a `CheckedFileField`
(`portal.upload_fields`; a system check refuses any other file field). The
reasons:

- A browser acts on a file by its content type. Served with a type guessed
  from its name, an uploaded ``plan.html`` runs script on the portal's
  origin. So the type of a stored file is what the check found in its bytes,
  never what its name or the browser said.
- A name is the uploader's to choose: a right-to-left override makes
  "\u202egpj.exe" read as "exe.jpg". Files are stored under a random name
  with the extension of the kind found, and names shown to people lose
  their control and bidi characters (`display_name`).
- Decoding costs time and memory: a 633-byte JPEG may claim 7745 × 7745
  pixels (60 megapixels, 180 MB once decoded). The header's dimensions are
  checked before anything is decoded; a JPEG is decoded at 1/2, 1/4 or 1/8
  scale whenever that still covers the size it is stored at
  (`Image.draft`); no image is decoded at more than `FULL_DECODE_PIXELS`
  (a PNG, which has no reduced scale, above it is refused); and one request
  may decode at most `PIXELS_PER_REQUEST` pixels in all.

The kinds: JPEG and PNG, re-encoded by Pillow so that only the pixels
remain (EXIF with the phone's GPS position, comments, anything appended),
and PDF, which is kept as sent after a structural check with pypdf and
refused when it carries HTML or script markup, JavaScript or other active
content (launch actions, forms that send data, embedded files).
"""

import contextlib
import contextvars
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from uuid import uuid4

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from portal.errors import DomainError

MB = 1024 * 1024

#: What one request may decode, counted in pixels of the images' headers: five photos of the largest
#: size a form accepts (60 megapixels). A report with five phone photos needs a fifth of it.
PIXELS_PER_REQUEST = 300_000_000

#: The most pixels one image is decoded at. A JPEG larger than that is decoded at a reduced scale
#: (libjpeg's 1/2, 1/4 or 1/8), even when the result is then a little smaller than the size the
#: policy stores; a PNG has no reduced scale, so a PNG above it is refused. 25 megapixels is what a
#: real upload needs: a 24-megapixel camera's photo (6000 × 4000), an A4 page scanned at 400 dpi
#: (15.5 MP) or an A3 plan at 300 dpi (17.4 MP). A PNG of 250 KB that holds 60 megapixels took more
#: than a second and over 200 MB to decode; a JPEG claiming that many, half a second and 400 MB.
FULL_DECODE_PIXELS = 25_000_000


@dataclass(frozen=True)
class Kind:
    """A kind of file the portal accepts."""

    name: str
    label: str  # shown to people
    content_type: str
    extension: str
    image: bool
    pillow_format: str = ""


JPEG = Kind("jpeg", "JPG", "image/jpeg", "jpg", True, "JPEG")
PNG = Kind("png", "PNG", "image/png", "png", True, "PNG")
PDF = Kind("pdf", "PDF", "application/pdf", "pdf", False)

#: The kind of what Pillow read. A multi-picture JPEG (many cameras, Android's Ultra HDR photos: a
#: JPEG with more pictures after it) is opened by Pillow's JPEG reader but named "MPO": it is a JPEG,
#: and only its first picture is kept.
READ_AS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}

#: How Pillow's formats are named to people when we do not take them.
FORMAT_NAMES = {"GIF": "GIF", "WEBP": "WebP", "BMP": "BMP", "TIFF": "TIFF", "HEIF": "HEIC", "ICO": "ICO"}

MESSAGES = {
    "too_big": _("%(name)s is te groot. Een bestand mag hoogstens %(mb)s MB zijn."),
    "pdf": _("%(name)s is een PDF. Hier kunt u alleen deze soorten bestanden toevoegen: %(kinds)s."),
    "other_kind": _(
        "%(name)s is een %(kind)s-bestand. Hier kunt u alleen deze soorten bestanden toevoegen: %(kinds)s."
    ),
    "unreadable": _(
        "%(name)s kunnen wij niet lezen. Hier kunt u alleen deze soorten bestanden toevoegen: %(kinds)s."
    ),
    "damaged": _("%(name)s is beschadigd of niet helemaal verstuurd. Kies het bestand opnieuw."),
    "pixels": _(
        "%(name)s heeft te veel pixels (%(width)s × %(height)s). "
        "Maak de afbeelding kleiner en probeer het opnieuw."
    ),
    "bomb": _("%(name)s heeft te veel pixels. Maak de afbeelding kleiner en probeer het opnieuw."),
    "active": _(
        "%(name)s bevat een webpagina, een script of een ander actief onderdeel. Dat nemen wij niet aan. "
        "Maak er een gewone PDF van (bijvoorbeeld met ‘Afdrukken als PDF’) en probeer het opnieuw."
    ),
    "locked": _("%(name)s is beveiligd met een wachtwoord. Kies een PDF zonder wachtwoord."),
    "budget": _(
        "%(name)s is niet verwerkt: u heeft in één keer te veel grote afbeeldingen gestuurd. "
        "Voeg dit bestand opnieuw toe."
    ),
}


class UploadRefused(DomainError):
    """A file the check does not take; `message` says why in Dutch, `code` names the reason."""


@dataclass(frozen=True)
class Policy:
    """What one kind of upload accepts (a repair photo, a seeker's document, a floor plan).

    `messages` replaces the portal's default message for a refusal code; the
    messages may use %(name)s, %(mb)s, %(kinds)s, %(kind)s, %(width)s and %(height)s.
    """

    kinds: tuple[Kind, ...]
    max_bytes: int
    #: What an image's header may claim; a JPEG is decoded at a reduced scale where it can be.
    max_pixels: int = 60_000_000
    #: An image is shrunk to fit a square of this side; None keeps its size.
    max_side: int | None = None
    #: The most pixels an image is decoded at (see FULL_DECODE_PIXELS).
    max_decoded_pixels: int = FULL_DECODE_PIXELS
    jpeg_quality: int = 85
    messages: Mapping[str, object] = field(default_factory=dict)

    def refuse(self, code: str, label: str, **params) -> UploadRefused:
        message = self.messages.get(code) or MESSAGES[code]
        values = {
            "name": label,
            "mb": self.max_bytes // MB,
            "kinds": ", ".join(kind.label for kind in self.kinds),
            **params,
        }
        return UploadRefused(message % values, code=code)


PolicySource = Policy | Callable[[], Policy]


def resolve(policy: PolicySource) -> Policy:
    """A policy given as a function is asked each time, so its limits may follow settings or rules."""
    return policy() if callable(policy) else policy


class CheckedFile(ContentFile):
    """Content that passed `check` under `policy`: the bytes to store and what they are."""

    def __init__(self, content: bytes, kind: Kind, policy: Policy, width: int = 0, height: int = 0):
        super().__init__(content, name=portal_name(kind))
        self.content = content
        self.kind = kind
        self.policy = policy
        self.width = width
        self.height = height


def portal_name(kind: Kind) -> str:
    """A fresh random file name with the extension of the kind found, never one the uploader chose."""
    return f"{uuid4().hex}.{kind.extension}"


# --- names shown to people ------------------------------------------------------------------


def display_name(name, *, limit: int = 200, default: str = "") -> str:
    """The last part of an uploaded file's name, without control, format (bidi) or separator characters.

    Unicode category C covers the C0/C1 controls and the format characters, among them the
    right-to-left override (U+202E) that turns "\u202egpj.exe" into what reads as "exe.jpg".
    The end is kept when the name is too long, since that is where the extension is.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in "\u2028\u2029")
    text = " ".join(text.split())
    return text[-limit:] or default


# --- the decode budget of one request --------------------------------------------------------


class _Budget:
    def __init__(self, pixels: int):
        self.remaining = pixels


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("upload_budget", default=None)


@contextlib.contextmanager
def decode_budget(pixels: int = PIXELS_PER_REQUEST) -> Iterator[None]:
    """Let the code inside decode at most `pixels` pixels in all (the middleware wraps each request).

    Outside it there is no total: each image is still held to its policy's `max_pixels`.
    """
    token = _budget.set(_Budget(pixels))
    try:
        yield
    finally:
        _budget.reset(token)


def _spend(pixels: int, policy: Policy, label: str) -> None:
    budget = _budget.get()
    if budget is None:
        return
    if pixels > budget.remaining:
        raise policy.refuse("budget", label)
    budget.remaining -= pixels


# --- the check -------------------------------------------------------------------------------


def sniff(head: bytes) -> Kind | None:
    """The kind the first bytes announce (not yet proof that the rest is one)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def check(upload, policy: PolicySource, *, label: str = "") -> CheckedFile:
    """Return the upload as content the portal can store and serve, or raise UploadRefused (Dutch).

    An image comes back re-encoded (pixels only); a PDF comes back as sent.
    """
    policy = resolve(policy)
    if isinstance(upload, CheckedFile) and upload.policy == policy:
        return upload
    label = display_name(label or getattr(upload, "name", ""), default=str(_("het bestand")))
    size = getattr(upload, "size", None)
    if size is not None and size > policy.max_bytes:
        raise policy.refuse("too_big", label)
    upload.seek(0)
    data = upload.read(policy.max_bytes + 1)
    if len(data) > policy.max_bytes:
        raise policy.refuse("too_big", label)
    kind = sniff(data[:16])
    if kind is PDF:
        if PDF not in policy.kinds:
            raise policy.refuse("pdf", label)
        _check_pdf(data, policy, label)
        return CheckedFile(data, PDF, policy)
    return _check_image(data, kind, policy, label)


def _open_image(data: bytes, kind: Kind | None, policy: Policy, label: str) -> Image.Image:
    formats = [k.pillow_format for k in policy.kinds if k.image]
    try:
        return Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError:
        raise policy.refuse("bomb", label) from None
    except (UnidentifiedImageError, OSError, ValueError):
        pass
    if kind is not None and kind in policy.kinds and kind.image:
        # The first bytes say it is one we take, but the header is cut off: telling the person
        # which kinds we take would puzzle them.
        raise policy.refuse("damaged", label)
    try:
        # Only to name what it is in the message; nothing of it is decoded.
        other = Image.open(io.BytesIO(data)).format or ""
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        other = ""
    if other:
        raise policy.refuse("other_kind", label, kind=FORMAT_NAMES.get(other, other))
    raise policy.refuse("unreadable", label)


def _check_image(data: bytes, sniffed: Kind | None, policy: Policy, label: str) -> CheckedFile:
    image = _open_image(data, sniffed, policy, label)
    kind = READ_AS.get(image.format)
    if kind not in policy.kinds:
        raise policy.refuse("other_kind", label, kind=FORMAT_NAMES.get(image.format, image.format))
    width, height = image.size
    # The header's word, before a single pixel is decoded.
    if width * height > policy.max_pixels:
        raise policy.refuse("pixels", label, width=width, height=height)
    scale = decode_scale(width, height, kind, policy)
    if _pixels(width, height, scale) > policy.max_decoded_pixels:
        raise policy.refuse("pixels", label, width=width, height=height)
    _spend(width * height, policy, label)
    if scale > 1:
        # Pillow picks the largest of 1/2, 1/4, 1/8 whose result still covers the size asked for,
        # taking the whole-number ratio of the sides: asking for side // scale gives exactly `scale`.
        image.draft(None, (max(1, width // scale), max(1, height // scale)))
    if image.width * image.height > policy.max_decoded_pixels:
        raise policy.refuse("pixels", label, width=width, height=height)
    try:
        image.load()
    except (OSError, ValueError, SyntaxError):
        raise policy.refuse("damaged", label) from None
    ImageOps.exif_transpose(image, in_place=True)
    if policy.max_side:
        image.thumbnail((policy.max_side, policy.max_side))
    # Pillow writes back what it read into `info` (a JPEG's comment, a PNG's ICC profile, an MPO's
    # other pictures); only a PNG's transparency is part of the picture.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    out = io.BytesIO()
    # No exif=, no icc_profile=, no comment=: the new file carries only the pixels (of the first
    # picture: a JPEG is saved as one picture, whatever it was read from).
    if kind is PNG:
        image.save(out, format="PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=policy.jpeg_quality, optimize=True)
    return CheckedFile(out.getvalue(), kind, policy, image.width, image.height)


def _pixels(width: int, height: int, scale: int) -> int:
    return -(-width // scale) * -(-height // scale)


def decode_scale(width: int, height: int, kind: Kind, policy: Policy) -> int:
    """How much smaller than its header says an image is decoded: 1, 2, 4 or 8 (a JPEG only).

    The largest reduction whose result still covers the side the image is shrunk to; then, if that
    is still more than `max_decoded_pixels`, smaller until it is not (the stored image is then a
    little smaller than `max_side`: a JPEG that large is a bomb or needs no more).
    """
    if kind is not JPEG:
        return 1
    scale = 1
    while policy.max_side and scale < 8 and -(-max(width, height) // (scale * 2)) >= policy.max_side:
        scale *= 2
    while scale < 8 and _pixels(width, height, scale) > policy.max_decoded_pixels:
        scale *= 2
    return scale


#: Markup a browser would run if it ever took the file for a web page; the trailing character keeps a
#: chance match inside compressed data as rare as one in thousands of large scans.
MARKUP = re.compile(
    rb"<(?:script|html|body|iframe|frame|object|embed|svg|meta|form|!doctype)[\s/>]|javascript:",
    re.IGNORECASE,
)
#: PDF names that make a reader act: run JavaScript, start a program, send a form, open an embedded
#: file, play rich media, or run XFA forms. Links (/URI) and page jumps are plain content.
ACTIVE_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/GoToE",
    }
)
#: A document with more objects than this is no scan or letter; walking it would only cost time.
MAX_PDF_OBJECTS = 100_000


def _check_pdf(data: bytes, policy: Policy, label: str) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise policy.refuse("damaged", label)
    if MARKUP.search(data):
        raise policy.refuse("active", label)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _unlocked(reader):
            raise policy.refuse("locked", label)
        if not len(reader.pages):
            raise policy.refuse("damaged", label)
        active = _has_active_content(reader)
    except UploadRefused:
        raise
    except Exception:  # pypdf raises many kinds of errors on a broken file; each means "damaged".
        raise policy.refuse("damaged", label) from None
    if active:
        raise policy.refuse("active", label)


def _unlocked(reader: PdfReader) -> bool:
    """An encrypted PDF that opens without a password (owner password only) can be checked."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # a cipher pypdf cannot open without an extra package is as good as locked
        return False


def _has_active_content(reader: PdfReader) -> bool:
    """Walk every object reachable from the trailer (what a reader acts on) for an active name."""
    seen: set[tuple[int, int]] = set()
    todo: list = [reader.trailer]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_NAMES:
                    return True
                todo.append(value)
        elif isinstance(item, ArrayObject):
            todo.extend(item)
        elif isinstance(item, NameObject) and item in ACTIVE_NAMES:
            return True
    return False
