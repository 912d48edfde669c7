"""The library in the admin, for the secretariat to look things up and correct details.

The lifecycle (submit, publish, return, withdraw), uploads and removals of files go through
the library's pages, where every decision is checked and audited: here the status and dates
are read-only and files are only looked at. Each file shows how reading its text for the
search went, with the reason when it failed, so that a failed extraction is seen, not lost.
A correction saved here refreshes the search column and, for a published resource, its
related resources, as the services do."""

from django.contrib import admin
from django.db import transaction

from . import search
from .choices import ResourceStatus
from .models import (
    Collection,
    CollectionItem,
    GoodPractice,
    Resource,
    ResourceFile,
    ResourceLink,
    ResourceTranslation,
)


class TranslationInline(admin.StackedInline):
    model = ResourceTranslation
    extra = 0


class GoodPracticeInline(admin.StackedInline):
    model = GoodPractice
    extra = 0
    max_num = 1
    can_delete = False
    autocomplete_fields = ["initiative"]


class FileInline(admin.TabularInline):
    model = ResourceFile
    extra = 0
    fields = ["name", "language", "size", "content_type", "extraction", "extraction_error"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class LinkInline(admin.TabularInline):
    model = ResourceLink
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "status", "owner_organization", "published_at"]
    list_filter = ["status", "kind", "language", "files__extraction"]
    search_fields = ["title", "summary", "authors", "slug"]
    list_select_related = ["owner_organization"]
    readonly_fields = [
        "status",
        "submitted_at",
        "published_at",
        "review_note",
        "created_by",
        "version",
    ]
    filter_horizontal = [
        "goals",
        "targets",
        "policy_areas",
        "regions",
        "organizations",
        # The secretariat may not search events and threads in the admin (no permission).
        "events",
        "threads",
    ]
    autocomplete_fields = ["owner_organization", "initiatives", "actions"]
    inlines = [TranslationInline, GoodPracticeInline, FileInline, LinkInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        resource = form.instance
        search.refresh(resource)
        if resource.status == ResourceStatus.PUBLISHED:
            from .tasks import refresh_relations

            transaction.on_commit(lambda: refresh_relations.enqueue(resource.pk))


@admin.register(ResourceFile)
class ResourceFileAdmin(admin.ModelAdmin):
    list_display = ["name", "resource", "language", "size", "extraction", "downloads"]
    list_filter = ["extraction", "language"]
    list_select_related = ["resource"]
    search_fields = ["name", "resource__title", "sha256"]
    fields = [
        "resource",
        "name",
        "language",
        "content_type",
        "size",
        "sha256",
        "extraction",
        "extraction_error",
        "downloads",
        "uploaded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    fields = ["position", "resource"]
    autocomplete_fields = ["resource"]
    ordering = ["position"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "language", "published", "updated_at"]
    list_filter = ["published", "language"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CollectionItemInline]
