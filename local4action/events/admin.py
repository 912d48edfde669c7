"""Read-mostly admin: events are created, changed and decided from the event pages, where every
change is checked and audited; the admin is for looking things up."""

from django.contrib import admin

from .models import Event, Idea, Invitation, Registration, Session, SponsorshipRequest


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["start_at", "end_at", "title", "kind", "language", "streamed"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start_at", "time_zone", "visibility", "published"]
    list_filter = ["kind", "visibility", "published"]
    search_fields = ["title", "city"]
    date_hierarchy = "start_at"
    # Seats, dates and publication go through the event pages (capacity rules, audit).
    readonly_fields = [
        "slug",
        "start_at",
        "end_at",
        "time_zone",
        "capacity",
        "visibility",
        "published",
        "parent",
        "feedback_survey",
        "summary_published_at",
        "created_by",
    ]
    filter_horizontal = ["organizers", "initiatives", "goals"]
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "event", "status", "attendance", "checked_in_at"]
    list_filter = ["status", "attendance"]
    list_select_related = ["person", "event"]
    search_fields = ["person__email", "event__title"]
    readonly_fields = [
        "event",
        "person",
        "status",
        "attendance",
        "organization",
        "answers",
        "invitation",
        "waitlisted_at",
        "decided_at",
        "cancelled_at",
        "checked_in_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "event", "created_at", "sent_at", "accepted_at"]
    list_select_related = ["event"]
    search_fields = ["email", "event__title"]
    # The secret's hash is never shown.
    exclude = ["token_hash"]
    readonly_fields = [
        "event",
        "email",
        "name",
        "language",
        "invited_by",
        "created_at",
        "accepted_by",
        "accepted_at",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(SponsorshipRequest)
class SponsorshipRequestAdmin(admin.ModelAdmin):
    list_display = ["registration", "travel", "lodging", "status", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["registration__person", "registration__event"]
    readonly_fields = [
        "registration",
        "travel",
        "lodging",
        "justification",
        "status",
        "reason",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["text", "session", "status", "votes_count", "created_at"]
    list_filter = ["status"]
    list_select_related = ["session"]
    search_fields = ["text", "city"]
    readonly_fields = ["session", "author", "status", "merged_into", "votes_count"]

    def has_add_permission(self, request):
        return False
