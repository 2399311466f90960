"""Repair photos (R3): only a real, complete JPEG is accepted, and it is stored without EXIF.

"Let op: u kunt alleen een JPG-bestand bijvoegen en geen PDF."
"""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.errors import DomainError
from repairs import rules, services
from repairs.models import RepairPhoto
from repairs.photos import clean_photo

MAKE, MODEL, ORIENTATION, GPS_IFD = 0x010F, 0x0110, 0x0112, 0x8825


def jpeg_bytes(size=(64, 48), color="red", exif=None, noise=False) -> bytes:
    image = Image.effect_noise(size, 60).convert("RGB") if noise else Image.new("RGB", size, color)
    out = io.BytesIO()
    image.save(out, format="JPEG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def phone_exif(orientation=None) -> Image.Exif:
    """EXIF as a phone writes it: make, model and where the photo was taken."""
    exif = Image.Exif()
    exif[MAKE] = "Fairphone"
    exif[MODEL] = "FP5"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 21.0, 24.5), 3: "E", 4: (6.0, 39.0, 51.0)})
    return exif


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_a_phone_jpeg_is_accepted_without_its_exif_and_gps_position():
    """ "… een foto bijvoegen": the photo is kept, the phone's GPS position and model are not."""
    data = jpeg_bytes(exif=phone_exif())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input does carry a position

    clean = clean_photo(upload(data))

    stored = reopen(clean.content)
    assert stored.format == "JPEG"
    assert (clean.width, clean.height) == stored.size == (64, 48)
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert "exif" not in stored.info
    assert b"Fairphone" not in clean.content


def test_a_photo_taken_sideways_is_stored_upright():
    """ "… een foto bijvoegen": EXIF orientation 6 (turned 90°) is applied before the EXIF goes."""
    image = Image.new("RGB", (60, 30), "white")
    image.paste((255, 0, 0), (0, 0, 30, 30))  # left half red: after turning, the top half is red
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=phone_exif(orientation=6))

    clean = clean_photo(upload(out.getvalue()))

    stored = reopen(clean.content).convert("RGB")
    assert stored.size == (30, 60)
    red, _green, blue = stored.getpixel((15, 10))
    assert red > 200 and blue < 60
    assert stored.getpixel((15, 50))[2] > 200  # the bottom half is white
    assert ORIENTATION not in stored.getexif()


def test_a_png_is_refused_by_name():
    """ "Let op: u kunt alleen een JPG-bestand bijvoegen …": a PNG is refused and the message says so."""
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, format="PNG")
    with pytest.raises(DomainError, match="PNG") as refused:
        clean_photo(upload(out.getvalue(), "foto.png", "image/png"))
    assert "JPG" in str(refused.value)


def test_a_pdf_named_jpg_is_refused_as_a_pdf():
    """ "Let op: u kunt alleen een JPG-bestand bijvoegen en geen PDF." """
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    with pytest.raises(DomainError, match="PDF"):
        clean_photo(upload(pdf, "bon.jpg", "image/jpeg"))


