from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Uploads that must never be served as public static media."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
