"""Writing a resource: an LRG team (or the secretariat) creates it, edits its fields, its
translations and its case study, attaches documents and links, and submits it for review.
One workspace page holds every part; each part posts to its own address and, when refused,
comes back on the workspace with the person's input and the reason."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from local4action.accounts.choices import MembershipRole, MembershipStatus, OrganizationStatus
from local4action.accounts.models import Organization
from local4action.core.once import once
from local4action.events.forms import errors_to_form
from local4action.initiatives.permissions import can_act_for_initiative
from local4action.initiatives.selectors import initiative_get

from . import selectors, services
from .choices import ResourceKind, ResourceStatus
from .forms import FileForm, GoodPracticeForm, LinkForm, ResourceForm, TranslationForm
from .models import GoodPractice, Resource, ResourceFile, ResourceLink
from .permissions import can_edit_resource, can_manage_library


def _owners(user):
    """The organizations the user may write resources for; every approved one for staff."""
    approved = Organization.objects.filter(status=OrganizationStatus.APPROVED).order_by("name")
    if can_manage_library(user):
        return approved
    return approved.filter(
        memberships__user=user,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
    ).distinct()


def _editable(request, slug: str) -> Resource:
    resource = selectors.resource_get(user=request.user, slug=slug)
    if not can_edit_resource(request.user, resource):
        raise PermissionDenied
    return resource


def _edit_url(resource: Resource, part: str = "") -> str:
    return reverse("library:edit", args=[resource.slug]) + (f"#{part}" if part else "")


def _case(resource: Resource) -> GoodPractice:
    try:
        return resource.case
    except Resource.case.RelatedObjectDoesNotExist:
        return GoodPractice(resource=resource)


def _workspace(request, resource: Resource, *, status: int = 200, **bound):
    """The editing page; `bound` holds the form that was posted (with its errors)."""
    staff = can_manage_library(request.user)
    case_form = None
    if resource.kind == ResourceKind.GOOD_PRACTICE:
        case_form = bound.get("case_form") or GoodPracticeForm(instance=_case(resource))
    return render(
        request,
        "library/resource_edit.html",
        {
            "resource": resource,
            "form": bound.get("form") or ResourceForm(instance=copy.copy(resource), staff=staff),
            "translation_form": bound.get("translation_form")
            or TranslationForm(resource=resource, prefix="translation"),
            "case_form": case_form,
            "file_form": bound.get("file_form") or FileForm(resource=resource, prefix="document"),
            "link_form": bound.get("link_form") or LinkForm(resource=resource, prefix="link"),
            "submit_errors": bound.get("submit_errors", []),
            "stale": bound.get("stale"),
            "can_manage": staff,
            "can_submit": resource.status in (ResourceStatus.DRAFT, ResourceStatus.RETURNED),
        },
        status=status,
    )


# The list and a new resource ------------------------------------------------------------------


@login_required
def mine(request):
    """The resources of the person's organizations, drafts included."""
    return render(
        request,
        "library/mine.html",
        {
            "resources": selectors.resources_of(request.user),
            "can_create": _owners(request.user).exists(),
            "can_manage": can_manage_library(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@once
def resource_create(request):
    user = request.user
    owners = _owners(user)
    staff = can_manage_library(user)
    if not staff and not owners.exists():
        raise PermissionDenied
    form = ResourceForm(request.POST or None, request.FILES or None, staff=staff, owners=owners)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                resource = services.resource_create(
                    actor=user,
                    data=form.service_data(),
                    organization=form.cleaned_data.get("owner"),
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The draft has been saved. Add its documents, then submit it for review."),
                )
                return redirect(_edit_url(resource))
        status = 400
    return render(request, "library/resource_create.html", {"form": form}, status=status)


@login_required
@require_POST
def from_initiative(request, slug):
    """The HUB's team turns it into a draft good practice, pre-filled from its story and its
    monitoring data; asking twice opens the same draft."""
    initiative = initiative_get(user=request.user, slug=slug)
    if not can_act_for_initiative(request.user, initiative):
        raise PermissionDenied
    try:
        resource = services.good_practice_from_initiative(actor=request.user, initiative=initiative)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(initiative)
    if not can_edit_resource(request.user, resource):
        # Already shared, and under review or published.
        messages.info(request, _("This HUB is already shared as a good practice."))
        return redirect(resource)
    messages.success(
        request,
        _(
            "A draft good practice has been prepared from the HUB. Complete the case study, "
            "attach documents if you have them, and submit it."
        ),
    )
    return redirect(_edit_url(resource, "case-study"))


# The workspace and its parts --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resource_edit(request, slug):
    resource = _editable(request, slug)
    if request.method != "POST":
        return _workspace(request, resource)
    staff = can_manage_library(request.user)
    form = ResourceForm(request.POST, request.FILES, instance=copy.copy(resource), staff=staff)
    if not form.is_valid():
        return _workspace(request, resource, form=form, status=400)
    try:
        services.resource_update(
            actor=request.user,
            resource=resource,
            data=form.service_data(),
            expected_version=form.cleaned_data.get("version"),
        )
    except services.StaleResource:
        # Keep what the person typed, against the current version: saving again is a
        # deliberate choice.
        resource = _editable(request, slug)
        posted = request.POST.copy()
        posted["version"] = str(resource.version)
        form = ResourceForm(posted, instance=copy.copy(resource), staff=staff)
        form.is_valid()
        stale = _(
            "Someone else saved this resource while you were editing it. Nothing has been "
            "saved: your entries are kept below; check them and save again."
        )
        return _workspace(request, resource, form=form, stale=stale, status=409)
    except ValidationError as error:
        errors_to_form(form, error)
        return _workspace(request, resource, form=form, status=400)
    messages.success(request, _("The resource has been saved."))
    return redirect(_edit_url(resource))


@login_required
@require_POST
def translation_set(request, slug):
    resource = _editable(request, slug)
    form = TranslationForm(request.POST, resource=resource, prefix="translation")
    if form.is_valid():
        try:
            services.resource_translation_set(
                actor=request.user, resource=resource, **form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The translation has been saved."))
            return redirect(_edit_url(resource, "translations"))
    return _workspace(request, resource, translation_form=form, status=400)


@login_required
@require_POST
def case_study(request, slug):
    resource = _editable(request, slug)
    if resource.kind != ResourceKind.GOOD_PRACTICE:
        raise PermissionDenied
    form = GoodPracticeForm(request.POST, instance=copy.copy(_case(resource)))
    if form.is_valid():
        try:
            services.good_practice_update(
                actor=request.user, resource=resource, data=form.cleaned_data
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The case study has been saved."))
            return redirect(_edit_url(resource, "case-study"))
    return _workspace(request, resource, case_form=form, status=400)


@login_required
@require_POST
def file_add(request, slug):
    resource = _editable(request, slug)
    form = FileForm(request.POST, request.FILES, resource=resource, prefix="document")
    if form.is_valid():
        try:
            services.resource_file_add(
                actor=request.user,
                resource=resource,
                uploaded=form.cleaned_data["file"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            # Disguised, too large, already in the library: said beside the file field.
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect(_edit_url(resource, "files"))
    return _workspace(request, resource, file_form=form, status=400)


@login_required
@require_POST
def file_remove(request, pk):
    file = get_object_or_404(ResourceFile.objects.defer("text"), pk=pk)
    resource = _editable(
        request, Resource.objects.values_list("slug", flat=True).get(pk=file.resource_id)
    )
    services.resource_file_remove(actor=request.user, file=file)
    messages.success(request, _("The document has been removed."))
    return redirect(_edit_url(resource, "files"))


@login_required
@require_POST
def link_add(request, slug):
    resource = _editable(request, slug)
    form = LinkForm(request.POST, resource=resource, prefix="link")
    if form.is_valid():
        try:
            services.resource_link_add(actor=request.user, resource=resource, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The link has been added."))
            return redirect(_edit_url(resource, "links"))
    return _workspace(request, resource, link_form=form, status=400)


@login_required
@require_POST
def link_remove(request, pk):
    link = get_object_or_404(ResourceLink, pk=pk)
    resource = _editable(
        request, Resource.objects.values_list("slug", flat=True).get(pk=link.resource_id)
    )
    services.resource_link_remove(actor=request.user, link=link)
    messages.success(request, _("The link has been removed."))
    return redirect(_edit_url(resource, "links"))


@login_required
@require_POST
def submit(request, slug):
    resource = _editable(request, slug)
    try:
        services.resource_submit(actor=request.user, resource=resource)
    except ValidationError as error:
        return _workspace(request, resource, submit_errors=error.messages, status=400)
    messages.success(
        request,
        _("The resource has been sent to the secretariat. You will be told when it is published."),
    )
    return redirect(resource)


urlpatterns = [
    path("library/resources/mine/", mine, name="mine"),
    path("library/resources/new/", resource_create, name="create"),
    path("library/from-hub/<slug:slug>/", from_initiative, name="from_initiative"),
    path("library/files/<int:pk>/remove/", file_remove, name="file_remove"),
    path("library/links/<int:pk>/remove/", link_remove, name="link_remove"),
    path("library/<slug:slug>/edit/", resource_edit, name="edit"),
    path("library/<slug:slug>/translations/", translation_set, name="translation"),
    path("library/<slug:slug>/case-study/", case_study, name="case_study"),
    path("library/<slug:slug>/files/", file_add, name="file_add"),
    path("library/<slug:slug>/links/", link_add, name="link_add"),
    path("library/<slug:slug>/submit/", submit, name="submit"),
]
