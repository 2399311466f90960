"""The one upload check: by content, under the portal's names, served as what it is.

Every uploaded file (floor plans, listing photos, seeker documents, repair
photos) goes through `portal.uploads.check` and is served by
`portal.upload_fields.file_response`.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models
from django.http import Http404
from django.test.utils import isolate_apps
from PIL import Image, ImageFile

from portal import uploads
from portal.tests.files import (
    huge_header_jpeg,
    huge_header_png,
    jpeg_bytes,
    mpo_bytes,
    pdf_bytes,
    pdf_html_polyglot,
    pdf_with_catalog,
    png_bytes,
    record_drafts,
    upload,
)
from portal.upload_fields import (
    FILE_CSP,
    CheckedFileField,
    CheckedFormField,
    check_upload_fields,
    file_response,
    stored_kind,
    unchecked_file_fields,
)

ANY = uploads.Policy(kinds=(uploads.JPEG, uploads.PNG, uploads.PDF), max_bytes=5 * uploads.MB)
PHOTO = uploads.Policy(kinds=(uploads.JPEG,), max_bytes=15 * uploads.MB, max_side=2560)
RLO = "\u202e"


def refusal(data: bytes, name="bestand", policy=ANY) -> uploads.UploadRefused:
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check(upload(data, name), policy)
    return refused.value


# --- what is accepted ------------------------------------------------------------------------


def test_a_pdf_is_kept_as_sent_under_a_portal_name():
    data = pdf_bytes()
    checked = uploads.check(upload(data, "loonstrook maart.pdf"), ANY)
    assert checked.kind is uploads.PDF and checked.content == data
    assert checked.name.endswith(".pdf") and "loonstrook" not in checked.name


def test_a_jpeg_named_pdf_is_stored_as_a_jpeg():
    checked = uploads.check(upload(jpeg_bytes(), "scan.pdf", "application/pdf"), ANY)
    assert checked.kind is uploads.JPEG
    assert checked.name.endswith(".jpg") and "scan" not in checked.name
    assert Image.open(io.BytesIO(checked.content)).format == "JPEG"


def test_a_png_stays_a_png_without_what_was_appended():
    data = png_bytes() + b"<html><script>alert(1)</script></html>"
    checked = uploads.check(upload(data, "plattegrond.png"), ANY)
    assert checked.kind is uploads.PNG and b"<script" not in checked.content


def test_a_jpeg_with_a_script_appended_is_stored_as_pixels_only():
    checked = uploads.check(upload(jpeg_bytes() + b"<script>alert(1)</script>", "foto.jpg"), ANY)
    assert b"<script" not in checked.content and checked.content.startswith(b"\xff\xd8\xff")


def test_a_jpeg_comment_and_colour_profile_are_not_kept():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Fairphone"
    Image.new("RGB", (20, 20)).save(
        out, "JPEG", comment=b"<script>alert(1)</script>", exif=exif, icc_profile=b"ICC-profile"
    )
    checked = uploads.check(upload(out.getvalue(), "foto.jpg"), ANY)
    assert b"<script" not in checked.content and b"Fairphone" not in checked.content
    assert b"ICC-profile" not in checked.content


def test_a_png_keeps_its_transparency():
    out = io.BytesIO()
    image = Image.new("P", (20, 20), 1)
    image.putpalette([255, 255, 255, 0, 0, 0])
    image.save(out, "PNG", transparency=1)
    checked = uploads.check(upload(out.getvalue(), "plattegrond.png"), ANY)
    assert Image.open(io.BytesIO(checked.content)).info.get("transparency") == 1


def test_a_file_named_with_a_right_to_left_override_is_stored_as_what_it_is():
    checked = uploads.check(upload(jpeg_bytes(), f"{RLO}gpj.exe"), ANY)
    assert checked.kind is uploads.JPEG and checked.name.endswith(".jpg")
    assert RLO not in checked.name and "exe" not in checked.name


def test_a_refusal_message_shows_the_name_without_its_right_to_left_override():
    refused = refusal(b"MZ\x90\x00 a program", f"{RLO}gpj.exe")
    assert refused.code == "unreadable"
    assert "gpj.exe" in refused.message and RLO not in refused.message


# --- what is refused -------------------------------------------------------------------------


def test_a_pdf_that_is_also_a_web_page_is_refused():
    polyglot = pdf_html_polyglot()
    assert polyglot.startswith(b"%PDF-") and b"<script>" in polyglot
    assert refusal(polyglot, "plattegrond.pdf").code == "active"


@pytest.mark.parametrize(
    "catalog",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>",  # a name written with an escape
        b"/Names << /JavaScript 4 0 R >>",
        b"/OpenAction << /S /Launch /F (cmd.exe) >>",
        b"/AcroForm << /XFA 4 0 R /Fields [] >>",
    ],
)
def test_a_pdf_that_acts_by_itself_is_refused(catalog):
    data = pdf_with_catalog(catalog, b"<< /Names [(x) << /S /JavaScript /JS (app.alert(1)) >>] >>")
    assert refusal(data, "brief.pdf").code == "active"


def test_a_pdf_with_only_a_link_is_accepted():
    data = pdf_with_catalog(b"/OpenAction << /S /URI /URI (https://www.rijksoverheid.nl/) >>")
    assert uploads.check(upload(data, "brief.pdf"), ANY).kind is uploads.PDF


def test_a_pdf_without_its_structure_is_refused_as_damaged():
    assert refusal(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", "id.pdf").code == "damaged"


def test_a_pdf_cut_off_is_refused_as_damaged():
    assert refusal(pdf_bytes()[:-200], "id.pdf").code == "damaged"


def test_a_pdf_with_a_password_is_refused_as_locked():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="geheim", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert refusal(out.getvalue(), "id.pdf").code == "locked"


@pytest.mark.parametrize(
    "data, name",
    [
        (b"<html><script src=plan.js></script></html>", "plan.html"),
        (b"fetch('/beheer/portal/corporation/').then(r => r.text())", "plan.js"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "plan.svg"),
        (b"", "leeg.jpg"),
    ],
)
def test_web_pages_scripts_and_nothing_are_refused(data, name):
    assert refusal(data, name).code == "unreadable"


def test_an_image_of_another_kind_is_named_in_the_refusal():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    refused = refusal(out.getvalue(), "plan.gif")
    assert refused.code == "other_kind" and "GIF" in refused.message


def test_a_pdf_where_only_photos_are_taken_is_refused_as_a_pdf():
    assert refusal(pdf_bytes(), "foto.jpg", PHOTO).code == "pdf"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    policy = uploads.Policy(kinds=(uploads.JPEG,), max_bytes=100)
    assert refusal(jpeg_bytes(), "foto.jpg", policy).code == "too_big"


def test_the_messages_are_dutch_and_a_policy_may_replace_them():
    messages = {"pdf": "Geen PDF: %(name)s"}
    policy = uploads.Policy(kinds=(uploads.JPEG,), max_bytes=uploads.MB, messages=messages)
    assert refusal(pdf_bytes(), "bon.pdf", policy).message == "Geen PDF: bon.pdf"
    assert "kunnen wij niet lezen" in refusal(b"?", "x.bin", policy).message
    assert "JPG" in refusal(b"?", "x.bin", policy).message


# --- names shown to people -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, shown",
    [
        (f"{RLO}gpj.exe", "gpj.exe"),
        ("foto\u2066.jpg\u2069", "foto.jpg"),
        ("C:\\Users\\noor\\loonstrook.pdf", "loonstrook.pdf"),
        ("../../etc/passwd", "passwd"),
        ("nieuw\nbericht\x00.pdf", "nieuwbericht.pdf"),
        ("", ""),
    ],
)
def test_a_name_shown_to_people_has_no_control_or_bidi_characters(name, shown):
    assert uploads.display_name(name) == shown


# --- the decode cost (a tiny JPEG whose header claims 7745 × 7745 pixels) --------------------


def test_a_huge_photo_is_decoded_at_a_reduced_scale(monkeypatch):
    decoded = record_drafts(monkeypatch)
    data = huge_header_jpeg(7745)
    assert len(data) < 1000
    checked = uploads.check(upload(data, "foto.jpg"), PHOTO)
    assert decoded == [(3873, 3873)]  # libjpeg's 1/2 scale: still covers the 2560 it is shrunk to
    assert (checked.width, checked.height) == (2560, 2560)


def test_a_jpeg_too_large_to_decode_whole_is_decoded_at_a_reduced_scale_even_below_its_side(monkeypatch):
    """Half of 7745 does not cover 4096, but decoding all 60 megapixels would cost far more than
    `FULL_DECODE_PIXELS`: it is decoded at half scale and kept at that size."""
    decoded = record_drafts(monkeypatch)
    plan = uploads.Policy(kinds=(uploads.JPEG, uploads.PNG), max_bytes=uploads.MB, max_side=4096)
    checked = uploads.check(upload(huge_header_jpeg(7745), "plan.jpg"), plan)
    assert decoded == [(3873, 3873)]
    assert (checked.width, checked.height) == (3873, 3873)


@pytest.mark.parametrize(
    ("width", "height", "max_side", "scale"),
    [
        (7745, 7745, 2560, 2),  # a photo: half still covers 2560
        (7745, 7745, 960, 8),  # a thumbnail
        (7745, 7745, 3508, 2),  # a document
        (7745, 7745, 4096, 2),  # a floor plan: half is less than 4096, but whole is too much
        (8000, 6000, 3508, 2),  # a 48-megapixel phone photo of a letter
        (4000, 3000, 3508, 1),  # a 12-megapixel one: decoded whole, it is not much larger
        (6000, 4000, None, 1),  # kept at its size, and 24 megapixels may be decoded whole
        (8000, 6000, None, 2),  # kept at its size, but 48 megapixels may not
        (5119, 5119, 2560, 2),
        (5118, 3000, 2560, 1),
    ],
)
def test_a_jpeg_is_decoded_at_the_scale_that_covers_its_stored_size(
    monkeypatch, width, height, max_side, scale
):
    policy = uploads.Policy(kinds=(uploads.JPEG,), max_bytes=uploads.MB, max_side=max_side)
    assert uploads.decode_scale(width, height, uploads.JPEG, policy) == scale
    if scale > 1:
        # Pillow decodes at exactly that scale (it picks its own from the size asked for).
        decoded = record_drafts(monkeypatch)
        uploads.check(upload(huge_header_jpeg(width, height), "foto.jpg"), policy)
        assert decoded == [(-(-width // scale), -(-height // scale))]


def test_a_png_too_large_to_decode_is_refused_before_it_is_decoded(monkeypatch):
    """A PNG has no reduced scale: one above `FULL_DECODE_PIXELS` is refused on its header's word."""
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: pytest.fail("decoded"))
    data = huge_header_png(7745)
    assert len(data) < 1000
    refused = refusal(data, "plan.png", ANY)
    assert refused.code == "pixels"
    assert refused.message == (
        "plan.png heeft te veel pixels (7745 × 7745). Maak de afbeelding kleiner en probeer het opnieuw."
    )


