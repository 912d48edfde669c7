"""Query parameters, cleaned before the shared selectors read them."""

from django.http import QueryDict

# Digits enough for any year or goal number; int() refuses strings over 4,300 digits.
MAX_DIGITS = 10


def only_decimal_numbers(params: QueryDict, *names: str) -> QueryDict:
    """The catalogue and library selectors take a value for a number when `str.isdigit()`
    says so, then call `int()` on it, which refuses "³" and other superscript digits, and
    numbers of more than 4,300 digits: a 500. Such values are left aside here, as every other
    value that is not a number (or out of range) already is there. (The fix in those
    selectors, `isdecimal()` and a length limit, belongs to their owners; this can go once it
    is in.)"""
    cleaned = params.copy()
    for name in names:
        if name in cleaned:
            cleaned.setlist(
                name,
                [
                    value
                    for value in cleaned.getlist(name)
                    if value.strip().isdecimal() and len(value.strip()) <= MAX_DIGITS
                ],
            )
    return cleaned
