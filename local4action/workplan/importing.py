"""Import a work plan document from the web: upload, preview, commit; and re-import a revised
document into an existing plan: upload, preview of kept / added / removed actions, confirm.

Nothing is saved before the commit. Between the preview and the commit, the uploaded document
waits in the session (base64, under a random token, for a few hours; one pending document per
person and plan) and is read again by the importer on commit: the same bytes give the same
outline as the preview, and the rules of reading .md, .txt and .docx stay in importer.py.
"""

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from local4action.core.pending import Pending

from . import importer, permissions, services
from .choices import Axis
from .forms import CommitForm, ImportForm, ReimportForm, import_max_bytes
from .models import WorkPlan
from .outline import ParsedPlan

# A preview older than six hours is dropped: staff upload the document again.
PENDING = Pending("workplan_imports")
TIERS = ("core", "reinforced", "partnership")


def _require_manager(request) -> None:
    if not permissions.can_manage_workplans(request.user):
        raise PermissionDenied


# Pending documents in the session --------------------------------------------------------------


def _remember(request, *, target: str, name: str, data: bytes, **extra) -> str:
    """Keep the document; `target` is "new" or the plan's year."""
    return PENDING.keep(
        request, target=target, name=name, data=base64.b64encode(data).decode("ascii"), **extra
    )


def _recall(request, token: str, target: str) -> tuple[dict, ParsedPlan] | None:
    entry = PENDING.get(request, token, target)
    if entry is None:
        return None
    try:
        data = base64.b64decode(entry["data"], validate=True)
    except (binascii.Error, ValueError):
        return None
    return entry, importer.read_document(entry["name"], data)


# The preview ------------------------------------------------------------------------------------


def _counts(actions) -> dict:
    return {tier: sum(a.tier == tier for a in actions) for tier in TIERS} | {
        "actions": len(actions)
    }


def _section_node(section) -> dict:
    children = [_section_node(child) for child in section.children]
    own = _counts(section.actions)
    total = {key: own[key] + sum(c["total"][key] for c in children) for key in own}
    axis = Axis(section.axis).label if section.axis in Axis.values and section.axis else ""
    return {
        "section": section,
        "axis": axis,
        "counts": own,
        "total": total,
        "children": children,
    }


def outline_tree(parsed: ParsedPlan) -> list[dict]:
    """Pillars and their nested sections, each with its counts per tier (its own actions, and
    with those of the sections below it)."""
    tree = []
    for pillar in parsed.pillars:
        sections = [_section_node(section) for section in pillar.sections]
        total = {key: sum(s["total"][key] for s in sections) for key in (*TIERS, "actions")}
        tree.append({"pillar": pillar, "sections": sections, "total": total})
    return tree


def _problems(parsed: ParsedPlan) -> list:
    return sorted(parsed.problems, key=lambda p: (not p.blocking, p.line))


def _read_upload(uploaded) -> tuple[str, bytes, ParsedPlan]:
    data = uploaded.read(import_max_bytes() + 1)
    return uploaded.name, data, importer.read_document(uploaded.name, data)


# New plan ---------------------------------------------------------------------------------------


def _import_page(request, form, errors=(), status=200):
    return render(
        request,
        "workplan/import.html",
        {
            "form": form,
            "errors": list(errors),
            "max_bytes": import_max_bytes(),
        },
        status=status,
    )


def _import_preview(request, *, token, entry, parsed, commit_form=None, errors=(), status=200):
    if commit_form is None:
        commit_form = CommitForm(
            initial={"token": token, "title": entry.get("title") or parsed.title}
        )
    return render(
        request,
        "workplan/import_preview.html",
        {
            "file_name": entry["name"],
            "year": entry["year"],
            "language": dict(ImportForm.base_fields["language"].choices).get(entry["language"]),
            "counts": parsed.counts(),
            "tree": outline_tree(parsed),
            "problems": _problems(parsed),
            "blocking": parsed.blocking or bool(errors),
            "errors": list(errors),
            "commit_form": commit_form,
        },
        status=status,
    )


