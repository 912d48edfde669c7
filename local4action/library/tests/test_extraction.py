"""Uploaded documents: what is refused at the door (disguised, damaged, too large, twice),
and how their text is read in the background for the search."""

import io
import os

import pytest
from django.core.exceptions import ValidationError

from local4action.core import search as core_search
from local4action.core.models import AuditEvent
from local4action.library import services, tasks
from local4action.library.models import Resource, ResourceFile
from local4action.library.tests.factories import (
    EXE_BYTES,
    RARE_WORD,
    HugeUpload,
    docx_bytes,
    make_resource,
    pdf_bytes,
    pdf_upload,
    pdf_without_text,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org_editor, organization):
    return services.resource_create(
        actor=org_editor,
        organization=organization,
        data={"kind": "publication", "language": "en", "title": "Budgets", "summary": "S."},
    )


def add(actor, resource, uploaded, language="en"):
    return services.resource_file_add(
        actor=actor, resource=resource, uploaded=uploaded, language=language
    )


def stored_files(tmp_path):
    root = tmp_path / "private-media"
    return [name for _dir, _dirs, names in os.walk(root) for name in names]


def found(word):
    return list(core_search.search(Resource.objects.all(), word).values_list("pk", flat=True))


# At the door -----------------------------------------------------------------------------------


def test_a_pdf_is_stored_hashed_and_read_after_commit(
    org_editor, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stored = add(org_editor, draft, pdf_upload("Rapport final.pdf"))
    # Nothing is read before the transaction commits (the task must see the file).
    stored.refresh_from_db()
    assert stored.extraction == "pending"
    assert stored.name == "Rapport final.pdf"
    assert stored.size == len(pdf_bytes())
    assert stored.content_type == "application/pdf"
    assert len(stored.sha256) == 64
    assert AuditEvent.objects.filter(action="resource.file_add").count() == 1
    for callback in callbacks:
        callback()
    stored.refresh_from_db()
    assert stored.extraction == "done"
    assert RARE_WORD in stored.text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", EXE_BYTES, "does not match its extension"),
        ("report.pdf", zip_bytes(), "does not match its extension"),
        ("report.docx", zip_bytes(), "not a valid office document"),
        ("report.docx", EXE_BYTES, "does not match its extension"),
        ("report.exe", EXE_BYTES, "not accepted"),
        ("report.txt", b"plain words", "not accepted"),
        ("report.pdf", pdf_bytes()[:1500], "damaged"),
        ("report.pdf", b"%PDF-1.7\n" + b"x" * 5000, "damaged"),
    ],
)
def test_disguised_or_damaged_files_are_refused(
    org_editor, draft, tmp_path, name, content, message
):
    with pytest.raises(ValidationError) as error:
        add(org_editor, draft, upload(name, content))
    assert message in " ".join(error.value.message_dict["file"])
    assert not ResourceFile.objects.exists()
    assert stored_files(tmp_path) == []
    assert not AuditEvent.objects.filter(action="resource.file_add").exists()


def test_a_200_mb_upload_is_refused_from_its_size_alone(org_editor, draft):
    huge = HugeUpload("atlas.pdf", 200 * 1024 * 1024)
    with pytest.raises(ValidationError) as error:
        add(org_editor, draft, huge)  # HugeUpload fails the test if it is read
    assert "too large" in error.value.message_dict["file"][0]
    assert not ResourceFile.objects.exists()


def test_the_size_limit_comes_from_the_settings(org_editor, draft, settings):
    settings.LIBRARY_FILE_MAX_BYTES = len(pdf_bytes()) - 1
    with pytest.raises(ValidationError):
        add(org_editor, draft, pdf_upload())
    settings.LIBRARY_FILE_MAX_BYTES = len(pdf_bytes())
    assert add(org_editor, draft, pdf_upload())


def test_the_same_document_twice_names_the_resource_that_has_it(org_editor, organization, draft):
    add(org_editor, draft, pdf_upload("first.pdf"))
    other = services.resource_create(
        actor=org_editor,
        organization=organization,
        data={"kind": "toolkit", "language": "en", "title": "Another", "summary": "S."},
    )
    with pytest.raises(ValidationError) as error:
        add(org_editor, other, pdf_upload("renamed.pdf"))
    assert "already in the library, in “Budgets”" in error.value.message_dict["file"][0]
    assert ResourceFile.objects.count() == 1


def test_a_file_in_an_unknown_language_is_refused(org_editor, draft):
    with pytest.raises(ValidationError):
        add(org_editor, draft, pdf_upload(), language="xx")
    assert not ResourceFile.objects.exists()


def test_a_stranger_cannot_add_or_remove_files(org_editor, other_user, draft):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        add(other_user, draft, pdf_upload())
    stored = add(org_editor, draft, pdf_upload())
    with pytest.raises(PermissionDenied):
        services.resource_file_remove(actor=other_user, file=stored)
    assert ResourceFile.objects.count() == 1


