"""Floor plans, listing photos and seekers' documents: checked by content, served as what they are.

Staff upload a listing's photos and floor plan in the admin; a seeker
uploads documents on Mijn inschrijving. None of them may put a web page on
the portal's origin: an uploaded plan.html with a script must not run in
a tenant's browser.
"""

import io

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile

from allocation import files, registrations
from allocation.models import Document, Listing, ListingPhoto
from allocation.tests.test_listings import make_listing, make_region
from allocation.tests.test_reacting import registration, seeker
from conftest import client_for
from portal import uploads
from portal.tests.files import (
    huge_header_jpeg,
    huge_header_png,
    jpeg_bytes,
    pdf_bytes,
    pdf_html_polyglot,
    png_bytes,
    record_drafts,
)

PAGE = b"<html><body><script src=/media/listings/plans/plan.js></script></body></html>"
RLO = "\u202e"
NOSNIFF_AND_NOTHING_RUNS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def listing(woonkracht):
    region = make_region("Zuidwest")
    region.corporations.set([woonkracht])
    return make_listing(woonkracht, "W-001", region=region)


def headers(response, *names) -> dict:
    return {name: response[name] for name in names}


def stored_as(tmp_path, name: str, data: bytes) -> str:
    """A file stored before the content check existed, under the name staff gave it."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


# --- serving ---------------------------------------------------------------------------------


def test_an_old_floor_plan_that_is_a_web_page_is_only_a_download(anoniem, listing, _media):
    Listing.objects.filter(pk=listing.pk).update(
        floor_plan=stored_as(_media, "listings/plans/plan.html", PAGE)
    )
    response = anoniem.get("/woningaanbod/W-001/plattegrond/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="plattegrond-W-001"'
    assert headers(response, *NOSNIFF_AND_NOTHING_RUNS) == NOSNIFF_AND_NOTHING_RUNS


def test_a_floor_plan_pdf_is_an_attachment_under_the_portals_name(anoniem, listing):
    listing.floor_plan.save("plattegrond.pdf", ContentFile(pdf_bytes()))
    response = anoniem.get("/woningaanbod/W-001/plattegrond/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plattegrond-W-001.pdf"'
    assert headers(response, *NOSNIFF_AND_NOTHING_RUNS) == NOSNIFF_AND_NOTHING_RUNS


def test_a_listing_photo_is_shown_inline_as_the_jpeg_it_is(anoniem, listing):
    photo = ListingPhoto(listing=listing, alt="Voorkant", order=0)
    photo.image.save("voorkant.pdf", ContentFile(jpeg_bytes()))
    assert photo.image.name.startswith("listings/photos/") and photo.image.name.endswith(".jpg")
    response = anoniem.get(f"/woningaanbod/W-001/foto/{photo.pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="foto-W-001-1.jpg"'
    assert headers(response, *NOSNIFF_AND_NOTHING_RUNS) == NOSNIFF_AND_NOTHING_RUNS


def test_the_listing_page_shows_the_floor_plan_as_an_image_only_when_it_is_one(anoniem, listing, _media):
    """Decided by the stored bytes: an old "plan.jpg" that is a web page is no image to show."""
    Listing.objects.filter(pk=listing.pk).update(
        floor_plan=stored_as(_media, "listings/plans/plan.jpg", PAGE)
    )
    html = anoniem.get("/woningaanbod/W-001/").content.decode()
    assert 'class="listing-plan"' not in html and "Plattegrond downloaden" in html

    listing.floor_plan.save("plan.pdf", ContentFile(png_bytes()))
    html = anoniem.get("/woningaanbod/W-001/").content.decode()
    assert 'class="listing-plan"' in html and "Plattegrond openen" in html


# --- the admin -------------------------------------------------------------------------------


def change_form_data(response) -> dict:
    """What the admin's change form sends back when nothing is changed."""
    data = {}
    form = response.context["adminform"].form
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    for prefix, each in [("", form)] + [(f.prefix, f.management_form) for f in formsets]:
        for name, field in each.fields.items():
            key = f"{prefix}-{name}" if prefix else name
            value = each[name].value()
            if isinstance(field, forms.SplitDateTimeField):
                data[f"{key}_0"], data[f"{key}_1"] = value.date().isoformat(), value.strftime("%H:%M:%S")
            elif value is not None and not isinstance(field, forms.FileField):
                data[key] = value
    # The extra (empty) inline rows are not sent.
    return data | {f"{f.prefix}-TOTAL_FORMS": f.initial_form_count() for f in formsets}