def _commit(request):
    form = CommitForm(request.POST)
    token = request.POST.get("token", "")
    recalled = _recall(request, token, "new")
    if recalled is None:
        return _import_page(
            request,
            ImportForm(initial=_import_initial()),
            [_("This preview has expired: upload the document again.")],
            status=400,
        )
    entry, parsed = recalled
    if not form.is_valid():
        return _import_preview(
            request, token=token, entry=entry, parsed=parsed, commit_form=form, status=400
        )
    try:
        plan = services.plan_import(
            actor=request.user,
            parsed=parsed,
            year=entry["year"],
            language=entry["language"],
            title=form.cleaned_data["title"],
            source_name=entry["name"],
        )
    except ValidationError as error:
        return _import_preview(
            request, token=token, entry=entry, parsed=parsed, errors=error.messages, status=409
        )
    PENDING.drop(request, token)
    counts = parsed.counts()
    messages.success(
        request,
        _(
            "The work plan %(year)s has been imported (pillars: %(pillars)s, sections: "
            "%(sections)s, actions: %(actions)s)."
        )
        % {"year": plan.year, **counts},
    )
    return redirect(plan)


def _import_initial() -> dict:
    return {"year": timezone.localdate().year, "language": (get_language() or "en")[:2]}


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_import(request):
    """Upload (GET; POST with a document → preview) and commit (POST with a token)."""
    _require_manager(request)
    if request.method != "POST":
        return _import_page(request, ImportForm(initial=_import_initial()))
    if "token" in request.POST:
        return _commit(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    name, data, parsed = _read_upload(form.cleaned_data["file"])
    extra = {
        "year": form.cleaned_data["year"],
        "language": form.cleaned_data["language"],
        "title": form.cleaned_data["title"],
    }
    token = _remember(request, target="new", name=name, data=data, **extra)
    return _import_preview(request, token=token, entry={"name": name, **extra}, parsed=parsed)


# Revised document -------------------------------------------------------------------------------


def _reimport_page(request, plan, form, errors=(), status=200):
    return render(
        request,
        "workplan/reimport.html",
        {"plan": plan, "form": form, "errors": list(errors), "max_bytes": import_max_bytes()},
        status=status,
    )


def _reimport_preview(request, *, plan, token, name, parsed, errors=(), status=200):
    preview = services.reimport_preview(plan=plan, parsed=parsed)
    kept = preview["kept"]
    return render(
        request,
        "workplan/reimport_preview.html",
        {
            "plan": plan,
            "file_name": name,
            "token": token,
            "counts": parsed.counts(),
            "kept": kept,
            "edited": [row for row in kept if row[2] < 100],
            "unchanged": sum(1 for row in kept if row[2] >= 100),
            "added": preview["added"],
            "removed": preview["removed"],
            "problems": _problems(parsed),
            "blocking": parsed.blocking or bool(errors),
            "errors": list(errors),
            "similarity": services.REIMPORT_SIMILARITY,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_reimport(request, year: int):
    """Upload a revised document (→ preview of what is kept, added and removed) and confirm
    (POST with a token)."""
    _require_manager(request)
    plan = get_object_or_404(WorkPlan, year=year)
    target = str(plan.year)
    if request.method != "POST":
        return _reimport_page(request, plan, ReimportForm())
    if "token" in request.POST:
        token = request.POST.get("token", "")
        recalled = _recall(request, token, target)
        if recalled is None:
            return _reimport_page(
                request,
                plan,
                ReimportForm(),
                [_("This preview has expired: upload the document again.")],
                status=400,
            )
        entry, parsed = recalled
        try:
            counts = services.plan_reimport(
                actor=request.user, plan=plan, parsed=parsed, source_name=entry["name"]
            )
        except ValidationError as error:
            return _reimport_preview(
                request,
                plan=plan,
                token=token,
                name=entry["name"],
                parsed=parsed,
                errors=error.messages,
                status=409,
            )
        PENDING.drop(request, token)
        messages.success(
            request,
            _(
                "The revised document has been imported. Actions kept with their status and "
                "updates: %(kept)s; added: %(added)s; removed: %(removed)s."
            )
            % counts,
        )
        return redirect(plan)
    form = ReimportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _reimport_page(request, plan, form, status=400)
    name, data, parsed = _read_upload(form.cleaned_data["file"])
    token = _remember(request, target=target, name=name, data=data)
    return _reimport_preview(request, plan=plan, token=token, name=name, parsed=parsed)


urlpatterns = [
    path("workplan/import/", plan_import, name="import"),
    path("workplan/<int:year>/reimport/", plan_reimport, name="reimport"),
]
