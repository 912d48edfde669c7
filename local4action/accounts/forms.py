from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from local4action.core.models import RegionalSection

from .choices import MembershipRole
from .models import TIME_ZONE_CHOICES, Organization, User


class SignupExtraForm(forms.Form):
    """Fields that allauth's sign-up form adds to email and password."""

    name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.language = (get_language() or "en")[:2]
        user.save(update_fields=["name", "language"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        help_text=_("Dates and times are shown in this time zone."),
    )

    class Meta:
        model = User
        fields = ["name", "language", "time_zone"]


class OrganizationForm(forms.ModelForm):
    # Carries the version the user opened, so a concurrent edit is detected on save.
    seen_updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "country",
            "regional_section",
            "population",
            "latitude",
            "longitude",
            "website",
            "logo",
        ]
        widgets = {
            "latitude": forms.NumberInput(attrs={"step": "0.00001", "min": "-90", "max": "90"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001", "min": "-180", "max": "180"}),
        }
        help_texts = {
            "latitude": _("Between -90 and 90, for example 43.26271 for Bilbao."),
            "longitude": _("Between -180 and 180, for example -2.92528 for Bilbao."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regional_section"].queryset = RegionalSection.objects.all()
        if self.instance.pk:
            self.fields["seen_updated_at"].initial = self.instance.updated_at

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            (lat is None) != (lon is None)
            and not self.has_error("latitude")
            and not (self.has_error("longitude"))
        ):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class ApiTokenForm(forms.Form):
    # Shown on the profile page beside the profile form, which has its own "name".
    prefix = "token"

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, for example the name of the program that uses it."),
    )
