"""Whole numbers typed into addresses and forms."""

import pytest

from local4action.core.numbers import page_beyond_end, whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("٤٢", 42),  # Arabic-Indic digits are decimal: int() reads them
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past any id of ours
        ("9" * 5000, None),  # int() would refuse it
        ("³", None),  # a digit, not a decimal: int() would refuse it
        ("-1", None),
        (" 1", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_whole_number(text, expected):
    assert whole_number(text) == expected


def test_whole_number_with_fewer_digits():
    assert whole_number("12345678901", max_digits=10) is None
    assert whole_number("1234567890", max_digits=10) == 1234567890


@pytest.mark.parametrize(
    ("asked", "beyond"),
    [("3", False), ("4", True), ("9" * 5000, True), ("³", False), ("", False), (None, False)],
)
def test_page_beyond_end(asked, beyond):
    assert page_beyond_end(asked, 3) is beyond
