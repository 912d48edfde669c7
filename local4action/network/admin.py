"""Read-mostly admin: connections, offers and needs are written from the initiative pages,
where every change is checked and audited; relations are computed in the background. The
admin is for looking things up."""

from django.contrib import admin

from .models import Connection, ExchangeItem, InitiativeVector, Relation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Connection)
class ConnectionAdmin(ReadOnlyAdmin):
    list_display = ["source", "target", "kind", "status", "created_at", "decided_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["source", "target"]
    search_fields = ["source__title", "target__title"]
    exclude = ["low", "high"]
    date_hierarchy = "created_at"


@admin.register(ExchangeItem)
class ExchangeItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "initiative", "side", "category", "updated_at"]
    list_filter = ["side", "category"]
    list_select_related = ["initiative"]
    search_fields = ["title", "description", "initiative__title"]


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "other", "score", "text_score", "computed_at"]
    list_select_related = ["initiative", "other"]
    search_fields = ["initiative__title", "other__title"]


@admin.register(InitiativeVector)
class InitiativeVectorAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "engine", "updated_at"]
    list_filter = ["engine"]
    list_select_related = ["initiative"]
    exclude = ["data"]
