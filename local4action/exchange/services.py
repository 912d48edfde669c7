"""Every write of the exchange space: threads, posts and replies, mentions, attachments,
reactions, follows, email preferences and digests, reports and moderation."""

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from local4action.core import search
from local4action.core.models import Notification
from local4action.core.ratelimit import within_limit
from local4action.core.richtext import sanitize
from local4action.core.services import audit_record, notify
from local4action.core.uploads import check_upload

from . import permissions
from .choices import Frequency, ReactionKind, ReportStatus, Topic
from .models import (
    ATTACHMENT_MAX_BYTES,
    POST_MAX_CHARS,
    Attachment,
    Block,
    Follow,
    Post,
    Preference,
    Reaction,
    Report,
    Thread,
)

ATTACHMENTS_PER_POST = 3
MENTION = re.compile(r"@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
EXCHANGE_KINDS = ("exchange_reply", "exchange_mention")


def _language() -> str:
    return (get_language() or "en")[:2]


def _rate_limit(actor) -> None:
    """At most EXCHANGE_POSTS_PER_MINUTE posts a minute per person."""
    limit = getattr(settings, "EXCHANGE_POSTS_PER_MINUTE", 10)
    if not within_limit("exchange-posts", actor.pk, limit=limit):
        raise ValidationError(
            _("You are posting too fast: at most %(limit)s messages a minute. Wait a moment.")
            % {"limit": limit}
        )


def _body(body: str) -> tuple[str, str]:
    """Sanitized HTML and its plain text; refused when empty or too long."""
    body = str(body or "")
    if len(body) > POST_MAX_CHARS:
        raise ValidationError(
            {
                "body": [
                    _(
                        "A message can be %(limit)s characters long at most "
                        "(this one has %(count)s)."
                    )
                    % {"limit": f"{POST_MAX_CHARS:,}", "count": f"{len(body):,}"}
                ]
            }
        )
    clean = sanitize(body).strip()
    text = strip_tags(clean).strip()
    if not text:
        raise ValidationError({"body": [_("Write a message first.")]})
    return clean, text


def _require_poster(actor, thread: Thread | None = None) -> None:
    if not actor.is_authenticated:
        raise PermissionDenied
    if permissions.is_blocked(actor):
        raise ValidationError(
            _("Your account may not post in the exchange space. Contact the secretariat.")
        )
    if not permissions.can_post(actor, thread):
        raise PermissionDenied


def _attach(post: Post, uploads) -> None:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > ATTACHMENTS_PER_POST:
        raise ValidationError(
            {
                "attachments": [
                    _("Attach at most %(count)s files.") % {"count": ATTACHMENTS_PER_POST}
                ]
            }
        )
    for uploaded in uploads:
        try:
            content_type = check_upload(uploaded, max_bytes=ATTACHMENT_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from None
        Attachment.objects.create(
            post=post,
            file=uploaded,
            name=uploaded.name[:200],
            size=uploaded.size,
            content_type=content_type,
        )


def _mentioned(text: str, thread: Thread, author) -> list:
    emails = {match.lower() for match in MENTION.findall(text)}
    if not emails:
        return []
    people = get_user_model().objects.filter(email__in=emails, is_active=True).exclude(pk=author.pk)
    return [person for person in people if permissions.can_view_thread(person, thread)]


def _deliver(people, *, kind: str, context: dict, url: str) -> None:
    """Notify in-app; by email at once, in the daily digest, or not, as each person chose."""
    chosen = dict(Preference.objects.filter(user__in=people).values_list("user_id", "frequency"))
    immediate = [p for p in people if chosen.get(p.pk, Frequency.IMMEDIATE) == Frequency.IMMEDIATE]
    others = [p for p in people if p not in immediate]
    if immediate:
        notify(recipients=immediate, kind=kind, context=context, url=url)
    if others:
        notify(recipients=others, kind=kind, context=context, url=url, email=False)


def _publish(post: Post, actor) -> None:
    thread = post.thread
    Thread.objects.filter(pk=thread.pk).update(
        posts_count=F("posts_count") + 1, last_post_at=post.created_at, updated_at=timezone.now()
    )
    context = {
        "thread": thread.title,
        "author": actor.get_full_name() or actor.email,
        "excerpt": post.search_excerpt,
    }
    mentioned = _mentioned(post.plain, thread, actor)
    if mentioned:
        post.mentions.set(mentioned)
        _deliver(mentioned, kind="exchange_mention", context=context, url=post.get_absolute_url())
    followers = [
        follow.user
        for follow in Follow.objects.filter(thread=thread)
        .exclude(user=actor)
        .select_related("user")
        if follow.user not in mentioned and permissions.can_view_thread(follow.user, thread)
    ]
    if followers:
        _deliver(followers, kind="exchange_reply", context=context, url=post.get_absolute_url())


def _new_post(*, actor, thread: Thread, body: str, parent: Post | None, uploads) -> Post:
    clean, text = _body(body)
    language = _language()
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        author=actor,
        body=clean,
        language=language,
        search_text=search.document(text, language=language),
    )
    _attach(post, uploads)
    post.plain, post.search_excerpt = text, text[:200]
    _publish(post, actor)
    return post


TOPIC_FIELDS = {
    Topic.INITIATIVE: "initiative",
    Topic.GOAL: "goal",
    Topic.POLICY_AREA: "policy_area",
    Topic.EVENT: "event",
}


@transaction.atomic
def thread_create(*, actor, topic: str, about, title: str, body: str, uploads=()) -> Thread:
    """Open a thread about an initiative, an SDG, a policy area or an event, with its first
    message. The author follows it."""
    if topic not in TOPIC_FIELDS:
        raise ValidationError(_("Choose what the discussion is about."))
    thread = Thread(author=actor, title=" ".join(str(title or "").split()), language=_language())
    setattr(thread, TOPIC_FIELDS[topic], about)
    _require_poster(actor, thread)
    if not thread.title:
        raise ValidationError({"title": [_("Give the discussion a title.")]})
    try:
        MaxLengthValidator(Thread._meta.get_field("title").max_length)(thread.title)
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from None
    _rate_limit(actor)
    thread.search_text = search.document(thread.title, language=thread.language)
    thread.save()
    Follow.objects.create(thread=thread, user=actor)
    _new_post(actor=actor, thread=thread, body=body, parent=None, uploads=uploads)
    audit_record(actor=actor, action="thread.create", target=thread)
    thread.refresh_from_db()
    return thread


@transaction.atomic
def post_create(
    *, actor, thread: Thread, body: str, parent: Post | None = None, uploads=()
) -> Post:
    """Reply in a thread (or to a message in it: one level of replies)."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    _require_poster(actor, thread)
    if thread.locked:
        raise ValidationError(_("This discussion is locked: no new messages."))
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise ValidationError(_("You can only reply to a message of this discussion."))
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep: answer the reply's parent
    _rate_limit(actor)
    post = _new_post(actor=actor, thread=thread, body=body, parent=parent, uploads=uploads)
    audit_record(actor=actor, action="post.create", target=post)
    return post


def _own_live_post(actor, post: Post) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.author_id != actor.pk:
        raise PermissionDenied
    if post.deleted_at or post.hidden_at:
        raise ValidationError(_("This message can no longer be changed."))
    return post


@transaction.atomic
def post_edit(*, actor, post: Post, body: str) -> Post:
    """Authors edit their own messages; the message then shows "edited"."""
    post = _own_live_post(actor, post)
    if post.thread.locked:
        raise ValidationError(_("This discussion is locked: no new messages."))
    clean, text = _body(body)
    post.body, post.edited_at = clean, timezone.now()
    post.search_text = search.document(text, language=post.language)
    post.save(update_fields=["body", "edited_at", "search_text"])
    audit_record(actor=actor, action="post.edit", target=post)
    return post


@transaction.atomic
def post_delete(*, actor, post: Post) -> Post:
    """Authors delete their own messages (moderators hide instead). The place stays, marked
    deleted, so replies keep their context."""
    post = _own_live_post(actor, post)
    post.deleted_at, post.body, post.search_text = timezone.now(), "", ""
    post.save(update_fields=["deleted_at", "body", "search_text"])
    Attachment.objects.filter(post=post).delete()
    audit_record(actor=actor, action="post.delete", target=post)
    return post


@transaction.atomic
def reaction_toggle(*, actor, post: Post, kind: str) -> bool:
    """Add the reaction, or remove it when already given. Returns whether it is now given."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("Unknown reaction."))
    if not permissions.can_post(actor, post.thread):
        raise PermissionDenied
    if post.deleted_at or post.hidden_at:
        raise ValidationError(_("This message can no longer be changed."))
    deleted, _details = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=actor, kind=kind)
    except IntegrityError:
        pass  # the same click twice at once
    return True


