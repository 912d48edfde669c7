"""A form that creates something, sent twice with the same content by the same person (a
double click, or "send" pressed again on a slow connection) is done once: the second sending
gets the first one's answer. The key is the person, the address and what the form holds, in
the shared cache, so it holds across processes."""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Long enough for a slow connection's second try; short enough not to swallow a real second
# thread or event with the same words sent on purpose later.
WINDOW_SECONDS = 120
# How long a second sending waits for the first one to finish.
WAIT_SECONDS = 10
PENDING = "pending"


def _key(request) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.user.pk}\0{request.path}\0".encode())
    for name, values in sorted(request.POST.lists()):
        if name == "csrfmiddlewaretoken":  # a new mask each time the page is shown
            continue
        for value in values:
            digest.update(f"{name}\0{value}\0".encode())
    for name, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(f"{name}\0{upload.name}\0{upload.size}\0".encode())
    return f"once:{digest.hexdigest()}"


def _too_large_to_read_twice(request) -> bool:
    """Bodies past Django's limit are left to the view, which says they are too large (or
    streams the files): reading them here would use them up."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return limit is not None and length > limit


def _answer_of_the_first(request, key: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while (first := cache.get(key)) == PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
    if first and first != PENDING:
        messages.info(request, _("This was already sent; here is what it gave."))
        return redirect(first)
    # The first sending is still at work: say so rather than doing it twice.
    return HttpResponse(
        _("This form is already being sent. Wait a moment, then reload the page."),
        status=409,
        content_type="text/plain; charset=utf-8",
    )


def once(view):
    """For POST views that create and then redirect to what they made."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method != "POST"
            or not request.user.is_authenticated
            or _too_large_to_read_twice(request)
        ):
            return view(request, *args, **kwargs)
        key = _key(request)
        if not cache.add(key, PENDING, WINDOW_SECONDS):
            return _answer_of_the_first(request, key)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            cache.set(key, response["Location"], WINDOW_SECONDS)
        else:  # refused (a form error): sending it again, corrected or not, is fair
            cache.delete(key)
        return response

    return wrapper
