"""The knowledge library: resources (good practices, publications, toolkits, training,
policy papers, videos) with their files and links, good-practice case studies, and curated
collections. Title and summary stay in their original language; translations are optional
(as for initiatives)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from local4action.calls.storage import private_storage
from local4action.core.models import TimeStampedModel

from .choices import Extraction, Licence, ResourceKind, ResourceStatus


class Resource(TimeStampedModel):
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ResourceStatus.choices, default=ResourceStatus.DRAFT
    )
    language = models.CharField(
        _("original language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    organizations = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="resources",
        verbose_name=_("organizations"),
    )
    # The organization that submits it (a good practice from an LRG team); staff may leave it
    # empty for the secretariat's own publications.
    owner_organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_resources",
        verbose_name=_("submitted by"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    cover = models.ImageField(_("cover image"), upload_to="library/covers/", blank=True)
    licence = models.CharField(
        _("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY
    )
    goals = models.ManyToManyField("core.Goal", blank=True, verbose_name=_("SDGs"))
    targets = models.ManyToManyField("core.Target", blank=True, verbose_name=_("SDG targets"))
    policy_areas = models.ManyToManyField(
        "core.PolicyArea", blank=True, verbose_name=_("policy areas")
    )
    regions = models.ManyToManyField("core.RegionalSection", blank=True, verbose_name=_("regions"))
    countries = CountryField(_("countries"), multiple=True, blank=True)
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", blank=True, related_name="resources", verbose_name=_("HUBs")
    )
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="resources", verbose_name=_("events")
    )
    actions = models.ManyToManyField(
        "workplan.Action",
        blank=True,
        related_name="resources",
        verbose_name=_("work plan actions"),
    )
    threads = models.ManyToManyField(
        "exchange.Thread", blank=True, related_name="resources", verbose_name=_("discussions")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    review_note = models.TextField(_("note from the secretariat"), blank=True)
    # Stemmed, accent-free words of titles, summaries, case study and files' text
    # (core.search), rewritten by services whenever one of them changes.
    search_text = models.TextField(default="", blank=True, editable=False)
    # The same words of the titles, summaries, authors and translations only: short, stored
    # in the row, what the catalogue ranks by (a match there comes before one in a file).
    search_head = models.TextField(default="", blank=True, editable=False)
    # Its SDGs and available languages as bits, its regional sections' ids as " 5 12 "
    # (library.search), rewritten with the search columns: the catalogue filters and counts
    # these facets on the row itself, without joins (bench/library.py).
    goal_bits = models.PositiveIntegerField(default=0, editable=False)
    language_bits = models.PositiveSmallIntegerField(default=0, editable=False)
    region_keys = models.TextField(default="", blank=True, editable=False)
    # Bumped on each edit: a form carries the version it was read at (no silent overwrite).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="resource_has_title"),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ResourceStatus.values), name="resource_status_known"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | (Q(year__gte=1950) & Q(year__lte=2100)),
                name="resource_year_sensible",
            ),
            models.CheckConstraint(
                condition=~Q(status=ResourceStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="resource_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # The library's data version reads the latest change (selectors.data_version).
            models.Index(fields=["updated_at"], name="library_resource_changed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:resource", args=[self.slug])


class ResourceTranslation(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "language"], name="resource_translation_once"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="resource_translation_title"),
        ]

    def __str__(self):
        return f"{self.language}: {self.title}"


class GoodPractice(models.Model):
    """The structured case study of a good-practice resource."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="case")
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("drawn from the HUB"),
    )
    context = models.TextField(_("context"), blank=True)
    what_was_done = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results, with figures"), blank=True)
    success_factors = models.TextField(_("what made it work"), blank=True)
    watch_out = models.TextField(_("what to watch for"), blank=True)
    replication = models.TextField(_("how to replicate it"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self):
        return str(self.resource)


class ResourceFile(models.Model):
    """A document of a resource in one language. Stored privately and served through a view
    that counts downloads (no personal data kept)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to="library/files/", storage=private_storage)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    # Content hash: the same document is never stored twice in the library.
    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField(default="", blank=True, editable=False)
    extraction = models.CharField(
        _("text for the search"),
        max_length=20,
        choices=Extraction.choices,
        default=Extraction.PENDING,
    )
    extraction_error = models.CharField(max_length=500, blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.CheckConstraint(
                condition=Q(extraction__in=Extraction.values), name="resource_file_extraction"
            )
        ]

    def __str__(self):
        return self.name


class ResourceLink(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("address"), max_length=500)
    label = models.CharField(_("label"), max_length=200)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.label


class ResourceRelation(models.Model):
    """One of a resource's nearest published resources (network.similarity's engine over
    titles and summaries, plus shared goals and areas); computed in the background."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="relations")
    other = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score", "other_id"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "other"], name="resource_relation_once"),
            models.CheckConstraint(
                condition=~Q(resource=F("other")), name="resource_relation_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.resource_id} → {self.other_id}"


class Collection(TimeStampedModel):
    slug = models.SlugField(_("web address"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    published = models.BooleanField(_("published"), default=False)
    resources = models.ManyToManyField(
        Resource, through="CollectionItem", related_name="collections"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="collection_title")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:collection", args=[self.slug])


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["collection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="collection_item_once"),
            models.UniqueConstraint(
                fields=["collection", "position"], name="collection_item_position"
            ),
        ]

    def __str__(self):
        return f"{self.collection_id}#{self.position}"
