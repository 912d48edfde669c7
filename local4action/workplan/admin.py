"""Read-only admin for looking things up: plans are imported, re-imported and tracked from the
work plan pages, where every change is checked and audited. A wrongly imported plan may be
deleted here (then imported again)."""

from django.contrib import admin

from .models import Action, ActionUpdate, Section, WorkPlan


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ["created_at", "author", "status", "progress", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WorkPlan)
class WorkPlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "title", "language", "source_name", "imported_by", "created_at"]
    search_fields = ["title"]

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("workplan.delete_workplan")


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "plan", "axis"]
    list_filter = ["plan", "axis"]
    list_select_related = ["plan"]
    search_fields = ["number", "title"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan", "section", "tier", "status", "progress", "owner"]
    list_filter = ["plan", "tier", "status"]
    list_select_related = ["plan", "section", "owner"]
    search_fields = ["text_plain", "partner_name", "owner_team", "owner__email"]
    inlines = [ActionUpdateInline]
