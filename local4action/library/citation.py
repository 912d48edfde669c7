"""How to cite a resource: a plain-text reference and a BibTeX entry (accents kept as UTF-8,
which biber and modern BibTeX styles read; TeX's special characters escaped)."""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from local4action.core.search import LANGUAGES, fold

from .choices import Licence, ResourceKind
from .models import Resource

# Reports go out as @techreport (they have an issuing institution); the rest as @misc.
TECHREPORT_KINDS = {ResourceKind.PUBLICATION, ResourceKind.POLICY_PAPER}
# Words skipped when the key takes the title's first word ("The", "La", "Los"...).
ARTICLES = {"the", "a", "an", "le", "la", "les", "l", "un", "une", "el", "los", "las", "una"}
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def resource_url(resource: Resource) -> str:
    return settings.SITE_URL.rstrip("/") + resource.get_absolute_url()


def author_names(authors: str) -> list[str]:
    """The people in the free-text authors field: separated by semicolons, by "and", or by
    commas when each part is a full name ("Ana García, John Smith"); "García, Ana" alone is
    one name written surname first."""
    text = " ".join((authors or "").split())
    if not text:
        return []
    if ";" in text:
        parts = text.split(";")
    elif re.search(r"\s(?:and|et|y)\s", text):
        parts = re.split(r"\s*,\s*|\s+(?:and|et|y)\s+", text)
        # "García, Ana and Smith, John": the commas sit inside names.
        if any(" " not in part.strip() for part in parts if part.strip()):
            parts = re.split(r"\s+(?:and|et|y)\s+", text)
    elif "," in text and all(" " in part.strip() for part in text.split(",")):
        parts = text.split(",")
    else:
        parts = [text]
    return [part.strip() for part in parts if part.strip()]


def _organization_names(resource: Resource) -> list[str]:
    names = [organization.name for organization in resource.organizations.all()]
    owner = resource.owner_organization
    if not names and owner is not None:
        names = [owner.name]
    return names


def _licence(resource: Resource) -> str:
    return str(Licence(resource.licence).label) if resource.licence in Licence.values else ""


def citation_text(resource: Resource) -> str:
    """Authors (Year). Title. Organization. URL, licence. Without authors, the organization
    stands as author (and is not repeated); without a year, "n.d."."""
    people = author_names(resource.authors)
    organizations = ", ".join(_organization_names(resource))
    by = ", ".join(people) or organizations
    year = str(resource.year) if resource.year else _("n.d.")
    title = resource.title.strip().rstrip(".")
    parts = [f"{by} ({year})." if by else f"({year}).", f"{title}."]
    if organizations and people:
        parts.append(f"{organizations}.")
    tail = resource_url(resource)
    licence = _licence(resource)
    if licence:
        tail += f", {licence}"
    parts.append(tail)
    return " ".join(parts)


def bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in " ".join((text or "").split()))


def _key_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def bibtex_key(resource: Resource) -> str:
    """First author's surname (or the first organization's first word), year, first title
    word: "garcia2024localizing". ASCII only, so every BibTeX reads it."""
    people = author_names(resource.authors)
    if people:
        first = people[0]
        who = first.split(",")[0] if "," in first else first.split()[-1]
    else:
        organizations = _organization_names(resource)
        who = organizations[0].split()[0] if organizations else "local4action"
    words = [w for w in re.findall(r"\w+", fold(resource.title)) if w not in ARTICLES]
    title_word = words[0] if words else ""
    return (_key_word(who) or "resource") + (str(resource.year or "")) + _key_word(title_word)


def citation_bibtex(resource: Resource) -> str:
    """An @techreport (publications, policy papers) or @misc entry. Organizations that stand
    as authors are braced so that BibTeX does not split them into first and last names."""
    people = author_names(resource.authors)
    organizations = _organization_names(resource)
    if people:
        author = " and ".join(bibtex_escape(name) for name in people)
    else:
        author = " and ".join("{" + bibtex_escape(name) + "}" for name in organizations)
    techreport = resource.kind in TECHREPORT_KINDS
    fields = [
        ("author", author),
        ("title", "{" + bibtex_escape(resource.title) + "}"),
        ("year", str(resource.year or "")),
        ("institution" if techreport else "organization", bibtex_escape(", ".join(organizations))),
        ("type", bibtex_escape(str(ResourceKind(resource.kind).label)) if techreport else ""),
        ("url", resource_url(resource)),
        ("language", LANGUAGES.get(resource.language, "")),
        ("note", bibtex_escape(_licence(resource))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    entry = "techreport" if techreport else "misc"
    return f"@{entry}{{{bibtex_key(resource)},\n{body}\n}}\n"
