"""Evaluating a work plan: progress by pillar and section, statuses, actions by partner and by
SDG, what needs attention and what changed since a date; the same as a printable report, and
every action in a spreadsheet. Every figure comes with its data table (the charts are drawn by
static/js/charts.js when scripts run; the tables alone carry the information)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from local4action.core.charts import bar_chart
from local4action.core.spreadsheets import xlsx_download

from . import selectors
from .choices import ATTENTION, Status
from .models import WorkPlan
from .views import viewable_plan

# The same colours as the status tags of app.css where there is one; Okabe-Ito otherwise.
STATUS_COLORS = {
    Status.NOT_STARTED: "#6b7280",
    Status.ON_TRACK: "#0072B2",
    Status.AT_RISK: "#b45309",
    Status.DELAYED: "#a61b1b",
    Status.DONE: "#116530",
    Status.DROPPED: "#52606d",
}
CHANGES_DAYS = 30
# The "changed since" list shows this many updates; the count says how many there are.
CHANGES_SHOWN = 200


def _since(request) -> tuple[datetime.date, str]:
    """The date of "changed since" (GET `since`, YYYY-MM-DD; 30 days ago by default) and a
    message when the one given cannot be read."""
    default = timezone.localdate() - datetime.timedelta(days=CHANGES_DAYS)
    given = request.GET.get("since", "").strip()
    if not given:
        return default, ""
    try:
        since = datetime.date.fromisoformat(given)
    except ValueError:
        since = None
    if since is None or not 2000 <= since.year <= 2100:
        return default, _(
            "“%(given)s” is not a date (YYYY-MM-DD): the changes since %(default)s are shown."
        ) % {"given": given[:40], "default": date_format(default, "DATE_FORMAT")}
    return since, ""


def _attention_reason(action) -> str:
    if action.status in ATTENTION:
        return action.get_status_display()
    return _("Past its due date")


def _figures(plan: WorkPlan, request) -> dict:
    """Everything the evaluation page and the printable report show."""
    today = timezone.localdate()
    pillars = selectors.progress_by_pillar(plan)
    sections = selectors.progress_by_section(plan)
    statuses = selectors.status_distribution(plan)
    sdgs = selectors.actions_by_sdg(plan)
    top_sections = [row for row in sections if row["section"].depth == 2]
    attention = list(selectors.actions_needing_attention(plan, today=today))
    for action in attention:
        action.reason = _attention_reason(action)
    since, since_error = _since(request)
    changes = selectors.changes_since(plan, since)
    progress = _("Progress (%)")
    return {
        "plan": plan,
        "today": today,
        "pillars": pillars,
        "pillar_chart": bar_chart(
            title=_("Mean progress by pillar (%)"),
            series=progress,
            bars=[
                (f"{r['pillar'].number}. {r['pillar'].title}", r["progress"], None) for r in pillars
            ],
        ),
        "sections": sections,
        "top_sections": top_sections,
        "section_chart": bar_chart(
            title=_("Mean progress by section (%)"),
            series=progress,
            bars=[
                (f"{r['section'].number} {r['section'].title}", r["progress"], None)
                for r in top_sections
            ],
        ),
        "statuses": statuses,
        "total": sum(row["count"] for row in statuses),
        "status_chart": bar_chart(
            title=_("Actions by status"),
            series=_("Actions"),
            bars=[(r["label"], r["count"], STATUS_COLORS.get(r["status"])) for r in statuses],
        ),
        "partners": selectors.actions_by_partner(plan),
        "sdgs": sdgs,
        "sdg_chart": bar_chart(
            title=_("Actions by SDG"),
            series=_("Actions"),
            bars=[(str(r["goal"]), r["count"], r["goal"].color) for r in sdgs],
        ),
        "attention": attention,
        "since": since,
        "since_error": since_error,
        "changes_count": changes.count(),
        "changes": list(changes[:CHANGES_SHOWN]),
    }


@login_required
def evaluation(request, year: int):
    plan = viewable_plan(request, year)
    return render(request, "workplan/evaluation.html", _figures(plan, request))


@login_required
def report(request, year: int):
    """The evaluation laid out for paper (the browser's Print command), with every action."""
    plan = viewable_plan(request, year)
    context = _figures(plan, request)
    context["tree"] = selectors.plan_tree(plan)
    context["printed_at"] = timezone.now()
    return render(request, "workplan/report.html", context)


def _export_rows(tree: list[dict]):
    def walk(pillar, nodes):
        for node in nodes:
            section = node["section"]
            for action in node["actions"]:
                latest = action.latest_update
                yield [
                    f"{pillar.number}. {pillar.title}",
                    section.number,
                    section.title,
                    action.text_plain,
                    action.get_tier_display(),
                    action.partner_name,
                    (action.owner.name or action.owner.email) if action.owner else "",
                    action.owner_team,
                    action.get_status_display(),
                    action.progress,
                    action.due_date,
                    action.last_update_at,
                    latest.note if latest else "",
                ]
            yield from walk(pillar, node["children"])

    for entry in tree:
        yield from walk(entry["pillar"], entry["sections"])


@login_required
def export_xlsx(request, year: int):
    """One row per action, in document order."""
    plan = viewable_plan(request, year)
    header = [
        _("Pillar"),
        _("Section"),
        _("Section title"),
        _("Action"),
        _("Tier"),
        _("Partnership with"),
        _("Owner"),
        _("Owner team"),
        _("Status"),
        _("Progress (%)"),
        _("Due date"),
        _("Last update"),
        _("Last note"),
    ]
    return xlsx_download(
        title=str(plan),
        sheet_name=_("Work plan %(year)s") % {"year": plan.year},
        header=header,
        rows=_export_rows(selectors.plan_tree(plan)),
        filename=f"workplan-{plan.year}-{slugify(plan.title)[:40] or 'actions'}.xlsx",
    )


urlpatterns = [
    path("workplan/<int:year>/evaluation/", evaluation, name="evaluation"),
    path("workplan/<int:year>/report/", report, name="report"),
    path("workplan/<int:year>/export.xlsx", export_xlsx, name="export"),
]
