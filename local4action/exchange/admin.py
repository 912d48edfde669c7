"""Read-mostly admin: messages are written, hidden and reported from the exchange pages and the
moderation page, where every change is checked and audited; the admin is for looking things up."""

from django.contrib import admin

from .models import Block, Follow, Post, Preference, Report, Thread


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "language", "posts_count", "last_post_at", "locked"]
    list_filter = ["locked", "language"]
    search_fields = ["title"]
    list_select_related = ["initiative", "goal", "policy_area", "event"]
    date_hierarchy = "created_at"


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "thread", "author", "created_at", "edited_at", "hidden_at"]
    list_filter = ["language"]
    list_select_related = ["thread", "author"]
    search_fields = ["body", "author__email", "thread__title"]
    exclude = ["search_text", "mentions"]
    date_hierarchy = "created_at"


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["post", "reporter", "status", "created_at", "resolved_by"]
    list_filter = ["status"]
    list_select_related = ["post", "reporter", "resolved_by"]
    search_fields = ["reason", "reporter__email"]


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["user", "reason", "blocked_by", "created_at"]
    list_select_related = ["user", "blocked_by"]
    search_fields = ["user__email", "reason"]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["thread", "user", "created_at"]
    list_select_related = ["thread", "user"]
    search_fields = ["user__email", "thread__title"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "frequency", "digest_sent_at"]
    list_filter = ["frequency"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
