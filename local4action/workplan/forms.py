"""Forms of the work plan pages: filters, tracking updates (one action or many), links, and
the document upload of an import or re-import."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from local4action.accounts.models import Organization
from local4action.core.models import Goal
from local4action.events.models import Event
from local4action.initiatives.models import Initiative
from local4action.surveys.models import Survey

from .choices import Status, Tier
from .models import Action, WorkPlan

EXTENSIONS = (".md", ".txt", ".docx")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def import_max_bytes() -> int:
    return getattr(settings, "WORKPLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


# Filters of the plan page ----------------------------------------------------------------------


class ActionFilterForm(forms.Form):
    """GET filters: the address holds them, so a filtered page can be shared."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    partner = forms.ChoiceField(label=gettext_lazy("Partnership with"), required=False)

    def __init__(self, data, *, owners, partners):
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(Status.choices)
        self.fields["tier"].choices = everything + list(Tier.choices)
        self.fields["owner"].choices = everything + [(str(pk), name) for pk, name in owners]
        self.fields["partner"].choices = everything + [(name, name) for name in partners]

    def filters(self) -> dict:
        """The valid filters that are set; an unknown value (an old link) is ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


# Tracking ---------------------------------------------------------------------------------------


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Status.choices)
    progress = forms.IntegerField(
        label=gettext_lazy("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What changed, in a sentence or two (at most 500 characters)."),
    )
    # The version the form was read at (optimistic concurrency).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def read_value(action: Action) -> str:
    """What a bulk row holds as read: "version:status:progress"."""
    return f"{action.version}:{action.status}:{action.progress}"


class BulkUpdateForm(forms.Form):
    """One status and one progress field per action, and one note for all. Each row also
    carries, in one hidden field, the version and values it was read at: only the rows the
    person changed are sent, and a row someone else changed meanwhile is noticed. Three fields
    a row keep a page of BULK_ROWS well under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS."""

    note = forms.CharField(
        label=gettext_lazy("Note for every changed action"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, data=None, *, actions):
        super().__init__(data)
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"status-{action.pk}"] = forms.ChoiceField(
                label=_("Status"), choices=Status.choices, initial=action.status
            )
            self.fields[f"progress-{action.pk}"] = forms.IntegerField(
                label=_("Progress (%)"),
                min_value=0,
                max_value=100,
                initial=action.progress,
                widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
            )
            self.fields[f"read-{action.pk}"] = forms.RegexField(
                # Bounded: int() refuses numbers of more than 4,300 digits.
                regex=r"^\d{1,18}:[a-z_]+:\d{1,18}$",
                initial=read_value(action),
                widget=forms.HiddenInput,
            )

    def rows(self):
        """(action, status field, progress field, hidden field) for the template."""
        for action in self.actions:
            yield (
                action,
                self[f"status-{action.pk}"],
                self[f"progress-{action.pk}"],
                self[f"read-{action.pk}"],
            )

    def changes(self) -> list[dict]:
        """The rows the person changed, with the version they read, for
        services.actions_bulk_update."""
        found = []
        for action in self.actions:
            version, status, progress = self.cleaned_data[f"read-{action.pk}"].split(":")
            row = {
                "id": action.pk,
                "status": self.cleaned_data[f"status-{action.pk}"],
                "progress": self.cleaned_data[f"progress-{action.pk}"],
                "version": int(version),
            }
            if (row["status"], row["progress"]) != (status, int(progress)):
                found.append(row)
        return found


class ActionLinksForm(forms.Form):
    """What an action points to and who owns it (secretariat)."""

    initiatives = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Initiatives"),
        queryset=Initiative.objects.order_by("title"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    events = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Events"),
        queryset=Event.objects.order_by("-start_at"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    surveys = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Surveys"),
        queryset=Survey.objects.order_by("-opens_at"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=gettext_lazy("SDGs"),
        queryset=Goal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partner organizations"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    owner = forms.EmailField(
        label=gettext_lazy("Owner (email address)"),
        required=False,
        help_text=gettext_lazy("The person who follows this action; leave empty for none."),
    )
    owner_team = forms.CharField(label=gettext_lazy("Owner team"), required=False, max_length=200)
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @classmethod
    def for_action(cls, action: Action, data=None):
        initial = {
            "initiatives": list(action.initiatives.all()),
            "events": list(action.events.all()),
            "surveys": list(action.surveys.all()),
            "sdgs": list(action.sdgs.all()),
            "partners": list(action.partners.all()),
            "owner": action.owner.email if action.owner else "",
            "owner_team": action.owner_team,
            "due_date": action.due_date,
        }
        return cls(data, initial=initial)

    def clean_owner(self):
        email = self.cleaned_data["owner"]
        if not email:
            return None
        owner = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if owner is None:
            raise forms.ValidationError(_("No active account has this email address."))
        return owner


# Import -----------------------------------------------------------------------------------------


class DocumentField(forms.FileField):
    """A work plan document: .md, .txt or .docx, within the size limit. Its content is
    checked by the importer (which reads it and says what is wrong)."""

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded is None:
            return uploaded
        name = (uploaded.name or "").lower()
        if not name.endswith(EXTENSIONS):
            raise forms.ValidationError(
                _(
                    "Only Markdown (.md), plain text (.txt) and Word (.docx) documents can be "
                    "imported. In your word processor, use “Save as” to choose one."
                )
            )
        if uploaded.size > import_max_bytes():
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(import_max_bytes()),
                }
            )
        return uploaded


class ImportForm(forms.Form):
    file = DocumentField(
        label=gettext_lazy("Document (.md, .txt or .docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the document"), choices=settings.LANGUAGES
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Leave empty to use the first heading of the document."),
    )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if WorkPlan.objects.filter(year=year).exists():
            raise forms.ValidationError(
                _(
                    "There is already a work plan for %(year)s. To bring in a revised version, "
                    "re-import it from that plan's page."
                )
                % {"year": year}
            )
        return year


class ReimportForm(forms.Form):
    file = DocumentField(
        label=gettext_lazy("Revised document (.md, .txt or .docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )


class CommitForm(forms.Form):
    """The preview's confirmation: the pending import's token, and the title to save."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    title = forms.CharField(label=gettext_lazy("Title of the work plan"), max_length=300)