def photo_rows(data: dict, files: list) -> dict:
    for index, upload in enumerate(files):
        data |= {
            f"photos-{index}-image": upload,
            f"photos-{index}-alt": f"Foto {index + 1}",
            f"photos-{index}-order": index,
        }
    return data | {"photos-TOTAL_FORMS": len(files)}


def test_staff_cannot_upload_a_web_page_as_floor_plan(medewerker_client, listing):
    url = f"/beheer/allocation/listing/{listing.pk}/change/"
    data = change_form_data(medewerker_client.get(url))
    for upload in (
        SimpleUploadedFile("plan.html", PAGE, "text/html"),
        SimpleUploadedFile("plan.js", b"fetch('/mijn/').then(r => r.text())", "text/javascript"),
        SimpleUploadedFile("plan.pdf", pdf_html_polyglot(), "application/pdf"),
    ):
        response = medewerker_client.post(url, data | {"floor_plan": upload})
        assert response.status_code == 200, upload.name  # the form again, not a redirect
        errors = " ".join(response.context["adminform"].form.errors["floor_plan"])
        assert upload.name in errors and ("kunnen wij niet lezen" in errors or "webpagina" in errors)
    listing.refresh_from_db()
    assert not listing.floor_plan


def test_staff_upload_a_floor_plan_and_photos_stored_under_the_portals_names(medewerker_client, listing):
    url = f"/beheer/allocation/listing/{listing.pk}/change/"
    data = change_form_data(medewerker_client.get(url))
    plan = SimpleUploadedFile(f"{RLO}gpj.exe", pdf_bytes(), "application/octet-stream")
    photos = [SimpleUploadedFile("voorkant.png", jpeg_bytes(), "image/png")]
    response = medewerker_client.post(url, photo_rows(data | {"floor_plan": plan}, photos))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.floor_plan.name.startswith("listings/plans/") and listing.floor_plan.name.endswith(".pdf")
    assert "exe" not in listing.floor_plan.name
    assert listing.photos.get().image.name.endswith(".jpg")


def test_the_admin_names_a_stored_file_without_a_link_to_an_address_the_portal_does_not_serve(
    medewerker_client, listing
):
    """The portal serves no /media/ address: each file is served by its own page, as what it is."""
    listing.floor_plan.save("plan.pdf", ContentFile(pdf_bytes()))
    photo = ListingPhoto(listing=listing, alt="Voorkant")
    photo.image.save("voorkant.jpg", ContentFile(jpeg_bytes()))
    page = medewerker_client.get(f"/beheer/allocation/listing/{listing.pk}/change/").text
    assert listing.floor_plan.name in page and photo.image.name in page
    assert 'href="/media/' not in page


def test_one_request_decodes_at_most_five_huge_photos(medewerker_client, listing):
    """A 600-byte JPEG whose header says 7745 × 7745: the sixth in one request is refused."""
    url = f"/beheer/allocation/listing/{listing.pk}/change/"
    data = change_form_data(medewerker_client.get(url))
    photos = [SimpleUploadedFile(f"groot-{n}.jpg", huge_header_jpeg(), "image/jpeg") for n in range(1, 7)]
    response = medewerker_client.post(url, photo_rows(data, photos))
    assert response.status_code == 200
    errors = [form.errors.get("image", []) for form in response.context["inline_admin_formsets"][0].formset]
    assert errors[:5] == [[]] * 5
    assert "groot-6.jpg is niet verwerkt" in errors[5][0]
    assert not listing.photos.exists()


def test_a_floor_plan_with_a_huge_header_is_decoded_at_half_scale(monkeypatch):
    """Half of 7745 is less than the plan's 4096 pixels, but all 60 megapixels cost too much."""
    decoded = record_drafts(monkeypatch)
    checked = uploads.check(io.BytesIO(huge_header_jpeg(7745)), files.FLOOR_PLAN, label="plan.jpg")
    assert decoded == [(3873, 3873)]
    assert (checked.kind, checked.width, checked.height) == (uploads.JPEG, 3873, 3873)


def test_a_floor_plan_png_larger_than_a_plan_needs_is_refused_undecoded(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: pytest.fail("decoded"))
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check(io.BytesIO(huge_header_png(7745)), files.FLOOR_PLAN, label="plan.png")
    assert refused.value.code == "pixels" and "plan.png heeft te veel pixels" in refused.value.message


# --- seekers' documents ----------------------------------------------------------------------


@pytest.fixture
def zoeker(listing):
    person = seeker()
    registration(person, listing.region, documents=False)
    return person


