"""The organizers' side of registration: the participant list with decisions, sponsorship
decisions, exports, invitations and check-in on the day. Everything here is for the people who
manage the event (403 for anyone else); every rule is in services.py."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from local4action.core import actions
from local4action.core.spreadsheets import csv_cell, xlsx_download

from . import permissions, selectors, services
from .choices import Attendance, Question, RegistrationStatus, SponsorshipStatus
from .models import Event, Registration, SponsorshipRequest
from .registration_forms import InviteForm, ParticipantFilterForm

PER_PAGE = 50


def _managed(request, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    # As on the event's page: 404 for those who may not see it, so nothing of it leaks.
    if not permissions.can_view_event(request.user, event):
        raise Http404
    if not permissions.can_manage_event(request.user, event):
        raise PermissionDenied
    return event


def _back(request, default: str):
    """Back to the list the organizer came from (its filters and page), never off-site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _question_labels(event: Event) -> list[tuple[str, str]]:
    return [(key, str(Question(key).label)) for key in event.questions if key in Question.values]


def _answer_text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if value in Attendance.values:
        return str(Attendance(value).label)
    return str(value or "")


@login_required
def participants(request, slug):
    event = _managed(request, slug)
    filters = ParticipantFilterForm(request.GET or None)
    query, status = "", ""
    if filters.is_valid():
        query, status = filters.cleaned_data["q"], filters.cleaned_data["status"]
    rows = selectors.participants(event, query=query, statuses=[status] if status else ())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    questions = _question_labels(event)
    for registration in page:
        registration.answer_list = [
            (label, _answer_text(registration.answers.get(key))) for key, label in questions
        ]
        registration.request = getattr(registration, "sponsorship", None)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "events/participants/list.html",
        {
            "event": event,
            "counts": selectors.event_counts(event),
            "filters": filters,
            "page": page,
            "query_string": params.urlencode(),
            "statuses": RegistrationStatus,
        },
    )


@login_required
@require_POST
def decide(request, slug, pk):
    event = _managed(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("person"), pk=pk, event=event
    )
    decision = request.POST.get("decision", "")
    done = {
        "accept": _("%(name)s is accepted."),
        "waitlist": _("%(name)s is on the waiting list."),
        "decline": _("%(name)s is declined."),
    }.get(decision, "%(name)s")
    actions.run(
        request,
        lambda: services.registration_decide(
            actor=request.user, registration=registration, decision=decision
        ),
        done % {"name": registration.person.get_full_name()},
    )
    return _back(request, reverse("events:participants", args=[event.slug]))


@login_required
@require_POST
def sponsorship_decide(request, slug, pk):
    event = _managed(request, slug)
    sponsorship = get_object_or_404(
        SponsorshipRequest.objects.select_related("registration__person", "registration__event"),
        pk=pk,
        registration__event=event,
    )
    grant = request.POST.get("grant") == "1"
    name = sponsorship.registration.person.get_full_name()
    actions.run(
        request,
        lambda: services.sponsorship_decide(
            actor=request.user,
            sponsorship=sponsorship,
            grant=grant,
            reason=request.POST.get("reason", ""),
        ),
        (
            _("The sponsorship of %(name)s is granted.")
            if grant
            else _("The sponsorship of %(name)s is refused.")
        )
        % {"name": name},
    )
    return _back(request, reverse("events:participants", args=[event.slug]))


# Exports ---------------------------------------------------------------------------------------


def _export_rows(event: Event):
    """The header and the rows (a generator, read chunk by chunk) of the participant list."""
    questions = _question_labels(event)
    header = [
        _("Name"),
        _("Email"),
        _("Organization"),
        _("Status"),
        _("Attendance"),
        _("Registered (%(zone)s)") % {"zone": event.time_zone},
        *[label for _key, label in questions],
        _("Sponsorship"),
        _("Travel"),
        _("Lodging"),
        _("Justification"),
        _("Sponsorship status"),
        _("Checked in (%(zone)s)") % {"zone": event.time_zone},
    ]
    # Labels are translated now, in the request's language, not while the file streams.
    statuses = {key: str(label) for key, label in RegistrationStatus.choices}
    attendances = {key: str(label) for key, label in Attendance.choices}
    sponsorship_statuses = {key: str(label) for key, label in SponsorshipStatus.choices}
    yes, no = _("Yes"), _("No")

    def rows():
        registrations = selectors.participants(event)
        for registration in registrations.iterator(chunk_size=500):
            request = getattr(registration, "sponsorship", None)
            yield [
                registration.person.get_full_name(),
                registration.person.email,
                registration.organization.name if registration.organization else "",
                statuses.get(registration.status, registration.status),
                attendances.get(registration.attendance, registration.attendance),
                timezone.localtime(registration.created_at, event.zone).replace(tzinfo=None),
                *[_answer_text(registration.answers.get(key)) for key, _label in questions],
                yes if request else no,
                (yes if request.travel else no) if request else "",
                (yes if request.lodging else no) if request else "",
                request.justification if request else "",
                sponsorship_statuses.get(request.status, "") if request else "",
                timezone.localtime(registration.checked_in_at, event.zone).replace(tzinfo=None)
                if registration.checked_in_at
                else None,
            ]

    return header, rows()


def _filename(event: Event, extension: str) -> str:
    return f"{event.slug}-participants.{extension}"


class _Echo:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value: str) -> str:
        return value


def _csv(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="minutes")
    return csv_cell(value)


@never_cache
@login_required
def participants_csv(request, slug):
    """Streamed: rows are read while the file is sent. Times are in the event's zone."""
    event = _managed(request, slug)
    header, rows = _export_rows(event)
    writer = csv.writer(_Echo())

    def lines():
        # The byte-order mark tells Excel the file is UTF-8, so accents survive.
        yield "\ufeff" + writer.writerow([csv_cell(value) for value in header])
        for row in rows:
            yield writer.writerow([_csv(value) for value in row])

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=_filename(event, "csv")
            )
        },
    )


@never_cache
@login_required
def participants_xlsx(request, slug):
    event = _managed(request, slug)
    header, rows = _export_rows(event)
    return xlsx_download(
        title=event.title,
        sheet_name=_("Participants"),
        header=header,
        rows=rows,
        filename=_filename(event, "xlsx"),
    )


# Invitations -----------------------------------------------------------------------------------


@login_required
def invite(request, slug):
    event = _managed(request, slug)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, already = services.invitations_create(
                    actor=request.user, event=event, people=form.cleaned_data["people"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(count)s people invited: each gets a personal link by email.")
                    % {"count": len(created)},
                )
                if already:
                    messages.warning(
                        request,
                        _("Already invited, not invited again: %(emails)s")
                        % {"emails": ", ".join(already)},
                    )
                return redirect("events:invite", slug=event.slug)
        status = 400
    invitations = event.invitations.select_related("accepted_by").order_by("email")
    return render(
        request,
        "events/participants/invite.html",
        {"event": event, "form": form, "invitations": invitations},
        status=status,
    )


# Check-in --------------------------------------------------------------------------------------


def _check_in_counts(event: Event) -> dict:
    counts = selectors.event_counts(event)
    return {"present": counts["checked_in"], "expected": counts["confirmed"]}


@login_required
def check_in(request, slug):
    event = _managed(request, slug)
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.participants(event, query=query, statuses=[RegistrationStatus.CONFIRMED])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/participants/check_in.html",
        {"event": event, "query": query, "page": page, **_check_in_counts(event)},
    )


@login_required
@require_POST
def check_in_toggle(request, slug, pk):
    event = _managed(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("person", "organization"), pk=pk, event=event
    )
    present = request.POST.get("present") == "1"
    name = registration.person.get_full_name()
    try:
        registration = services.check_in(
            actor=request.user, registration=registration, present=present
        )
    except ValidationError as error:
        if request.htmx:
            return render(
                request,
                "events/participants/_check_in_row.html",
                {"event": event, "registration": registration, "error": error.messages[0]},
                status=400,
            )
        actions.show_errors(request, error)
    else:
        if request.htmx:
            return render(
                request,
                "events/participants/_check_in_row.html",
                {
                    "event": event,
                    "registration": registration,
                    "oob_counts": True,
                    **_check_in_counts(event),
                },
            )
        messages.success(
            request,
            (_("%(name)s is checked in.") if present else _("%(name)s is no longer checked in."))
            % {"name": name},
        )
    return _back(request, reverse("events:check_in", args=[event.slug]))


urlpatterns = [
    path("events/<slug:slug>/participants/", participants, name="participants"),
    path("events/<slug:slug>/participants.csv", participants_csv, name="participants_csv"),
    path("events/<slug:slug>/participants.xlsx", participants_xlsx, name="participants_xlsx"),
    path("events/<slug:slug>/registrations/<int:pk>/decide/", decide, name="decide"),
    path(
        "events/<slug:slug>/sponsorships/<int:pk>/decide/",
        sponsorship_decide,
        name="sponsorship_decide",
    ),
    path("events/<slug:slug>/invite/", invite, name="invite"),
    path("events/<slug:slug>/check-in/", check_in, name="check_in"),
    path("events/<slug:slug>/check-in/<int:pk>/", check_in_toggle, name="check_in_toggle"),
]
