"""The model field every uploaded file is stored in, and the one way stored files are served.

`CheckedFileField` only ever stores what `portal.uploads.check` returned,
under a random name with the extension of the kind found: its form field
runs the check (so the admin and the portal's own forms refuse a bad file
with a Dutch message), and saving anything else through it runs the check
first. `check_upload_fields` (a system check) refuses a plain FileField or
ImageField on any model, so a new upload field cannot skip the check.

`file_response` serves a stored file by what its bytes are, not by its
name: images inline, a PDF as an attachment, anything it does not recognise
(a file stored before these checks, say an old ``plan.html``) as
``application/octet-stream`` attachment; always under a download name the
portal chose, with ``X-Content-Type-Options: nosniff`` and a
Content-Security-Policy that lets nothing in the file run.
"""

from django import forms
from django.apps import apps
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from PIL import Image, UnidentifiedImageError

from portal import uploads

#: The policy of a file response: no script, no plugin, no form, no same-origin access, even if
#: a browser were ever to take the bytes for a page.
FILE_CSP = "default-src 'none'; sandbox"


class CheckedFieldFile(FieldFile):
    def save(self, name, content, save=True):
        """Check the content (unless it was checked under this field's policy) and store it under a
        portal-chosen name; `name` is the uploader's and is used only in a refusal message."""
        checked = self.field.check_upload(content, label=name)
        super().save(uploads.portal_name(checked.kind), checked, save)


class CheckedFormField(forms.FileField):
    """A file input that runs the content check; a refused file is a form error in Dutch."""

    def __init__(self, *, policy: uploads.PolicySource, **kwargs):
        self.policy = policy
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        kinds = uploads.resolve(self.policy).kinds
        # A hint for the file chooser only; the check decides.
        attrs.setdefault("accept", ",".join(kind.content_type for kind in kinds))
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            return uploads.check(upload, self.policy, label=upload.name)
        except uploads.UploadRefused as refused:
            raise ValidationError(refused.message, code=refused.code) from None


class CheckedFileField(models.FileField):
    """A FileField that stores only checked content. `policy` says what it accepts.

    The policy is behaviour, not schema: it stays out of migrations (a field
    rebuilt from a migration has none and refuses every file).
    """

    attr_class = CheckedFieldFile

    def __init__(self, verbose_name=None, name=None, *, policy: uploads.PolicySource | None = None, **kwargs):
        self.policy = policy
        super().__init__(verbose_name, name, **kwargs)

    def check_upload(self, upload, *, label: str = "") -> uploads.CheckedFile:
        if self.policy is None:
            raise ValueError(f"{self} has no upload policy")
        return uploads.check(upload, self.policy, label=label)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedFormField, "policy": self.policy, **kwargs})


# --- serving ---------------------------------------------------------------------------------


def _stored_kind(handle) -> uploads.Kind | None:
    """What the stored bytes are: an image only if Pillow reads its header as one (nothing decoded)."""
    handle.seek(0)
    kind = uploads.sniff(handle.read(16))
    if kind is not None and kind.image:
        handle.seek(0)
        try:
            with Image.open(handle, formats=[kind.pillow_format]):
                pass
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            kind = None
    handle.seek(0)
    return kind


def stored_kind(field_file) -> uploads.Kind | None:
    """The kind of a stored file by its content, or None (no file, missing, or not one we know)."""
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return _stored_kind(handle)
    except (FileNotFoundError, ValueError):
        return None


def file_response(field_file, *, download_name: str, cache_control: str = "") -> FileResponse:
    """Serve a stored upload as what its bytes are; 404 when there is no file.

    `download_name` is the portal's name for the file, without extension:
    the extension of the kind found is added (none for an unknown kind).
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    kind = _stored_kind(handle)
    name = uploads.display_name(download_name, default="bestand")
    if kind is None:
        response = FileResponse(
            handle, content_type="application/octet-stream", as_attachment=True, filename=name
        )
    else:
        response = FileResponse(
            handle,
            content_type=kind.content_type,
            as_attachment=not kind.image,
            filename=f"{name}.{kind.extension}",
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


# --- keeping it closed -----------------------------------------------------------------------


def unchecked_file_fields(model_list) -> list[models.Field]:
    """The file fields of these models that would store a file without the content check."""
    return [
        field
        for model in model_list
        for field in model._meta.local_fields
        if isinstance(field, models.FileField)
        and not (isinstance(field, CheckedFileField) and field.policy is not None)
    ]


@checks.register(checks.Tags.models)
def check_upload_fields(app_configs=None, **kwargs) -> list[checks.Error]:
    """Every file field of every model stores checked content: a plain FileField or ImageField
    would take any bytes under any name."""
    configs = app_configs or apps.get_app_configs()
    return [
        checks.Error(
            f"{field.model._meta.label}.{field.name} stores uploaded files without a content check.",
            hint="Use portal.upload_fields.CheckedFileField with a policy from portal.uploads.",
            obj=field,
            id="portal.E201",
        )
        for field in unchecked_file_fields(model for config in configs for model in config.get_models())
    ]
