"""What every searchable catalogue page (initiatives, library) and its API list share: the
facet groups and removable filters of a page, and one page of results for the API."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from local4action.core.numbers import whole_number

# Digits enough for any year or goal number.
MAX_DIGITS = 10


def numbers_between(values, low: int, high: int) -> list[int]:
    """The values that are whole numbers between low and high, sorted, once each; anything
    else is left aside."""
    found = {whole_number(value.strip(), max_digits=MAX_DIGITS) for value in values}
    return sorted(number for number in found if number is not None and low <= number <= high)


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (read from facet counts the page computes
    anyway) instead of running a COUNT of the search again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def query_string(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else "?"


def facet_context(
    params: list[tuple[str, str]], facets: dict, names: dict, url_name: str
) -> tuple[list[dict], list[dict]]:
    """The facet groups with values (in the order of `names`), and the active filters, each
    with the address of the page without it."""
    groups = [
        {"name": name, "label": label, "values": facets.get(name, [])}
        for name, label in names.items()
        if facets.get(name)
    ]
    labels = {(g["name"], v["value"]): v["label"] for g in groups for v in g["values"]}
    active = [
        {
            "facet": names.get(name, _("Search")),
            "label": labels.get((name, value), value),
            "url": reverse(url_name)
            + query_string([pair for pair in params if pair != (name, value)]),
        }
        for name, value in params
        if name != "sort"
    ]
    return groups, active


def api_page(queryset, number, size: int) -> dict:
    """One page of an API list; beyond the last page, the last page."""
    paginator = Paginator(queryset, size)
    page = paginator.get_page(number)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }
