"""Whole numbers typed into addresses and forms (ids, page numbers, years, goal numbers).

isdecimal, not isdigit: "³" is a digit that int() refuses. And int() refuses strings of more
than 4,300 digits; no id of ours has more than 18 (a 64-bit integer)."""

ID_DIGITS = 18


def whole_number(text: str | None, *, max_digits: int = ID_DIGITS) -> int | None:
    """The whole number the text spells, or None when it spells none (or too long a one)."""
    if not text or not text.isdecimal() or len(text) > max_digits:
        return None
    return int(text)


def page_beyond_end(asked: str | None, last_page: int) -> bool:
    """Whether a page number someone asked for lies past the last page (to tell them so)."""
    if not asked or not asked.isdecimal():
        return False
    return len(asked) > ID_DIGITS or int(asked) > last_page