def test_a_jpeg_cut_off_halfway_is_refused_as_damaged():
    """ "… alleen een JPG-bestand": a JPEG that did not arrive in full is damaged, not a photo to keep."""
    data = jpeg_bytes(size=(200, 150), noise=True)
    with pytest.raises(DomainError, match="beschadigd"):
        clean_photo(upload(data[: len(data) // 2]))


def test_a_jpeg_cut_off_in_its_header_is_refused_as_damaged():
    """ "… alleen een JPG-bestand": it is a JPG, so the message must not tell the tenant to send a JPG."""
    data = jpeg_bytes(size=(200, 150), noise=True)
    with pytest.raises(DomainError, match="beschadigd"):
        clean_photo(upload(data[:120]))


def test_a_file_that_is_too_large_is_refused(monkeypatch):
    """ "… een foto bijvoegen": within the size a phone photo has."""
    data = jpeg_bytes(size=(200, 150), noise=True)
    monkeypatch.setattr(rules, "MAX_PHOTO_BYTES", len(data) - 1)
    with pytest.raises(DomainError, match="te groot"):
        clean_photo(upload(data))


def test_a_file_that_is_too_large_is_refused_even_when_the_upload_hides_its_size(monkeypatch):
    """ "… een foto bijvoegen": the bytes read count, not what the upload says about itself."""
    data = jpeg_bytes(size=(200, 150), noise=True)
    monkeypatch.setattr(rules, "MAX_PHOTO_BYTES", len(data) - 1)
    with pytest.raises(DomainError, match="te groot"):
        clean_photo(io.BytesIO(data), "foto.jpg")


def test_a_photo_with_too_many_pixels_is_refused(monkeypatch):
    """ "… een foto bijvoegen": a decompression bomb is refused before it is decoded."""
    monkeypatch.setattr(rules, "MAX_PHOTO_PIXELS", 64 * 48 - 1)
    with pytest.raises(DomainError, match="te veel pixels"):
        clean_photo(upload(jpeg_bytes(size=(64, 48))))


def test_a_large_photo_is_made_smaller():
    """ "… een foto bijvoegen": a photo is stored at most MAX_PHOTO_SIDE pixels wide."""
    clean = clean_photo(upload(jpeg_bytes(size=(rules.MAX_PHOTO_SIDE * 2, 100))))
    assert (clean.width, clean.height) == (rules.MAX_PHOTO_SIDE, 50)


def test_a_photo_with_more_pictures_in_it_is_stored_as_a_jpeg():
    """ "… alleen een JPG-bestand": many phones write a JPEG with more pictures after the photo
    (MPO, Ultra HDR); it is a JPEG, and the photo (the first picture) is what is kept."""
    from portal.tests.files import mpo_bytes

    clean = clean_photo(upload(mpo_bytes(size=(64, 48))))
    stored = reopen(clean.content)
    assert (stored.format, stored.size, clean.name[-4:]) == ("JPEG", (64, 48), ".jpg")


def test_a_jpeg_named_png_is_accepted():
    """ "… alleen een JPG-bestand": the content decides, not the name."""
    clean = clean_photo(upload(jpeg_bytes(), "foto.png", "image/png"))
    assert reopen(clean.content).format == "JPEG"


def test_random_bytes_are_refused():
    """ "… alleen een JPG-bestand": anything that is no image is refused."""
    with pytest.raises(DomainError, match="JPG"):
        clean_photo(upload(bytes(range(256)) * 8, "foto.jpg"))


def test_an_empty_file_is_refused():
    """ "… alleen een JPG-bestand": nothing is no photo."""
    with pytest.raises(DomainError):
        clean_photo(upload(b"", "foto.jpg"))


# --- storing photos on the draft report ------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_a_photo_is_stored_cleaned_under_media_root(media):
    """ "Vervolgens kunt u nog aanvullende informatie geven en een foto bijvoegen." """
    photo = services.photo_add(draft="draft-1", upload=upload(jpeg_bytes(exif=phone_exif()), "kapot.jpg"))

    path = Path(photo.image.path)
    assert path.is_file()
    assert path.is_relative_to(media / "repairs")
    assert path.name == f"{photo.token}.jpg"
    stored = reopen(path.read_bytes())
    assert stored.format == "JPEG" and not stored.getexif()
    assert (photo.original_name, photo.width, photo.height) == ("kapot.jpg", 64, 48)
    assert services.draft_photos("draft-1") == [photo]


@pytest.mark.django_db
def test_a_refused_photo_stores_nothing(media):
    """ "Let op: u kunt alleen een JPG-bestand bijvoegen en geen PDF." """
    with pytest.raises(DomainError, match="PDF"):
        services.photo_add(draft="draft-1", upload=upload(b"%PDF-1.4\n%%EOF", "bon.jpg"))
    assert not RepairPhoto.objects.exists()
    assert not any(media.rglob("*.jpg"))


@pytest.mark.django_db
def test_a_report_takes_at_most_max_photos(media):
    """ "… een foto bijvoegen": a few photos, not an album."""
    for number in range(rules.MAX_PHOTOS):
        services.photo_add(draft="draft-1", upload=upload(jpeg_bytes(), f"foto{number}.jpg"))
    with pytest.raises(DomainError, match=f"hoogstens {rules.MAX_PHOTOS}"):
        services.photo_add(draft="draft-1", upload=upload(jpeg_bytes(), "een-te-veel.jpg"))
    assert RepairPhoto.objects.filter(draft="draft-1").count() == rules.MAX_PHOTOS
    # Another reporter's draft is not counted.
    services.photo_add(draft="draft-2", upload=upload(jpeg_bytes(), "foto.jpg"))


@pytest.mark.django_db
def test_a_photo_can_be_removed_from_the_draft(media):
    """ "Vervolgens kunt u … een foto bijvoegen": and take it out again before sending."""
    photo = services.photo_add(draft="draft-1", upload=upload(jpeg_bytes()))
    path = Path(photo.image.path)
    services.photo_remove(draft="draft-other", token=photo.token)
    assert path.exists()
    services.photo_remove(draft="draft-1", token=photo.token)
    assert not path.exists()
    assert not RepairPhoto.objects.exists()