def test_a_document_that_is_also_a_web_page_is_refused(zoeker):
    polyglot = SimpleUploadedFile("id.pdf", pdf_html_polyglot(), "application/pdf")
    response = client_for(zoeker).post("/woningzoekend/mijn/documenten/", {"kind": "id", "file": polyglot})
    assert "webpagina, een script" in response.content.decode()
    assert not Document.objects.exists()


def test_a_seeker_downloads_a_pdf_under_the_portals_name(zoeker):
    client = client_for(zoeker)
    upload = SimpleUploadedFile("inkomen.pdf", pdf_bytes(), "application/pdf")
    client.post("/woningzoekend/mijn/documenten/", {"kind": "income", "file": upload})
    document = Document.objects.get()
    response = client.get(f"/woningzoekend/mijn/documenten/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    number = document.registration.number
    assert response["Content-Disposition"] == f'attachment; filename="inkomensverklaring-ibri-{number}.pdf"'
    assert headers(response, *NOSNIFF_AND_NOTHING_RUNS) == NOSNIFF_AND_NOTHING_RUNS


def test_a_document_named_with_a_right_to_left_override_is_harmless(zoeker):
    """ "\u202egpj.exe" reads as "exe.jpg": it is stored, shown and served as the JPEG it is."""
    client = client_for(zoeker)
    upload = SimpleUploadedFile(f"{RLO}gpj.exe", jpeg_bytes(), "application/x-msdownload")
    assert client.post("/woningzoekend/mijn/documenten/", {"kind": "id", "file": upload}).status_code == 302
    document = Document.objects.get()
    assert document.original_name == "gpj.exe" and document.file.name.endswith(".jpg")
    page = client.get("/woningzoekend/mijn/").content.decode()
    assert "gpj.exe" in page and RLO not in page
    response = client.get(f"/woningzoekend/mijn/documenten/{document.pk}/")
    assert response["Content-Type"] == "image/jpeg"
    number = document.registration.number
    assert response["Content-Disposition"] == f'inline; filename="identiteitsbewijs-{number}.jpg"'
    assert headers(response, *NOSNIFF_AND_NOTHING_RUNS) == NOSNIFF_AND_NOTHING_RUNS


def upload_document(client, name: str, data: bytes, kind="id"):
    upload = SimpleUploadedFile(name, data, "application/octet-stream")
    return client.post("/woningzoekend/mijn/documenten/", {"kind": kind, "file": upload})


def test_a_document_with_a_huge_header_is_decoded_at_half_scale_and_kept_at_a4_size(zoeker, monkeypatch):
    """633 bytes that claim 7745 × 7745 pixels: decoded at half scale, stored as an A4 page at
    300 dpi (3508 pixels), not as 60 megapixels."""
    decoded = record_drafts(monkeypatch)
    data = huge_header_jpeg(7745)
    assert len(data) < 1000
    assert upload_document(client_for(zoeker), "id.jpg", data).status_code == 302
    assert decoded == [(3873, 3873)]
    with Document.objects.get().file.open("rb") as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("JPEG", (files.MAX_DOCUMENT_SIDE, files.MAX_DOCUMENT_SIDE))


def test_a_document_png_larger_than_a_scan_needs_is_refused_in_dutch(zoeker, monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: pytest.fail("decoded"))
    response = upload_document(client_for(zoeker), "scan.png", huge_header_png(7745))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "scan.png heeft te veel pixels. Maak de foto kleiner en probeer het opnieuw."
    ]
    assert not Document.objects.exists()


def test_a_document_named_with_a_right_to_left_override_keeps_the_cleaned_name(zoeker):
    """Whoever calls the service, the name shown is cleaned: no bidi override, no path."""
    upload = SimpleUploadedFile(f"{RLO}gpj.exe", jpeg_bytes(), "image/jpeg")
    upload.name = f"C:\\Mijn documenten\\{RLO}gpj.exe"  # what a browser of old sent
    document = registrations.document_add(seeker=zoeker, kind="id", upload=upload)
    assert document.original_name == "gpj.exe"


def test_a_document_uploaded_through_the_page_shows_the_cleaned_name(zoeker):
    """Django drops the override itself; the rest is the portal's: the name is composed (NFC),
    its spaces are one, and a name longer than the 200 characters kept loses its front, not its
    extension."""
    client = client_for(zoeker)
    name = f"{RLO}loon   strook-{'x' * 230}-Cafe\u0301.pdf"
    assert upload_document(client, name, pdf_bytes(), kind="income").status_code == 302
    shown = Document.objects.get().original_name
    assert shown == f"loon strook-{'x' * 230}-Café.pdf"[-200:]
    assert shown in client.get("/woningzoekend/mijn/").content.decode()
