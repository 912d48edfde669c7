"""Forms of the library pages. They only read and check what people typed; the services decide
(permissions, duplicates, file checks) and their refusals come back as form errors."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from local4action.accounts.choices import OrganizationStatus
from local4action.accounts.models import Organization
from local4action.events.choices import Visibility
from local4action.events.models import Event
from local4action.exchange.models import Thread
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative
from local4action.workplan.models import Action

from .models import Collection, GoodPractice, Resource

SEVERAL = _("Hold Ctrl (or Cmd) to choose several.")


class ResourceForm(forms.ModelForm):
    """A resource's own fields. `version` is the one the form was read at: saving over
    someone else's change is refused (services.StaleResource)."""

    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100, required=False)
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("A PNG or JPEG picture, shown on the resource page."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Resource
        fields = [
            "kind",
            "language",
            "title",
            "summary",
            "authors",
            "organizations",
            "year",
            "licence",
            "goals",
            "targets",
            "policy_areas",
            "regions",
            "countries",
            "initiatives",
            "events",
            "threads",
            "actions",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "goals": forms.CheckboxSelectMultiple,
            "policy_areas": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "language": _("The language the title and summary are written in."),
            "authors": _("Names of the people who wrote it, separated by commas."),
            "organizations": _("Who published it. Hold Ctrl (or Cmd) to choose several."),
            "targets": SEVERAL,
            "countries": SEVERAL,
            "initiatives": SEVERAL,
            "events": SEVERAL,
        }

    FIELDSETS = (
        (
            _("The resource"),
            ("owner", "kind", "language", "title", "summary", "authors", "organizations", "year"),
        ),
        (_("Publication"), ("licence", "cover")),
        (_("Topics and places"), ("goals", "targets", "policy_areas", "regions", "countries")),
        (_("Linked to"), ("initiatives", "events", "threads", "actions")),
    )

    def __init__(self, *args, staff: bool = False, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        resource = self.instance
        if owners is not None:
            # A new resource: in whose name it is written (staff may leave it empty).
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("In the name of"),
                queryset=owners,
                required=not staff,
                empty_label=_("The secretariat") if staff else None,
            )
            self.order_fields(["owner"])
        if resource.pk:
            self.initial.setdefault("version", resource.version)
        self.fields["targets"].queryset = self.fields["targets"].queryset.select_related("goal")
        self.fields["organizations"].queryset = Organization.objects.filter(
            status=OrganizationStatus.APPROVED
        ).order_by("name")
        own = Q(lead_organization=resource.owner_organization_id) if resource.pk else Q(pk=None)
        self.fields["initiatives"].queryset = Initiative.objects.filter(
            Q(status__in=PUBLIC_STATUSES) | own
        ).order_by("title")
        self.fields["events"].queryset = Event.objects.filter(
            published=True, visibility=Visibility.PUBLIC
        ).order_by("-start_at")
        # The work plan and the exchange space are internal: only staff link them.
        if staff:
            self.fields["threads"].queryset = Thread.objects.order_by("title")
            self.fields["actions"].queryset = Action.objects.select_related("plan").order_by(
                "-plan__year", "pk"
            )
            self.fields["threads"].help_text = SEVERAL
            self.fields["actions"].help_text = SEVERAL
        else:
            del self.fields["threads"]
            del self.fields["actions"]

    def fieldsets(self):
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    def service_data(self) -> dict:
        """What the services take: the cover only when a new one was sent."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "owner")}
        if not isinstance(data.get("cover"), UploadedFile):
            data.pop("cover", None)
        return data


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave it empty to remove the translation in this language."),
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code != resource.language
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and cleaned.get("summary"):
            self.add_error("title", _("A translation needs its title."))
        return cleaned


class GoodPracticeForm(forms.ModelForm):
    class Meta:
        model = GoodPractice
        fields = [
            "context",
            "what_was_done",
            "results",
            "success_factors",
            "watch_out",
            "replication",
            "contact",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in (
                "context",
                "what_was_done",
                "results",
                "success_factors",
                "watch_out",
                "replication",
            )
        }
        help_texts = {
            "context": _("The place, the problem and who was involved."),
            "results": _("What changed, with figures where you have them."),
            "contact": _("A team or a public address to write to (no personal phone number)."),
        }


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("A PDF or an office document (DOCX, XLSX, PPTX, ODT, ODS, ODP)."),
    )
    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES)

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", resource.language)


class LinkForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A web address starting with https:// or http://"),
    )
    label = forms.CharField(label=_("Label"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, resource: Resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", resource.language)


# Review --------------------------------------------------------------------------------------


class PublishForm(forms.Form):
    collection = forms.ModelChoiceField(
        label=_("Add it to a collection"),
        queryset=Collection.objects.order_by("title"),
        required=False,
        empty_label=_("No collection"),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the team"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What to change before it can be published."),
        error_messages={"required": _("Write what the team should change.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for withdrawing it.")},
    )


# Collections ---------------------------------------------------------------------------------


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["title", "introduction", "language", "published"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "published": _("Visitors see a collection once it is published."),
        }


class CollectionAddForm(forms.Form):
    resource = forms.CharField(
        label=_("Resource to add"),
        max_length=500,
        help_text=_("Its web address, or the last part of it."),
    )

    def clean_resource(self):
        value = self.cleaned_data["resource"].strip().split("?", 1)[0].split("#", 1)[0]
        slug = value.rstrip("/").rsplit("/", 1)[-1]
        resource = Resource.objects.filter(slug=slug).first()
        if resource is None:
            raise forms.ValidationError(_("No resource has this web address."))
        return resource
