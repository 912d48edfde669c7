"""Every write of the network: embeddings and related initiatives (computed in the background),
offers and needs, connections between initiatives."""

import hashlib

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.core.services import audit_record, notify
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative

from . import similarity
from .choices import OPEN_STATUSES, ConnectionKind, ConnectionStatus, ExchangeCategory, ExchangeSide
from .models import Connection, ExchangeItem, InitiativeVector, Relation
from .permissions import can_act_for_initiative

NEIGHBOURS = 10
# How many nearest texts are looked at closely, besides the initiatives sharing SDG targets.
TEXT_CANDIDATES = 200
CHUNK = 5000
WEIGHTS = {
    "text": 0.55,
    "targets": 0.15,
    "goals": 0.1,
    "policy_areas": 0.1,
    "region": 0.05,
    "organization_kind": 0.05,
}


# Related initiatives --------------------------------------------------------------------------


def initiative_text(initiative: Initiative) -> str:
    """Title and summary in every language the initiative has."""
    parts = [initiative.title, strip_tags(initiative.summary or "")]
    for translation in initiative.translations.all():
        parts += [translation.title, strip_tags(translation.summary or "")]
    return "\n".join(part.strip() for part in parts if part and part.strip())


def vector_refresh(initiative: Initiative, engine=None) -> InitiativeVector | None:
    """Embed the initiative's text unless it is unchanged since the last time."""
    engine = engine or similarity.engine()
    text = initiative_text(initiative)
    digest = hashlib.sha256(text.encode()).hexdigest()
    current = InitiativeVector.objects.filter(initiative=initiative).first()
    if current and current.engine == engine.name and current.text_hash == digest:
        return current
    vector = engine.embed([text])[0]
    stored, _created = InitiativeVector.objects.update_or_create(
        initiative=initiative,
        defaults={"engine": engine.name, "data": similarity.to_bytes(vector), "text_hash": digest},
    )
    return stored


def _features(ids: list[int]) -> dict[int, dict]:
    """SDG targets and goals, policy areas, region and kind of organization of some initiatives,
    in a few queries whatever their number."""
    features = {pk: {"targets": set(), "goals": set(), "policy_areas": set()} for pk in ids}
    for pk, section, kind in Initiative.objects.filter(pk__in=ids).values_list(
        "pk", "lead_organization__regional_section", "lead_organization__kind"
    ):
        features[pk]["region"], features[pk]["organization_kind"] = section, kind
    through = Initiative.targets.through
    for pk, code in through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "target__code"
    ):
        features[pk]["targets"].add(code)
    through = Initiative.goals.through
    for pk, number in through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "goal__number"
    ):
        features[pk]["goals"].add(number)
    through = Initiative.policy_areas.through
    for pk, area in through.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "policyarea_id"
    ):
        features[pk]["policy_areas"].add(area)
    return features


def relation_between(mine: dict, theirs: dict, text: float) -> tuple[float, dict]:
    """The combined score of two initiatives and the reasons behind it."""
    reasons: dict = {"text": round(text, 3)}
    targets = sorted(mine["targets"] & theirs["targets"])
    goals = sorted(mine["goals"] & theirs["goals"])
    areas = sorted(mine["policy_areas"] & theirs["policy_areas"])
    if targets:
        reasons["targets"] = targets
    if goals:
        reasons["goals"] = goals
    if areas:
        reasons["policy_areas"] = areas
    if mine.get("region") and mine.get("region") == theirs.get("region"):
        reasons["region"] = True
    if mine.get("organization_kind") and mine.get("organization_kind") == theirs.get(
        "organization_kind"
    ):
        reasons["organization_kind"] = True
    score = (
        WEIGHTS["text"] * text
        + WEIGHTS["targets"] * min(len(targets), 3) / 3
        + WEIGHTS["goals"] * min(len(goals), 3) / 3
        + WEIGHTS["policy_areas"] * min(len(areas), 2) / 2
        + WEIGHTS["region"] * bool(reasons.get("region"))
        + WEIGHTS["organization_kind"] * bool(reasons.get("organization_kind"))
    )
    return round(score, 4), reasons


def _text_scores(vector: np.ndarray, engine_name: str, exclude: int) -> dict[int, float]:
    """Cosine of the initiative's vector with every other public initiative's, read in chunks
    (numpy does the arithmetic), keeping the best TEXT_CANDIDATES."""
    best: dict[int, float] = {}
    rows = (
        InitiativeVector.objects.filter(engine=engine_name, initiative__status__in=PUBLIC_STATUSES)
        .exclude(initiative_id=exclude)
        .values_list("initiative_id", "data")
    )
    ids, blobs = [], []

    def flush():
        if not ids:
            return
        matrix = np.frombuffer(b"".join(bytes(b) for b in blobs), dtype=np.float32).reshape(
            len(ids), -1
        )
        scores = matrix @ vector
        for pk, score in zip(ids, scores.tolist(), strict=True):
            best[pk] = score
        if len(best) > TEXT_CANDIDATES:
            kept = sorted(best.items(), key=lambda item: -item[1])[:TEXT_CANDIDATES]
            best.clear()
            best.update(kept)
        ids.clear()
        blobs.clear()

    for pk, data in rows.iterator(chunk_size=CHUNK):
        ids.append(pk)
        blobs.append(data)
        if len(ids) >= CHUNK:
            flush()
    flush()
    return best