def test_a_png_a_scan_or_plan_needs_is_decoded_whole():
    checked = uploads.check(upload(png_bytes(size=(4961, 3508)), "plan.png"), ANY)  # A3 at 300 dpi
    assert (checked.kind, checked.width, checked.height) == (uploads.PNG, 4961, 3508)


def test_a_multi_picture_jpeg_is_stored_as_a_jpeg_of_its_first_picture():
    """Many cameras and Android's Ultra HDR photos write an MPO: a JPEG with more pictures after it."""
    data = mpo_bytes(size=(64, 48))
    assert Image.open(io.BytesIO(data)).format == "MPO"
    checked = uploads.check(upload(data, "foto.jpg"), PHOTO)
    stored = Image.open(io.BytesIO(checked.content))
    assert (checked.kind, checked.name[-4:], stored.format) == (uploads.JPEG, ".jpg", "JPEG")
    assert getattr(stored, "n_frames", 1) == 1 and stored.size == (64, 48)
    assert stored.convert("RGB").getpixel((32, 24))[0] > 200  # the red first picture, not the blue one


def test_the_header_is_checked_before_anything_is_decoded(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: pytest.fail("decoded"))
    policy = uploads.Policy(kinds=(uploads.JPEG,), max_bytes=uploads.MB, max_pixels=7744 * 7744)
    refused = refusal(huge_header_jpeg(7745), "foto.jpg", policy)
    assert refused.code == "pixels" and "7745 × 7745" in refused.message


