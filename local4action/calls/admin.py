from django.contrib import admin

from .models import Application, Call, ConflictOfInterest, Criterion, Question, Review


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "key", "name", "description", "weight", "min_score"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["stage", "position", "key", "text", "kind", "required", "criterion"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Staff adapt a call's criteria and questions here; the call itself is created and opened
    from the call pages, where it is audited."""

    list_display = ["title", "status", "opens_at", "closes_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "results_published", "created_by"]
    inlines = [CriterionInline, QuestionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["initiative", "call", "status", "submitted_at"]
    list_filter = ["call", "status"]
    list_select_related = ["initiative", "call"]
    # Decisions and reviews go through the application pages (audited), never through here.
    readonly_fields = [
        "status",
        "call",
        "initiative",
        "submitted_at",
        "eoi_submitted_at",
        "decided_at",
        "decision_reason",
        "created_by",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "status", "recommendation"]
    list_filter = ["status"]
    list_select_related = ["application__initiative", "reviewer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConflictOfInterest)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "organization", "created_at"]
