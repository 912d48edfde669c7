"""The end of every POST view that calls one service: say what happened, in the user's
language, or each reason it was refused."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError


def show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def run(request, action: Callable[[], object], success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        show_errors(request, error)
        return False
    messages.success(request, success)
    return True
