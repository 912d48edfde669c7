from django.contrib import admin

from .models import (
    AuditEvent,
    Axis,
    Goal,
    Indicator,
    Notification,
    PolicyArea,
    RegionalSection,
    Target,
)


@admin.register(RegionalSection, Axis)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "name_es", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(PolicyArea)
class PolicyAreaAdmin(TaxonomyAdmin):
    list_display = [*TaxonomyAdmin.list_display, "axis"]
    list_filter = ["axis"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reference data and records that only code writes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["number", "short_en", "color"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["code", "goal"]
    list_filter = ["goal"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "target", "obsolete"]
    search_fields = ["code", "title_en"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__email", "reason"]
    list_select_related = ["actor"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "read_at", "email_sent_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
