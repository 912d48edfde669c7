from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    REGIONAL_GOVERNMENT = "regional_government", _("Regional government")
    LRG_ASSOCIATION = "lrg_association", _("Association of local and regional governments")
    PARTNER = "partner", _("Partner")
    SECRETARIAT = "secretariat", _("Secretariat")


# Kinds that may lead an initiative (DESIGN.md: "locally led").
LRG_KINDS = (
    OrganizationKind.LOCAL_GOVERNMENT,
    OrganizationKind.REGIONAL_GOVERNMENT,
    OrganizationKind.LRG_ASSOCIATION,
)


class OrganizationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    EDITOR = "editor", _("Editor")
    ADMIN = "admin", _("Administrator")


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")


class PlatformRole(models.TextChoices):
    """Platform-wide roles, kept as Django groups of the same name."""

    SECRETARIAT = "secretariat", _("Secretariat staff")
    REVIEWER = "reviewer", _("Reviewer")
    PARTNER = "partner", _("Partner")