def test_the_file_is_hashed_in_chunks(org_editor, draft, monkeypatch):
    uploaded = pdf_upload()
    sizes = []
    original = uploaded.chunks

    def chunks(chunk_size=None):
        sizes.append(chunk_size)
        return original(chunk_size)

    monkeypatch.setattr(uploaded, "chunks", chunks)
    stored = add(org_editor, draft, uploaded)
    assert services.HASH_CHUNK in sizes
    import hashlib

    assert stored.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()


# Reading the text ------------------------------------------------------------------------------


def test_a_word_only_inside_the_pdf_finds_the_resource_in_another_accent_form(
    org_editor, draft, django_capture_on_commit_callbacks
):
    other = make_resource(title="Unrelated")
    with django_capture_on_commit_callbacks(execute=True):
        add(org_editor, draft, pdf_upload())
    assert found("Quetzalcoatlan") == [draft.pk]  # no accent in the query
    assert found("QUETZALCÓATLAN") == [draft.pk]
    assert other.pk not in found("quetzalcoatlan")


def test_a_pdf_without_text_is_kept_and_marked(
    org_editor, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stored = add(org_editor, draft, upload("scan.pdf", pdf_without_text()))
    stored.refresh_from_db()
    assert (stored.extraction, stored.text, stored.extraction_error) == ("no_text", "", "")


def test_a_docx_is_read(org_editor, draft, django_capture_on_commit_callbacks):
    content = docx_bytes("Municipal composting", f"Started in {RARE_WORD}.")
    with django_capture_on_commit_callbacks(execute=True):
        stored = add(org_editor, draft, upload("guide.docx", content))
    stored.refresh_from_db()
    assert stored.extraction == "done"
    assert "Municipal composting" in stored.text
    assert found("composting") == [draft.pk]


def test_other_documents_are_not_read(org_editor, draft, django_capture_on_commit_callbacks):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Budget lines"
    out = io.BytesIO()
    workbook.save(out)
    with django_capture_on_commit_callbacks(execute=True):
        stored = add(org_editor, draft, upload("budget.xlsx", out.getvalue()))
    stored.refresh_from_db()
    assert stored.extraction == "not_supported"


def test_a_failure_is_kept_with_its_reason(org_editor, draft):
    stored = add(org_editor, draft, pdf_upload())
    # The document changes on disk after it was accepted (a broken disk, a bad copy).
    with open(stored.file.path, "wb") as handle:
        handle.write(b"%PDF-1.7\nbroken")
    assert tasks.extract_file_text.call(stored.pk) == "failed"
    stored.refresh_from_db()
    assert stored.extraction == "failed"
    assert stored.extraction_error.startswith("PdfStreamError")
    assert len(stored.extraction_error) <= 500
    assert stored.text == ""


def test_a_missing_file_is_a_failure_not_a_crash(org_editor, draft):
    stored = add(org_editor, draft, pdf_upload())
    os.remove(stored.file.path)
    services.extract_text(file_id=stored.pk)
    stored.refresh_from_db()
    assert stored.extraction == "failed"
    assert stored.extraction_error


def test_reading_twice_gives_the_same(org_editor, draft):
    stored = add(org_editor, draft, pdf_upload())
    services.extract_text(file_id=stored.pk)
    first = ResourceFile.objects.values_list("text", "extraction", "extraction_error").get()
    search_text = Resource.objects.get(pk=draft.pk).search_text
    services.extract_text(file_id=stored.pk)
    assert ResourceFile.objects.values_list("text", "extraction", "extraction_error").get() == first
    assert Resource.objects.get(pk=draft.pk).search_text == search_text
    assert search_text.count(" quetzalcoatlan ") == 1


def test_a_deleted_file_is_nothing_to_read():
    assert tasks.extract_file_text.call(123456) == ""


def test_huge_documents_are_capped(org_editor, draft, monkeypatch):
    pages = "".join(
        f"<p style='page-break-after: always'>Page {n} word{n}</p>" for n in range(1, 4)
    )
    stored = add(org_editor, draft, upload("long.pdf", pdf_bytes(pages)))
    monkeypatch.setattr(services, "PDF_MAX_PAGES", 2)
    services.extract_text(file_id=stored.pk)
    stored.refresh_from_db()
    assert "word2" in stored.text and "word3" not in stored.text
    monkeypatch.setattr(services, "PDF_MAX_PAGES", 100)
    monkeypatch.setattr(services, "TEXT_MAX_CHARS", 10)
    services.extract_text(file_id=stored.pk)
    stored.refresh_from_db()
    assert len(stored.text) == 10


def test_removing_the_file_removes_its_words(
    org_editor, draft, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stored = add(org_editor, draft, pdf_upload())
    assert found("quetzalcoatlan") == [draft.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_file_remove(actor=org_editor, file=stored)
    assert found("quetzalcoatlan") == []
    assert not ResourceFile.objects.exists()
    assert stored_files(tmp_path) == []
    assert AuditEvent.objects.filter(action="resource.file_remove").count() == 1