@transaction.atomic
def relations_refresh(initiative: Initiative, engine=None) -> list[Relation]:
    """Recompute an initiative's nearest neighbours, and put it among theirs where it now
    belongs. Runs in the background after an initiative changes."""
    engine = engine or similarity.engine()
    stored = vector_refresh(initiative, engine)
    Relation.objects.filter(initiative=initiative).delete()
    if initiative.status not in PUBLIC_STATUSES:
        Relation.objects.filter(other=initiative).delete()
        return []
    vector = similarity.from_bytes(stored.data)
    cosines = _text_scores(vector, engine.name, initiative.pk)
    sharing = Initiative.objects.filter(
        status__in=PUBLIC_STATUSES, targets__in=initiative.targets.all()
    ).exclude(pk=initiative.pk)
    candidates = set(cosines) | set(sharing.values_list("pk", flat=True)[:TEXT_CANDIDATES])
    if not candidates:
        return []
    missing = candidates - set(cosines)
    if missing:
        for pk, data in InitiativeVector.objects.filter(
            initiative_id__in=missing, engine=engine.name
        ).values_list("initiative_id", "data"):
            cosines[pk] = float(similarity.from_bytes(data) @ vector)
    features = _features([initiative.pk, *candidates])
    mine = features[initiative.pk]
    scored = []
    for pk in candidates:
        text = similarity.rescaled(cosines.get(pk, 0.0), engine.floor)
        score, reasons = relation_between(mine, features[pk], text)
        scored.append((score, text, pk, reasons))
    scored.sort(key=lambda item: (-item[0], item[2]))
    relations = Relation.objects.bulk_create(
        Relation(initiative=initiative, other_id=pk, score=score, text_score=text, reasons=reasons)
        for score, text, pk, reasons in scored[:NEIGHBOURS]
    )
    _place_among_theirs(initiative, scored[: NEIGHBOURS * 5])
    return relations


def _place_among_theirs(initiative: Initiative, scored: list[tuple]) -> None:
    """Relatedness is symmetric: the initiative enters (or leaves) the lists of the others
    it is close to, each list keeping its best NEIGHBOURS."""
    Relation.objects.filter(other=initiative).delete()
    others = [pk for _score, _text, pk, _reasons in scored]
    lists: dict[int, list[float]] = {pk: [] for pk in others}
    for pk, score in Relation.objects.filter(initiative_id__in=others).values_list(
        "initiative_id", "score"
    ):
        lists[pk].append(score)
    new = []
    for score, text, pk, reasons in scored:
        current = sorted(lists[pk], reverse=True)
        if len(current) < NEIGHBOURS or score > current[NEIGHBOURS - 1]:
            new.append(
                Relation(
                    initiative_id=pk,
                    other=initiative,
                    score=score,
                    text_score=text,
                    reasons=reasons,
                )
            )
    Relation.objects.bulk_create(new)
    for relation in new:
        extra = Relation.objects.filter(initiative_id=relation.initiative_id).order_by(
            "-score", "other_id"
        )[NEIGHBOURS:]
        Relation.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()


def relations_refresh_all(*, engine=None, progress=None) -> int:
    """Embed every initiative, then compute every public one's neighbours (demo, upgrades)."""
    engine = engine or similarity.engine()
    initiatives = list(Initiative.objects.prefetch_related("translations").order_by("pk"))
    for initiative in initiatives:
        vector_refresh(initiative, engine)
    count = 0
    for initiative in initiatives:
        if initiative.status in PUBLIC_STATUSES:
            relations_refresh(initiative, engine)
            count += 1
            if progress:
                progress(count)
    return count


# Offers and needs ------------------------------------------------------------------------------