@transaction.atomic
def follow_set(*, actor, thread: Thread, following: bool) -> None:
    if not permissions.can_view_thread(actor, thread):
        raise PermissionDenied
    if following:
        Follow.objects.get_or_create(thread=thread, user=actor)
    else:
        Follow.objects.filter(thread=thread, user=actor).delete()


@transaction.atomic
def preference_set(*, actor, frequency: str) -> Preference:
    if not actor.is_authenticated:
        raise PermissionDenied
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("Choose how often to receive emails.")]})
    preference, _created = Preference.objects.update_or_create(
        user=actor, defaults={"frequency": frequency}
    )
    return preference


def digest_send(*, now=None) -> int:
    """Once a day: one email per person who chose the digest, with the notifications of the
    exchange space not yet emailed. Returns how many emails went out."""
    from .tasks import send_digest_email

    now = now or timezone.now()
    due = Preference.objects.filter(frequency=Frequency.DAILY).exclude(
        digest_sent_at__gt=now - datetime.timedelta(hours=23)
    )
    sent = 0
    for preference in due.select_related("user"):
        pending = Notification.objects.filter(
            recipient=preference.user, kind__in=EXCHANGE_KINDS, email_sent_at__isnull=True
        )
        ids = list(pending.values_list("pk", flat=True))
        if ids and send_digest_email.call(preference.user_id, ids):
            sent += 1
        Preference.objects.filter(pk=preference.pk).update(digest_sent_at=now)
    return sent


