"""Uploaded documents: accepted kinds, checked by content, size-limited; pictures re-encoded."""

import io
import os

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
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


# Pictures shown on the site (organization logos, initiative images, library covers) are
# re-encoded: only their pixels are kept, so nothing a crafted file carries besides them
# (scripts, a second file appended, EXIF with the place a photo was taken) is ever served.
IMAGE_MAX_SIDE = 1600  # pixels, once re-encoded
IMAGE_MAX_PIXELS_IN = 40_000_000  # larger pictures are refused before decoding (bombs)
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg")


def reencoded_image(uploaded, *, max_bytes: int, max_side: int = IMAGE_MAX_SIDE) -> ContentFile:
    """A PNG or JPEG picture checked by content, then re-encoded with Pillow: at most
    `max_side` pixels wide or high, PNG when it has transparency, else JPEG."""
    from PIL import Image, UnidentifiedImageError

    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in IMAGE_EXTENSIONS:
        raise ValidationError(_("Send a PNG or JPEG picture."))
    check_upload(uploaded, max_bytes=max_bytes)
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            if image.width * image.height > IMAGE_MAX_PIXELS_IN:
                raise ValidationError(_("The picture is too large."))
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "P")
            image = image.convert("RGBA" if has_alpha else "RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            if has_alpha:
                image.save(out, format="PNG", optimize=True)
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The picture could not be read; send another PNG or JPEG.")
        ) from None
    base = slugify(os.path.splitext(os.path.basename(name))[0])[:80] or "picture"
    return ContentFile(out.getvalue(), name=f"{base}.{'png' if has_alpha else 'jpg'}")


def reencoded_if_new(value, *, field: str, max_bytes: int):
    """An image field's new value: a file just uploaded comes back re-encoded (errors under
    `field`); the current file, None or False (cleared) are kept as they are."""
    if not isinstance(value, UploadedFile):
        return value
    try:
        return reencoded_image(value, max_bytes=max_bytes)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
