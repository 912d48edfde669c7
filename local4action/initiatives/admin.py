from django.contrib import admin

from .models import Initiative, InitiativeTranslation, Location


class TranslationInline(admin.StackedInline):
    model = InitiativeTranslation
    extra = 0


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "lead_organization", "status", "labelled_at"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]
    list_select_related = ["lead_organization"]
    # The lifecycle moves through decisions, which are audited.
    readonly_fields = ["status", "labelled_at", "created_by"]
    filter_horizontal = ["goals", "targets", "policy_areas", "partners"]
    inlines = [TranslationInline, LocationInline]
