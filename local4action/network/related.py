"""Related initiatives: the page listing them with their reasons."""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from local4action.core.models import PolicyArea
from local4action.initiatives.models import Initiative
from local4action.initiatives.permissions import can_view_initiative

from . import selectors
from .choices import Reason
from .models import Relation

PAGE_SIZE = 10
# Below this (rescaled) text similarity, "Similar description" is not given as a reason.
TEXT_SHOWN = 0.15


def _reason(label, detail: str = "") -> str:
    if not detail:
        return str(label)
    return _("%(reason)s: %(detail)s") % {"reason": label, "detail": detail}


def described(relations: list[Relation]) -> list[Relation]:
    """Give each relation its reasons in words (`reason_list`) and its score in percent
    (`percent`), and its initiative's translations: two queries whatever the number of rows."""
    prefetch_related_objects([relation.other for relation in relations], "translations")
    area_ids = {pk for relation in relations for pk in relation.reasons.get("policy_areas", [])}
    areas = {area.pk: area.name for area in PolicyArea.objects.filter(pk__in=area_ids)}
    for relation in relations:
        reasons = relation.reasons
        words = []
        if reasons.get("text", 0) >= TEXT_SHOWN:
            words.append(_reason(Reason.TEXT.label))
        if reasons.get("targets"):
            words.append(_reason(Reason.TARGETS.label, ", ".join(reasons["targets"])))
        elif reasons.get("goals"):
            words.append(_reason(Reason.GOALS.label, ", ".join(map(str, reasons["goals"]))))
        if reasons.get("policy_areas"):
            names = [areas[pk] for pk in reasons["policy_areas"] if pk in areas]
            words.append(_reason(Reason.POLICY_AREAS.label, ", ".join(names)))
        if reasons.get("region"):
            words.append(_reason(Reason.REGION.label))
        if reasons.get("organization_kind"):
            words.append(
                _reason(
                    Reason.ORGANIZATION_KIND.label,
                    relation.other.lead_organization.get_kind_display(),
                )
            )
        relation.reason_list = words
        relation.percent = round(max(0.0, min(1.0, relation.score)) * 100)
    return relations


def related(request, slug):
    initiative = (
        Initiative.objects.select_related("lead_organization")
        .prefetch_related("translations")
        .filter(slug=slug)
        .first()
    )
    if initiative is None or not can_view_initiative(request.user, initiative):
        raise Http404
    relations = described(selectors.related_to(initiative, limit=PAGE_SIZE))
    return render(
        request,
        "network/related.html",
        {
            "initiative": initiative,
            "translation": initiative.translation(),
            "related": relations,
        },
    )


urlpatterns = [
    path("initiatives/<slug:slug>/related/", related, name="related"),
]
