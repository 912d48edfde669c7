"""Resources, collections and documents for the library's tests. PDFs are made with
weasyprint (HTML → PDF), .docx with python-docx, pictures with Pillow."""

import functools
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from local4action.library.models import Collection, GoodPractice, Resource

# A word that appears nowhere but inside the PDFs made below (accented, so a search for
# "quetzalcoatlan" must fold it).
RARE_WORD = "quetzalcóatlan"


def make_resource(**fields) -> Resource:
    """A published publication in English, unless told otherwise."""
    status = fields.get("status", "published")
    number = Resource.objects.count() + 1
    data = {
        "slug": f"resource-{number}",
        "kind": "publication",
        "status": status,
        "language": "en",
        "title": f"Localizing the SDGs, volume {number}",
        "summary": "How cities and regions bring the global goals home.",
        "published_at": timezone.now() if status == "published" else None,
        **fields,
    }
    m2m = {
        name: data.pop(name)
        for name in ("goals", "targets", "policy_areas", "regions", "initiatives")
        if name in data
    }
    resource = Resource.objects.create(**data)
    for name, values in m2m.items():
        getattr(resource, name).set(values)
    if resource.kind == "good_practice":
        GoodPractice.objects.get_or_create(resource=resource)
    return resource


def make_collection(**fields) -> Collection:
    number = Collection.objects.count() + 1
    data = {"slug": f"collection-{number}", "title": f"Collection {number}", **fields}
    return Collection.objects.create(**data)


@functools.cache
def pdf_bytes(text: str = f"Participatory budgeting in {RARE_WORD}.") -> bytes:
    """A one-page PDF whose text is `text`."""
    import weasyprint

    html = f"<html lang='en'><body><h1>Report</h1><p>{text}</p></body></html>"
    return weasyprint.HTML(string=html).write_pdf()


@functools.cache
def pdf_without_text() -> bytes:
    """A PDF that opens but holds no text (an empty page, as a scan without OCR)."""
    import weasyprint

    return weasyprint.HTML(string="<html><body></body></html>").write_pdf()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Not an office document.")
    return out.getvalue()


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


# The start of a Windows program (what a disguised .pdf may really be).
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "report.pdf", text: str | None = None):
    content = pdf_bytes() if text is None else pdf_bytes(text)
    return upload(name, content, "application/pdf")


class HugeUpload(SimpleUploadedFile):
    """An upload that says it is very large and fails the test if anything reads it."""

    def __init__(self, name: str, size: int):
        super().__init__(name, b"", content_type="application/pdf")
        self.size = size

    def read(self, *args, **kwargs):
        raise AssertionError("a too-large upload was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("a too-large upload was read")
