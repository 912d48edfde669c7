import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from local4action.core import actions
from local4action.core.models import RegionalSection

from . import permissions, selectors, services
from .choices import OrganizationKind
from .forms import ApiTokenForm, OrganizationForm, ProfileForm, RejectForm, RoleForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            response = redirect("accounts:profile")
            response.set_cookie(
                "django_language",
                form.cleaned_data["language"],
                max_age=365 * 24 * 3600,
                samesite="Lax",
            )
            return response
    return _render_profile(request, form=form)


def _render_profile(request, *, form=None, token_form=None, new_token=None, new_secret=""):
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(instance=request.user),
            "memberships": selectors.memberships_for_user(user=request.user),
            "api_tokens": selectors.api_tokens_for_user(user=request.user),
            "token_form": token_form or ApiTokenForm(),
            "new_token": new_token,
            "new_secret": new_secret,
        },
    )


@never_cache
@login_required
@require_POST
def api_token_create(request):
    """The page is rendered here rather than redirected: the secret is shown in this one
    response and kept nowhere, neither in the session nor in a message cookie."""
    token_form = ApiTokenForm(request.POST)
    if token_form.is_valid():
        try:
            token, secret = services.api_token_create(
                actor=request.user, name=token_form.cleaned_data["name"]
            )
        except ValidationError as error:
            token_form.add_error(None, error)
        else:
            return _render_profile(request, new_token=token, new_secret=secret)
    return _render_profile(request, token_form=token_form)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.api_token_get(user=request.user, pk=pk)
    actions.run(
        request,
        lambda: services.api_token_revoke(actor=request.user, token=token),
        _("The token “%(name)s” has been revoked.") % {"name": token.name},
    )
    return redirect("accounts:profile")


@require_POST
@csrf_exempt
def set_language(request):
    """Django's language switch, also remembered on the profile of a signed-in person.
    Visitors post it without a CSRF token, so that public pages carry none and can be
    cached whole: forging it could only switch a visitor's language. A signed-in person's
    profile changes, so their request is checked as every other post."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {"en", "fr", "es"}:
        services.profile_update(actor=request.user, user=request.user, data={"language": language})
    return django_set_language(request)


def organization_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    section = request.GET.get("section", "")
    organizations = selectors.organization_list(user=request.user, q=q, kind=kind, section=section)
    page = Paginator(organizations, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "kind": kind,
        "section": section,
        "kinds": OrganizationKind.choices,
        "sections": RegionalSection.objects.all(),
    }
    return render(request, "accounts/organization_list.html", context)


def organization_detail(request, slug):
    organization = selectors.organization_get(user=request.user, slug=slug)
    members = selectors.organization_members(user=request.user, organization=organization)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "members": members,
            "membership": permissions.membership_of(request.user, organization),
            "can_edit": permissions.can_edit_organization(request.user, organization),
            "can_manage": permissions.can_manage_members(request.user, organization),
            "can_join": permissions.can_request_membership(request.user, organization),
            "can_decide": permissions.can_decide_organization(request.user)
            and organization.status == "pending",
            "role_form": RoleForm(),
            "reject_form": RejectForm(),
        },
    )


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if organization.is_approved:
                messages.success(request, _("The organization has been registered."))
            else:
                messages.success(
                    request,
                    _(
                        "The organization has been registered. The secretariat will review it "
                        "shortly; you will be notified."
                    ),
                )
            return redirect(organization)
    return render(request, "accounts/organization_form.html", {"form": form, "creating": True})


@login_required
def organization_edit(request, slug):
    organization = selectors.organization_get(user=request.user, slug=slug)
    if not permissions.can_edit_organization(request.user, organization):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            services.organization_update(
                actor=request.user,
                organization=organization,
                data=data,
                seen_updated_at=form.cleaned_data.get("seen_updated_at"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(organization)
    return render(
        request,
        "accounts/organization_form.html",
        {"form": form, "organization": organization, "creating": False},
    )


@login_required
@require_POST
def organization_join(request, slug):
    organization = selectors.organization_get(user=request.user, slug=slug)
    actions.run(
        request,
        lambda: services.membership_request(actor=request.user, organization=organization),
        _("Your request has been sent. An administrator of %(name)s will answer it.")
        % {"name": organization.name},
    )
    return redirect(organization)


@login_required
@require_POST
def organization_decide(request, slug):
    organization = selectors.organization_get(user=request.user, slug=slug)
    if request.POST.get("decision") == "approve":
        actions.run(
            request,
            lambda: services.organization_approve(actor=request.user, organization=organization),
            _("The organization has been approved."),
        )
    else:
        form = RejectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        actions.run(
            request,
            lambda: services.organization_reject(
                actor=request.user, organization=organization, reason=reason
            ),
            _("The organization has been rejected."),
        )
    return redirect(organization)


@login_required
def organization_pending(request):
    if not permissions.is_secretariat(request.user):
        raise PermissionDenied
    return render(
        request,
        "accounts/organization_pending.html",
        {"organizations": selectors.organization_pending_list(user=request.user)},
    )


@login_required
@require_POST
def membership_action(request, pk):
    membership = selectors.membership_get(pk=pk)
    action = request.POST.get("action")
    role = request.POST.get("role", "member")
    choices = {
        "approve": (
            lambda: services.membership_approve(
                actor=request.user, membership=membership, role=role
            ),
            _("%(name)s has joined.") % {"name": membership.user},
        ),
        "role": (
            lambda: services.membership_change_role(
                actor=request.user, membership=membership, role=role
            ),
            _("The role has been changed."),
        ),
        "remove": (
            lambda: services.membership_remove(actor=request.user, membership=membership),
            _("The membership has been removed."),
        ),
    }
    if action in choices:
        actions.run(request, *choices[action])
    else:
        messages.error(request, _("Unknown action."))
    if membership.user_id == request.user.pk and action == "remove":
        return redirect("accounts:profile")
    return redirect(membership.organization)


class AccountDeleteForm(forms.Form):
    """Kept beside its only view: the password is checked by the service, not here."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that my account will be deleted and that this cannot be undone."
        ),
        required=True,
    )


@login_required
def personal_data(request):
    """The "Your data" page: download everything, or delete the account."""
    form = AccountDeleteForm()
    return render(request, "accounts/personal_data.html", {"delete_form": form})


@never_cache
@login_required
def personal_data_download(request):
    data = services.personal_data_export(actor=request.user, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    return response


@login_required
@require_POST
def account_delete(request):
    form = AccountDeleteForm(request.POST)
    if form.is_valid():
        try:
            services.account_delete(
                actor=request.user, user=request.user, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "password":
                form.add_error("password", error)
            else:
                form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("/")
    return render(request, "accounts/personal_data.html", {"delete_form": form}, status=400)