def test_one_request_decodes_at_most_its_budget():
    assert uploads.PIXELS_PER_REQUEST // 7745**2 == 5
    data = huge_header_jpeg(7745)
    # Shrunk to a thumbnail, so libjpeg decodes at 1/8 scale and the test stays quick; the budget
    # counts what the header claims all the same.
    thumbnail = uploads.Policy(kinds=(uploads.JPEG,), max_bytes=uploads.MB, max_side=960)
    with uploads.decode_budget():
        for _ in range(5):
            uploads.check(upload(data, "foto.jpg"), thumbnail)
        refused = refusal(data, "zesde.jpg", thumbnail)
        # A small photo still fits in what is left.
        uploads.check(upload(jpeg_bytes(), "klein.jpg"), thumbnail)
    assert refused.code == "budget"
    assert "zesde.jpg" in refused.message and "te veel grote afbeeldingen" in refused.message


def test_the_budget_ends_with_the_request():
    with uploads.decode_budget(100):
        refusal(jpeg_bytes(size=(20, 20)), "foto.jpg", PHOTO)
    uploads.check(upload(jpeg_bytes(size=(20, 20)), "foto.jpg"), PHOTO)


# --- serving ---------------------------------------------------------------------------------


def stored(data: bytes, name: str) -> File:
    """A stored file as a view finds it: `open()` gives the bytes, the name is whatever was stored."""
    return File(io.BytesIO(data), name=name)


