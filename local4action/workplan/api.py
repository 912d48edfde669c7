"""The yearly work plan under /api/v1/: plans, their sections, actions and the log of updates.

The plan is internal: every endpoint needs a token or a session (401 without). The secretariat
and partners read all of it; the owner of an action reads that action, its log, and finds it in
the plan's list of actions; anybody else gets 403. Updates go through the service, which says
what is refused (400) and who is (403); an update sent with a `version` someone else has changed
since is refused with 409, and changes nothing.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from local4action.accounts.api import OrganizationRef
from local4action.api.auth import AUTHENTICATED
from local4action.calls.api import Problem

from . import choices, permissions, selectors, services
from .models import Action, ActionUpdate, WorkPlan

router = Router(tags=["Work plan"], auth=AUTHENTICATED)
# OpenAPI names each schema by its class name, and a second class of the same name in another
# app silently replaces the first: hence `WorkPlan…` everywhere here.

PER_PAGE = 50

# Spelled out so that the OpenAPI document lists them; a test keeps them equal to choices.py.
StatusValue = Literal["not_started", "on_track", "at_risk", "delayed", "done", "dropped"]
TierValue = Literal["core", "reinforced", "partnership"]
SECTION_NUMBER = r"^\d+(\.\d+)*$"


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _page(queryset, number: int) -> dict:
    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(number)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


def _refused() -> PermissionDenied:
    return PermissionDenied(_("Only the secretariat and partners may read the work plan."))


def _require_view(user) -> None:
    if not permissions.can_view_workplans(user):
        raise _refused()


class WorkPlanCount(Schema):
    value: str
    label: str
    count: int


def _counts(choices_class, counts: dict) -> list[dict]:
    """Every choice in its order, zeros included."""
    return [
        {"value": choice.value, "label": str(choice.label), "count": counts.get(choice.value, 0)}
        for choice in choices_class
    ]


# Plans ---------------------------------------------------------------------------------------


class WorkPlanOut(Schema):
    year: int
    title: str
    language: str
    source_name: str = Field(description="The name of the document it was imported from.")
    actions: int = Field(description="How many actions the plan has.")
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_actions(obj) -> int:
        return obj.action_count

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class WorkPlanPillarOut(Schema):
    number: int
    title: str
    description: str
    sections: int
    actions: int
    progress: float = Field(
        description="Mean progress of its actions that are not dropped, in percent."
    )
    done: int
    attention: int = Field(description="Actions at risk or delayed.")


class WorkPlanDetailOut(WorkPlanOut):
    by_tier: list[WorkPlanCount] = Field(description="Actions by tier, zeros included.")
    by_status: list[WorkPlanCount] = Field(description="Actions by status, zeros included.")
    pillars: list[WorkPlanPillarOut]

    # Worked out by the view; `pillars` on the model is the related manager.
    @staticmethod
    def resolve_pillars(obj) -> list[dict]:
        return obj.pillar_rows


def _plans():
    return WorkPlan.objects.annotate(action_count=Count("actions"))


@router.get(
    "/workplans",
    response={200: list[WorkPlanOut], 403: Problem},
    summary="Work plans",
    description="The yearly work plans, newest first. Secretariat and partners.",
)
def workplan_list(request):
    _require_view(request.auth)
    return list(selectors.plans_for(request.auth).annotate(action_count=Count("actions")))


@router.get(
    "/workplans/{year}",
    response={200: WorkPlanDetailOut, 403: Problem},
    summary="A work plan",
    description="The plan of a year with its pillars (sections, actions, mean progress, actions "
    "done, actions at risk or delayed), and its actions by tier and by status.",
)
def workplan_detail(request, year: int):
    _require_view(request.auth)
    plan = get_object_or_404(_plans(), year=year)
    tiers = dict(
        plan.actions.order_by().values("tier").annotate(n=Count("pk")).values_list("tier", "n")
    )
    sections = dict(plan.pillars.order_by().annotate(n=Count("sections")).values_list("pk", "n"))
    plan.by_tier = _counts(choices.Tier, tiers)
    plan.by_status = _counts(
        choices.Status, {row["status"]: row["count"] for row in selectors.status_distribution(plan)}
    )
    plan.pillar_rows = [
        {
            "number": row["pillar"].number,
            "title": row["pillar"].title,
            "description": row["pillar"].description,
            "sections": sections.get(row["pillar"].pk, 0),
            "actions": row["actions"],
            "progress": row["progress"] or 0,
            "done": row["done"],
            "attention": row["attention"],
        }
        for row in selectors.progress_by_pillar(plan)
    ]
    return plan


# Sections ------------------------------------------------------------------------------------


class WorkPlanSectionOut(Schema):
    number: str = Field(description='The full dotted number: "2.2.2.1".')
    depth: int = Field(description="Its count of parts: a pillar's own sections have depth 2.")
    parent: str | None = Field(description="The number of the section above it, if any.")
    pillar: int = Field(description="The number of its pillar.")
    title: str
    description: str
    axis: str = Field(
        description=f"Empty or one of: {', '.join(v for v in choices.Axis.values if v)}."
    )
    actions: int = Field(description="Actions directly under it.")

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.number if obj.parent_id else None

    @staticmethod
    def resolve_pillar(obj) -> int:
        return obj.pillar.number

    @staticmethod
    def resolve_actions(obj) -> int:
        return obj.action_count


@router.get(
    "/workplans/{year}/sections",
    response={200: list[WorkPlanSectionOut], 403: Problem},
    summary="The sections of a work plan",
    description="Every section in document order, as a flat list: rebuild the tree from `parent`.",
)
def workplan_sections(request, year: int):
    _require_view(request.auth)
    plan = get_object_or_404(WorkPlan, year=year)
    return list(
        plan.sections.select_related("parent", "pillar")
        .annotate(action_count=Count("actions"))
        .order_by("position")
    )


# Actions -------------------------------------------------------------------------------------


class WorkPlanRef(Schema):
    id: int
    slug: str
    title: str


class WorkPlanGoalRef(Schema):
    number: int
    short: str


class WorkPlanActionOut(Schema):
    id: int
    year: int
    pillar: int = Field(description="The number of its pillar.")
    section: str = Field(description="The number of its section.")
    section_title: str
    position: int
    text: str = Field(description="As written in the plan: sanitized HTML.")
    text_plain: str
    tier: str = Field(description=f"One of: {', '.join(choices.Tier.values)}.")
    tier_label: str
    partner_name: str = Field(description="For actions reinforced through a partnership.")
    owner_team: str
    owner: str | None = Field(description="The name of the person who owns it.")
    partners: list[OrganizationRef]
    sdgs: list[int] = Field(description="Numbers of its Sustainable Development Goals.")
    status: str = Field(description=f"One of: {', '.join(choices.Status.values)}.")
    status_label: str
    progress: int = Field(description="In percent.")
    due_date: datetime.date | None
    last_update_at: datetime.datetime | None
    version: int = Field(description="Send it back with an update.")
    url: str

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_pillar(obj) -> int:
        return obj.section.pillar.number

    @staticmethod
    def resolve_section(obj) -> str:
        return obj.section.number

    @staticmethod
    def resolve_section_title(obj) -> str:
        return obj.section.title

    @staticmethod
    def resolve_tier_label(obj) -> str:
        return str(obj.get_tier_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_owner(obj) -> str | None:
        return (obj.owner.name or obj.owner.email) if obj.owner_id else None

    @staticmethod
    def resolve_partners(obj) -> list:
        return list(obj.partners.all())

    @staticmethod
    def resolve_sdgs(obj) -> list[int]:
        return [goal.number for goal in obj.sdgs.all()]

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class WorkPlanSurveyRef(Schema):
    id: int
    slug: str
    title: str

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.label


class WorkPlanActionDetailOut(WorkPlanActionOut):
    initiatives: list[WorkPlanRef] = Field(description="Initiatives (HUBs) it points to.")
    events: list[WorkPlanRef]
    surveys: list[WorkPlanSurveyRef]
    goals: list[WorkPlanGoalRef] = Field(description="Its SDGs, with their short names.")
    can_update: bool = Field(description="The caller may record an update.")

    @staticmethod
    def resolve_initiatives(obj) -> list:
        return list(obj.initiatives.all())

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_surveys(obj) -> list:
        return list(obj.surveys.all())

    @staticmethod
    def resolve_goals(obj) -> list:
        return list(obj.sdgs.all())

    @staticmethod
    def resolve_can_update(obj, context) -> bool:
        return permissions.can_update_action(context["request"].auth, obj)


class WorkPlanActionPage(Schema):
    count: int
    page: int
    pages: int
    results: list[WorkPlanActionOut]


class WorkPlanActionFilters(Schema):
    status: StatusValue | None = None
    tier: TierValue | None = None
    partner: str | None = Field(
        None,
        description="The partner of a partnership, as named in the plan, or the name or web "
        "address (slug) of a partner organization; case does not matter.",
    )
    section: str | None = Field(
        None,
        pattern=SECTION_NUMBER,
        description="A section and every section under it: 2.2 gives 2.2.1 and 2.2.2.1 too "
        "(not 2.20); a pillar's number gives the whole pillar.",
    )
    sdg: int | None = Field(None, ge=1, le=17, description="An SDG's number.")
    page: int = Field(1, ge=1)


def _actions():
    return Action.objects.select_related("plan", "section__pillar", "owner").prefetch_related(
        "partners", "sdgs"
    )


def _filtered(queryset, filters: WorkPlanActionFilters):
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.partner:
        name = filters.partner.strip()
        organizations = Action.partners.through.objects.filter(
            Q(organization__name__iexact=name) | Q(organization__slug__iexact=name)
        )
        queryset = queryset.filter(
            Q(partner_name__iexact=name) | Q(pk__in=organizations.values("action_id"))
        )
    if filters.section:
        number = filters.section
        queryset = queryset.filter(
            Q(section__number=number) | Q(section__number__startswith=f"{number}.")
        )
    if filters.sdg:
        goals = Action.sdgs.through.objects.filter(goal__number=filters.sdg)
        queryset = queryset.filter(pk__in=goals.values("action_id"))
    return queryset


@router.get(
    "/workplans/{year}/actions",
    response={200: WorkPlanActionPage, 403: Problem},
    summary="The actions of a work plan",
    description="In document order, filtered by `status`, `tier`, `partner`, `section` (with "
    f"the sections under it) and `sdg`. {PER_PAGE} per page. The secretariat and partners see "
    "every action; the owner of actions sees theirs.",
)
def workplan_actions(request, year: int, filters: Query[WorkPlanActionFilters]):
    user = request.auth
    plan = get_object_or_404(WorkPlan, year=year)
    actions = _actions().filter(plan=plan)
    if not permissions.can_view_workplans(user):
        actions = actions.filter(owner=user)
        if not actions.exists():
            raise _refused()
    return _page(
        _filtered(actions, filters).order_by("section__position", "position", "pk"), filters.page
    )


def _action(request, pk: int) -> Action:
    """The action, if the caller may read it: 404 if there is none, 403 if not theirs."""
    action = get_object_or_404(
        _actions().prefetch_related("initiatives", "events", "surveys"), pk=pk
    )
    if not permissions.can_view_action(request.auth, action):
        raise PermissionDenied(
            _("Only the secretariat, partners and its owner may read this action.")
        )
    return action


@router.get(
    "/workplan-actions/{id}",
    response={200: WorkPlanActionDetailOut, 403: Problem},
    summary="An action of the work plan",
    description="With what it points to: initiatives, events, surveys and SDGs.",
)
def action_detail(request, id: int):
    return _action(request, id)


# Updates -------------------------------------------------------------------------------------


class WorkPlanUpdateOut(Schema):
    id: int
    created_at: datetime.datetime
    author: str | None = Field(description="The name of who recorded it.")
    status: str = Field(description=f"One of: {', '.join(choices.Status.values)}.")
    status_label: str
    progress: int
    note: str

    @staticmethod
    def resolve_author(obj) -> str | None:
        return (obj.author.name or obj.author.email) if obj.author_id else None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class WorkPlanUpdatePage(Schema):
    count: int
    page: int
    pages: int
    results: list[WorkPlanUpdateOut]


class WorkPlanPagination(Schema):
    page: int = Field(1, ge=1)


class WorkPlanUpdateIn(Schema):
    status: StatusValue
    progress: int = Field(ge=0, le=100, description="In percent; 100 when the status is done.")
    note: str = Field("", max_length=500, description="Why: plain text, short.")
    version: int | None = Field(
        None,
        description="The action's `version` you read: if someone changed the action since, "
        "nothing is saved and the answer is 409.",
    )


class WorkPlanConflict(Schema):
    detail: str
    version: int = Field(description="The action's current version.")


class WorkPlanUpdateResult(Schema):
    action: WorkPlanActionOut = Field(description="The action as it is now, with its new version.")
    update: WorkPlanUpdateOut


@router.get(
    "/workplan-actions/{id}/updates",
    response={200: WorkPlanUpdatePage, 403: Problem},
    summary="The log of an action",
    description=f"Its dated updates, newest first. {PER_PAGE} per page.",
)
def action_updates(request, id: int, filters: Query[WorkPlanPagination]):
    action = _action(request, id)
    updates = ActionUpdate.objects.filter(action=action).select_related("author")
    return _page(updates.order_by("-created_at", "-pk"), filters.page)


@router.post(
    "/workplan-actions/{id}/updates",
    response={201: WorkPlanUpdateResult, 400: Problem, 403: Problem, 409: WorkPlanConflict},
    summary="Record an update of an action",
    description="Its status and progress, with a short note. The secretariat and the action's "
    "owner. Done means complete: a lower progress typed with it is refused (400), and done "
    "with the progress left as it was sets 100%. 409: the action changed since `version` was "
    "read.",
)
def action_update(request, id: int, payload: WorkPlanUpdateIn):
    user = request.auth
    action = _action(request, id)
    if not permissions.can_update_action(user, action):
        raise PermissionDenied(_("Only the secretariat and its owner may update this action."))
    try:
        services.action_update(
            actor=user,
            action=action,
            status=payload.status,
            progress=payload.progress,
            # PostgreSQL stores no NUL character.
            note=payload.note.replace("\x00", "").strip(),
            expected_version=payload.version,
        )
    except services.StaleAction as stale:
        version = stale.action.version if stale.action else action.version
        return Status(409, {"detail": str(stale), "version": version})
    action = _action(request, id)
    return Status(
        201, {"action": action, "update": action.updates.select_related("author").first()}
    )