# Reports and moderation ------------------------------------------------------------------------


def _require_moderator(actor) -> None:
    if not permissions.can_moderate(actor):
        raise PermissionDenied


@transaction.atomic
def report_create(*, actor, post: Post, reason: str) -> Report:
    if not permissions.can_view_thread(actor, post.thread):
        raise PermissionDenied
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why this message should be looked at.")]})
    if len(reason) > 1000:
        raise ValidationError(
            {"reason": [_("Keep the reason under %(limit)s characters.") % {"limit": 1000}]}
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=actor, reason=reason)
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this message; the staff will look at it.")
        ) from None
    audit_record(actor=actor, action="post.report", target=post, reason=reason)
    return report


@transaction.atomic
def post_hide(*, actor, post: Post, reason: str) -> Post:
    """Moderators hide a message; the reason is shown in its place. Open reports on it close."""
    _require_moderator(actor)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason shown in place of the message.")]})
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.hidden_at, post.hidden_reason, post.hidden_by = timezone.now(), reason[:1000], actor
    post.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    post.reports.filter(status=ReportStatus.OPEN).update(
        status=ReportStatus.HIDDEN, resolved_by=actor, updated_at=timezone.now()
    )
    audit_record(actor=actor, action="post.hide", target=post, reason=reason)
    return post


@transaction.atomic
def post_unhide(*, actor, post: Post) -> Post:
    _require_moderator(actor)
    post = Post.objects.select_for_update().get(pk=post.pk)
    post.hidden_at, post.hidden_reason, post.hidden_by = None, "", None
    post.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    audit_record(actor=actor, action="post.unhide", target=post)
    return post


@transaction.atomic
def report_dismiss(*, actor, report: Report) -> Report:
    _require_moderator(actor)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.OPEN:
        raise ValidationError(_("This report has already been handled."))
    report.status, report.resolved_by = ReportStatus.DISMISSED, actor
    report.save(update_fields=["status", "resolved_by", "updated_at"])
    audit_record(actor=actor, action="report.dismiss", target=report.post)
    return report


@transaction.atomic
def user_block(*, actor, user, reason: str) -> Block:
    _require_moderator(actor)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for blocking.")]})
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    block, _created = Block.objects.update_or_create(
        user=user, defaults={"reason": reason[:1000], "blocked_by": actor}
    )
    audit_record(actor=actor, action="user.block", target=user, reason=reason)
    return block


@transaction.atomic
def user_unblock(*, actor, user) -> None:
    _require_moderator(actor)
    Block.objects.filter(user=user).delete()
    audit_record(actor=actor, action="user.unblock", target=user)


@transaction.atomic
def thread_lock(*, actor, thread: Thread, locked: bool) -> Thread:
    _require_moderator(actor)
    thread.locked = locked
    thread.save(update_fields=["locked", "updated_at"])
    audit_record(actor=actor, action="thread.lock" if locked else "thread.unlock", target=thread)
    return thread