def test_an_image_is_served_inline_as_what_its_bytes_are():
    response = file_response(stored(jpeg_bytes(), "listings/photos/plan.pdf"), download_name="foto-W-001-1")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="foto-W-001-1.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == FILE_CSP == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_pdf_is_served_as_an_attachment_under_the_portals_name():
    file = stored(pdf_bytes(), f"registrations/{RLO}gpj.exe")
    response = file_response(file, download_name="loonstrook-Z1")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="loonstrook-Z1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "data",
    [b"<html><script src=plan.js></script></html>", b"\xff\xd8\xff<html><script>alert(1)</script>"],
)
def test_a_stored_file_that_is_no_known_kind_is_only_ever_a_download(data):
    """A file stored before the check (an old plan.html, a fake JPEG) is never shown inline."""
    response = file_response(stored(data, "listings/plans/plan.jpg"), download_name="plattegrond-W-001")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="plattegrond-W-001"'
    assert response["Content-Security-Policy"] == FILE_CSP


def test_a_polyglot_stored_before_the_check_is_served_as_a_pdf_download():
    response = file_response(stored(pdf_html_polyglot(), "plan.html"), download_name="plattegrond-W-001")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_no_file_is_not_found():
    with pytest.raises(Http404):
        file_response(File(None, name=""), download_name="x")


def test_the_stored_kind_comes_from_the_bytes():
    assert stored_kind(stored(png_bytes(), "plan.pdf")) is uploads.PNG
    assert stored_kind(stored(b"<html></html>", "plan.jpg")) is None
    assert stored_kind(File(None, name="")) is None


# --- the field, its form field, and keeping it closed ----------------------------------------


def test_the_form_field_refuses_html_with_a_dutch_message():
    field = CheckedFormField(policy=ANY)
    with pytest.raises(ValidationError) as refused:
        field.clean(upload(b"<html><script src=plan.js></script></html>", "plan.html"))
    assert "plan.html kunnen wij niet lezen" in " ".join(refused.value.messages)
    assert field.widget_attrs(field.widget)["accept"] == "image/jpeg,image/png,application/pdf"


@isolate_apps("portal")
def test_a_file_field_without_the_check_is_an_error():
    class Brochure(models.Model):
        leaflet = models.FileField(upload_to="brochures/")
        cover = models.ImageField(upload_to="brochures/")
        checked = CheckedFileField(upload_to="brochures/", policy=ANY)
        without_policy = CheckedFileField(upload_to="brochures/")

        def __str__(self):
            return self.leaflet.name

    assert [f.name for f in unchecked_file_fields([Brochure])] == ["leaflet", "cover", "without_policy"]


def test_every_file_field_of_the_portal_is_checked():
    """A new upload field (a brochure, a complaint's attachment) cannot skip the check."""
    from django.apps import apps

    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.local_fields
        if isinstance(field, models.FileField)
    ]
    assert "allocation.Listing.floor_plan" in fields and "repairs.RepairPhoto.image" in fields
    assert check_upload_fields() == []


def test_stored_files_are_served_only_through_the_one_helper():
    """A view that streamed a stored file itself would choose its own content type again."""
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    base = Path(settings.BASE_DIR)
    ours = [Path(c.path) for c in apps.get_app_configs() if Path(c.path).parent == base]
    assert {path.name for path in ours} >= {"portal", "repairs", "allocation"}
    serving = [
        str(path.relative_to(base))
        for app in ours
        for path in app.rglob("*.py")
        if "tests" not in path.parts and "FileResponse(" in path.read_text(encoding="utf-8")
    ]
    assert serving == ["portal/upload_fields.py"]
