"""The work plan pages: the list of plans, a plan's tree with its filters and pillar bars, an
action with its update form and log, and the bulk update table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from local4action.core.numbers import whole_number

from . import permissions, selectors, services
from .choices import Status
from .forms import (
    ActionFilterForm,
    ActionLinksForm,
    ActionUpdateForm,
    BulkUpdateForm,
    read_value,
)
from .models import Action, ActionUpdate, WorkPlan


def viewable_plan(request, year: int) -> WorkPlan:
    """The plan of `year` for someone who may follow the work plan: 403 for others."""
    if not permissions.can_view_workplans(request.user):
        raise PermissionDenied
    return get_object_or_404(WorkPlan, year=year)


def manageable_plan(request, year: int) -> WorkPlan:
    if not permissions.can_manage_workplans(request.user):
        raise PermissionDenied
    return get_object_or_404(WorkPlan, year=year)


def stale_message(error: services.StaleAction) -> str:
    return str(error) or _(
        "Someone else updated this action while you were editing it. Nothing has been saved."
    )


# The plans ------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    user = request.user
    can_view = permissions.can_view_workplans(user)
    # An owner outside the secretariat and the partners sees the actions they follow.
    own = list(
        Action.objects.filter(owner=user)
        .exclude(status__in=(Status.DONE, Status.DROPPED))
        .select_related("plan", "section")
        .order_by("-plan__year", "section__position", "position")[:200]
    )
    if not can_view and not own:
        raise PermissionDenied
    return render(
        request,
        "workplan/plan_list.html",
        {
            "plans": list(selectors.plans_for(user)) if can_view else [],
            "own_actions": own,
            "can_manage": permissions.can_manage_workplans(user),
        },
    )


def _filtered(tree: list[dict], keep) -> list[dict]:
    """The tree with only the actions `keep` accepts, and without the sections (and pillars)
    left empty."""

    def sections(nodes):
        kept = []
        for node in nodes:
            actions = [action for action in node["actions"] if keep(action)]
            children = sections(node["children"])
            if actions or children:
                kept.append({**node, "actions": actions, "children": children})
        return kept

    pillars = []
    for entry in tree:
        remaining = sections(entry["sections"])
        if remaining:
            pillars.append({**entry, "sections": remaining})
    return pillars


def _walk_actions(tree: list[dict]):
    def walk(nodes):
        for node in nodes:
            yield from node["actions"]
            yield from walk(node["children"])

    for entry in tree:
        yield from walk(entry["sections"])


def _matcher(filters: dict):
    def keep(action) -> bool:
        return (
            filters.get("status", action.status) == action.status
            and filters.get("tier", action.tier) == action.tier
            and filters.get("owner", str(action.owner_id)) == str(action.owner_id)
            and filters.get("partner", action.partner_name) == action.partner_name
        )

    return keep


@login_required
def plan_detail(request, year: int):
    plan = viewable_plan(request, year)
    tree = selectors.plan_tree(plan)
    everything = list(_walk_actions(tree))
    owners = sorted(
        {(a.owner_id, a.owner.name or a.owner.email) for a in everything if a.owner_id},
        key=lambda owner: owner[1].casefold(),
    )
    partners = sorted({action.partner_name for action in everything if action.partner_name})
    form = ActionFilterForm(request.GET or None, owners=owners, partners=partners)
    filters = form.filters()
    shown = _filtered(tree, _matcher(filters)) if filters else tree
    return render(
        request,
        "workplan/plan_detail.html",
        {
            "plan": plan,
            "tree": shown,
            "filter_form": form,
            "filtered": bool(filters),
            "total": len(everything),
            "shown_count": sum(1 for _action in _walk_actions(shown)),
            "pillars": selectors.progress_by_pillar(plan),
            "can_manage": permissions.can_manage_workplans(request.user),
        },
    )


# One action ---------------------------------------------------------------------------------


def _action(pk: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related(
            "plan", "section", "section__pillar", "owner"
        ).prefetch_related(
            "initiatives",
            "events",
            "surveys",
            "sdgs",
            "partners",
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
        ),
        pk=pk,
    )


def _update_form(action: Action, data=None) -> ActionUpdateForm:
    return ActionUpdateForm(
        data,
        initial={"status": action.status, "progress": action.progress, "version": action.version},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_detail(request, pk: int):
    action = _action(pk)
    user = request.user
    if not permissions.can_view_action(user, action):
        raise PermissionDenied
    can_update = permissions.can_update_action(user, action)
    can_link = permissions.can_manage_workplans(user)
    update_form = _update_form(action) if can_update else None
    links_form = ActionLinksForm.for_action(action) if can_link else None
    status, stale = 200, None
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "links":
            if not can_link:
                raise PermissionDenied
            links_form = ActionLinksForm.for_action(action, request.POST)
            if links_form.is_valid():
                try:
                    services.action_set_links(actor=user, action=action, **links_form.cleaned_data)
                except ValidationError as error:
                    links_form.add_error(None, error.messages)
                else:
                    messages.success(request, _("The links of this action have been saved."))
                    return redirect(action)
            status = 400
        else:
            if not can_update:
                raise PermissionDenied
            update_form = _update_form(action, request.POST)
            if update_form.is_valid():
                data = update_form.cleaned_data
                try:
                    services.action_update(
                        actor=user,
                        action=action,
                        status=data["status"],
                        progress=data["progress"],
                        note=data["note"],
                        expected_version=data["version"],
                    )
                except services.StaleAction as error:
                    # Keep what the person typed; show what the action holds now, and take
                    # its current version so that saving again is a deliberate choice.
                    action = _action(pk)
                    stale = stale_message(error)
                    posted = request.POST.copy()
                    posted["version"] = str(action.version)
                    update_form = _update_form(action, posted)
                    status = 409
                except ValidationError as error:
                    update_form.add_error(None, error.messages)
                    status = 400
                else:
                    messages.success(request, _("The update has been recorded."))
                    return redirect(action)
            else:
                status = 400
    return render(
        request,
        "workplan/action_detail.html",
        {
            "action": action,
            "plan": action.plan,
            "update_form": update_form,
            "links_form": links_form,
            "stale": stale,
            "can_view_plan": permissions.can_view_workplans(user),
        },
        status=status,
    )


# Many actions at once -------------------------------------------------------------------------


# Rows of one page of the bulk table: three fields each, well under Django's limit of fields in
# one request (DATA_UPLOAD_MAX_NUMBER_FIELDS, 1000 by default).
BULK_ROWS = 150


def _bulk_page(plan: WorkPlan, pillar: str, number):
    actions = Action.objects.filter(plan=plan).select_related("section")
    pillar_number = whole_number(pillar)
    if pillar_number is not None:
        actions = actions.filter(section__pillar__number=pillar_number)
    paginator = Paginator(actions.order_by("section__position", "position", "pk"), BULK_ROWS)
    return paginator.get_page(number)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bulk_update(request, year: int):
    """The table of a plan's actions (a pillar's, a page at a time): staff change the status
    or progress of several and save them with one note, all or nothing."""
    plan = manageable_plan(request, year)
    pillar = request.GET.get("pillar", "")
    page = _bulk_page(plan, pillar, request.GET.get("page"))
    form = BulkUpdateForm(actions=page.object_list)
    status = 200
    if request.method == "POST":
        form = BulkUpdateForm(request.POST, actions=page.object_list)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Nothing has changed: no action has been updated."))
                return redirect(request.get_full_path())
            try:
                services.actions_bulk_update(
                    actor=request.user, changes=changes, note=form.cleaned_data["note"]
                )
            except services.StaleAction as error:
                # Nothing was applied. The table is read again: the person's entries stay in
                # the fields, against the current versions and values.
                messages.error(
                    request,
                    _("%(reason)s Nothing has been saved: check the current values and save again.")
                    % {"reason": stale_message(error)},
                )
                page = _bulk_page(plan, pillar, request.GET.get("page"))
                posted = request.POST.copy()
                for action in page.object_list:
                    posted[f"read-{action.pk}"] = read_value(action)
                form = BulkUpdateForm(posted, actions=page.object_list)
                form.is_valid()
                status = 409
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s action has been updated.",
                        "%(count)s actions have been updated.",
                        len(changes),
                    )
                    % {"count": len(changes)},
                )
                return redirect(request.get_full_path())
        else:
            status = 400
    return render(
        request,
        "workplan/bulk_update.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "pillars": plan.pillars.all(),
            "pillar": pillar,
        },
        status=status,
    )


urlpatterns = [
    path("workplan/", plan_list, name="list"),
    path("workplan/<int:year>/", plan_detail, name="plan"),
    path("workplan/<int:year>/bulk/", bulk_update, name="bulk"),
    path("workplan/actions/<int:pk>/", action_detail, name="action"),
]
