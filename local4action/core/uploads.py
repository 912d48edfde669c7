"""Uploaded documents: accepted kinds, checked by content, size-limited."""

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ATTACHMENT_TYPES = {
    "pdf": {"pdf"},
    "png": {"png"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "odt": {"odt", "zip"},
    "ods": {"ods", "zip"},
    "odp": {"odp", "zip"},
}


def check_upload(uploaded, *, max_bytes: int) -> str:
    """The file's MIME type, read from its content; refused when its name and content
    disagree, when it is not a document or picture we accept, or when it is too large."""
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _(
                "This kind of file is not accepted. Send a PDF, an image (PNG, JPEG) or an office "
                "document (DOCX, XLSX, PPTX, ODT, ODS, ODP)."
            )
        )
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(max_bytes),
            }
        )
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ATTACHMENT_TYPES[extension]:
        raise ValidationError(
            _("The content of “%(name)s” does not match its extension; it was not accepted.")
            % {"name": name}
        )
    return kind.mime
