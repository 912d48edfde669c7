"""Objects for the permission matrix's calls rows (see core/tests/test_permission_matrix.py).

A document attached to A's draft and one to A's submitted application.
"""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile


class _Upload:
    """A file for the upload form. The matrix calls `.format()` on each form value; this one
    gives a fresh small file each time. Its type is refused, but only after the permission
    check (services.attachment_add), so the role's answer is the permission's: without a file
    the form's own error would answer first, for everybody who may read the application."""

    def format(self, **_extra):
        return SimpleUploadedFile("matrix.txt", b"Matrix", content_type="text/plain")


PAGE_DATA = {"calls:attachment_upload": {"file": _Upload()}}


def objects(world) -> dict:
    from local4action.calls.models import Attachment

    def attachment(application):
        return Attachment.objects.create(
            application=application,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="budget.pdf"),
            name="Budget.pdf",
            size=6,
            content_type="application/pdf",
            uploaded_by=world["a_editor"],
        )

    return {
        "calls_draft_attachment": {"pk": attachment(world["draft_application"]).pk},
        "calls_submitted_attachment": {"pk": attachment(world["submitted_application"]).pk},
    }