@transaction.atomic
def exchange_item_save(
    *, actor, initiative: Initiative, data: dict, item: ExchangeItem | None = None
) -> ExchangeItem:
    if not can_act_for_initiative(actor, initiative):
        raise PermissionDenied
    if item is None:
        item = ExchangeItem(initiative=initiative, created_by=actor)
    elif item.initiative_id != initiative.pk:
        raise PermissionDenied
    for field in ("side", "category", "title", "description"):
        if field in data:
            setattr(item, field, str(data[field] or "").strip())
    errors = {}
    if item.side not in ExchangeSide.values:
        errors["side"] = [_("Say whether this is an offer or a need.")]
    if item.category not in ExchangeCategory.values:
        errors["category"] = [_("Choose a category.")]
    # A TextField's max_length is not checked by full_clean.
    if len(item.description or "") > 2000:
        errors["description"] = [
            _("Keep the description under %(limit)s characters (it has %(count)s).")
            % {"limit": 2000, "count": len(item.description)}
        ]
    try:
        item.full_clean(exclude=["initiative", "created_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    created = item.pk is None
    item.save()
    audit_record(
        actor=actor,
        action="exchange_item.create" if created else "exchange_item.update",
        target=item,
    )
    return item


@transaction.atomic
def exchange_item_delete(*, actor, item: ExchangeItem) -> None:
    if not can_act_for_initiative(actor, item.initiative):
        raise PermissionDenied
    audit_record(actor=actor, action="exchange_item.delete", target=item)
    item.delete()


# Connections -----------------------------------------------------------------------------------


def _team(initiative: Initiative):
    """Who answers for an initiative: its lead organization's admins and editors."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__organization=initiative.lead_organization,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
    )


@transaction.atomic
def connection_request(
    *, actor, source: Initiative, target: Initiative, kind: str, message: str = ""
) -> Connection:
    """The source's team asks the target to connect. One open request or connection per pair,
    whichever side asked."""
    if not can_act_for_initiative(actor, source):
        raise PermissionDenied
    if source.pk == target.pk:
        raise ValidationError(_("An initiative cannot connect with itself."))
    if target.status not in PUBLIC_STATUSES:
        raise ValidationError(_("Only HUBs and accompanied initiatives can be asked to connect."))
    if kind not in ConnectionKind.values:
        raise ValidationError({"kind": [_("Choose the kind of connection.")]})
    message = str(message or "").strip()
    if len(message) > 2000:
        raise ValidationError(
            {
                "message": [
                    _("Keep the message under %(limit)s characters (it has %(count)s).")
                    % {"limit": 2000, "count": len(message)}
                ]
            }
        )
    low, high = sorted([source.pk, target.pk])
    existing = Connection.objects.filter(low_id=low, high_id=high, status__in=OPEN_STATUSES).first()
    if existing is not None:
        if existing.status == ConnectionStatus.ACCEPTED:
            raise ValidationError(_("These initiatives are already connected."))
        raise ValidationError(
            _("A connection request between these initiatives is already waiting for an answer.")
        )
    connection = Connection(
        source=source, target=target, kind=kind, message=message, requested_by=actor
    )
    try:
        with transaction.atomic():
            connection.save()
    except IntegrityError:
        raise ValidationError(
            _("A connection request between these initiatives is already waiting for an answer.")
        ) from None
    audit_record(
        actor=actor, action="connection.request", target=connection, changes={"kind": kind}
    )
    notify(
        recipients=_team(target),
        kind="connection_requested",
        context={
            "source": source.title,
            "target": target.title,
            "kind": str(ConnectionKind(kind).label),
        },
        url=target.get_absolute_url() + "#connections",
    )
    return connection


@transaction.atomic
def connection_decide(*, actor, connection: Connection, accept: bool) -> Connection:
    """The target's team accepts or declines a waiting request."""
    connection = (
        Connection.objects.select_for_update()
        .select_related("source", "target")
        .get(pk=connection.pk)
    )
    if not can_act_for_initiative(actor, connection.target):
        raise PermissionDenied
    if connection.status != ConnectionStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    connection.status = ConnectionStatus.ACCEPTED if accept else ConnectionStatus.DECLINED
    connection.decided_by = actor
    connection.decided_at = timezone.now()
    connection.save()
    audit_record(actor=actor, action=f"connection.{connection.status}", target=connection)
    notify(
        recipients=_team(connection.source),
        kind=f"connection_{connection.status}",
        context={"source": connection.source.title, "target": connection.target.title},
        url=connection.source.get_absolute_url() + "#connections",
    )
    return connection


@transaction.atomic
def connection_withdraw(*, actor, connection: Connection) -> Connection:
    """The source withdraws its waiting request; either side may end an accepted connection."""
    connection = (
        Connection.objects.select_for_update()
        .select_related("source", "target")
        .get(pk=connection.pk)
    )
    if connection.status == ConnectionStatus.REQUESTED:
        allowed = can_act_for_initiative(actor, connection.source)
    elif connection.status == ConnectionStatus.ACCEPTED:
        allowed = can_act_for_initiative(actor, connection.source) or can_act_for_initiative(
            actor, connection.target
        )
    else:
        raise ValidationError(_("This connection is no longer active."))
    if not allowed:
        raise PermissionDenied
    connection.status = ConnectionStatus.WITHDRAWN
    connection.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="connection.withdraw", target=connection)
    return connection
