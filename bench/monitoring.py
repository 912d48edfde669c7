"""Benchmark: the secretariat's portfolio dashboard, one initiative's dashboard and the
portfolio report's XLSX file, on a large portfolio.

    .venv/bin/python bench/monitoring.py [--initiatives 1000] [--indicators 10] [--measurements 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_monitoring \
        .venv/bin/python bench/monitoring.py

--indicators is per initiative and --measurements per indicator: the defaults make 1,000
followed initiatives, 10,000 indicators and 1,000,000 measurements. The initiatives' stored
statuses are then written by one full `services.statuses_refresh`, timed (with its queries and
the process's memory before and after), and the dashboard reads them. Uses DATABASE_URL when set
(its database is dropped and created again, so its name must contain "bench"), else a
throwaway SQLite file under /tmp. Not a test: pytest never collects it.
"""

import argparse
import datetime
import io
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

from common import database_version, django_setup, fresh_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path("/tmp/local4action-bench-monitoring.sqlite3")
RENDERS = 5
SEED = 2030
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--initiatives", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=10, help="per initiative")
    parser.add_argument("--measurements", type=int, default=100, help="per indicator")
    args = parser.parse_args()

    url = fresh_database(DEFAULT_SQLITE)
    django_setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # the test client's host, e-mails kept in memory
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    staff, counts, timings = populate(args.initiatives, args.indicators, args.measurements)
    populated = time.perf_counter()
    check_latest(sample=20)
    refresh = time_refresh()

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone, translation

    from local4action.initiatives.models import Initiative

    client = Client()
    client.force_login(staff)

    def fetch(url):
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(queries), len(response.content)

    def series(url):
        return [fetch(url) for _ in range(RENDERS)]

    dashboard = reverse("monitoring:dashboard")
    hub = Initiative.objects.order_by("pk").first()
    results = {
        "dashboard": series(dashboard),
        "dashboard, filtered": series(f"{dashboard}?region=europe&sdg=11&sort=region"),
        "dashboard, red, page 2": series(f"{dashboard}?light=red&sort=-name&page=2"),
        "dashboard, by SDG, page 50": series(f"{dashboard}?sort=sdg&page=50"),
        "initiative page": series(reverse("monitoring:initiative", args=[hub.slug])),
    }

    xlsx = None
    try:
        from local4action.monitoring import reports
    except ImportError:
        reports = None
    if reports is not None and hasattr(reports, "report_file"):
        today = timezone.localdate()
        params = {
            "date_from": today.replace(month=1, day=1).isoformat(),
            "date_to": today.isoformat(),
            "region": "",
            "sdg": "",
            "call": "",
        }
        results["report page"] = series(reverse("monitoring:portfolio_report"))
        with translation.override("en"), CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            _name, content = reports.report_file(params=params, format="xlsx")
            xlsx = ((time.perf_counter() - begin) * 1000, len(queries), len(content))

    print(f"database            {database_version(connection)} ({url})")
    for name, value in counts.items():
        print(f"{name:<19} {value:,}")
    print(
        f"set-up              migrate {migrated - started:.1f} s, "
        f"data {populated - migrated:.1f} s "
        f"({', '.join(f'{k} {v:.1f} s' for k, v in timings.items())})"
    )
    from local4action.monitoring import selectors

    print(
        f"statuses_refresh    {refresh['seconds']:.1f} s for {refresh['written']:,} initiatives, "
        f"{refresh['queries']} queries; RSS {refresh['rss_before']:.0f} → "
        f"{refresh['rss_after']:.0f} MiB (peak of the process so far {refresh['peak']:.0f} MiB)"
    )
    lights = selectors.portfolio(user=staff).by_light
    print(f"lights              {', '.join(f'{light} {n}' for light, _label, n in lights)}")
    for name, renders in results.items():
        times = [t for t, _, _ in renders]
        print(f"{name + ' queries':<27} {[q for _, q, _ in renders]} (per render)")
        print(
            f"{name + ' render':<27} min {min(times):.0f} ms, median "
            f"{statistics.median(times):.0f} ms ({RENDERS} renders: "
            f"{', '.join(f'{t:.0f}' for t in times)} ms; {renders[0][2] / 1024:.0f} KiB)"
        )
    if xlsx:
        print(
            f"report XLSX file            {xlsx[0]:.0f} ms, {xlsx[1]} queries, "
            f"{xlsx[2] / 1024:.0f} KiB"
        )
    else:
        print("report XLSX file            (no monitoring.reports.report_file: not measured)")


def _memory(name: str) -> float:
    """VmRSS or VmHWM (the peak) of this process, in MiB (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{name}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def time_refresh() -> dict:
    """One full refresh of the stored statuses, as the daily command runs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from local4action.monitoring import services

    rss_before = _memory("VmRSS")
    with CaptureQueriesContext(connection) as queries:
        begin = time.perf_counter()
        written = services.statuses_refresh()
        seconds = time.perf_counter() - begin
    return {
        "seconds": seconds,
        "written": written,
        "queries": len(queries),
        "rss_before": rss_before,
        "rss_after": _memory("VmRSS"),
        "peak": _memory("VmHWM"),
    }


def populate(n_initiatives: int, per_initiative: int, per_indicator: int):
    """N followed initiatives (7 in 10 labelled HUBs, the others accompanied) across the
    regional sections, each with 1–3 SDGs, its indicators and their measurement series, about
    five deliverables and a progress report every six months; written in bulk (the services
    would take hours for a million measurements)."""
    from dateutil.relativedelta import relativedelta
    from django.db import connection, transaction
    from django.utils import timezone

    from local4action.accounts.choices import OrganizationKind, OrganizationStatus, PlatformRole
    from local4action.accounts.models import Organization, User
    from local4action.accounts.services import user_set_platform_roles
    from local4action.core.models import Goal, RegionalSection
    from local4action.initiatives.choices import InitiativeStatus
    from local4action.initiatives.models import Initiative
    from local4action.monitoring.choices import DeliverableStatus, Direction, ReportStatus
    from local4action.monitoring.models import (
        Deliverable,
        Indicator,
        MonitoringPlan,
        ProgressReport,
    )

    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    timings = {}
    clock = time.perf_counter()

    staff = User.objects.create_user("secretariat@bench.example", name="Bench Secretariat")
    user_set_platform_roles(actor=None, user=staff, roles={PlatformRole.SECRETARIAT})
    sections = list(RegionalSection.objects.all())
    goals = list(Goal.objects.order_by("number"))
    countries = ["FR", "ES", "CA", "BR", "MA", "SN", "IT", "PT", "CN", "MX", "KE", "IN"]
    organizations = Organization.objects.bulk_create(
        (
            Organization(
                name=f"Municipalité numéro {i}",
                slug=f"bench-municipality-{i}",
                kind=OrganizationKind.LOCAL_GOVERNMENT,
                country=countries[i % len(countries)],
                regional_section=sections[i % len(sections)] if i % 20 else None,
                status=OrganizationStatus.APPROVED,
            )
            for i in range(n_initiatives)
        ),
        batch_size=1000,
    )
    initiatives = []
    for i, organization in enumerate(organizations):
        # Started 4 months to 3 years ago, running two or three years.
        start = today - datetime.timedelta(days=rng.randint(120, 1100))
        labelled = rng.random() < 0.7
        initiatives.append(
            Initiative(
                slug=f"bench-initiative-{i}",
                title=f"Initiative {i}: participación ciudadana",
                summary="Participatory budgeting with under-represented groups.",
                lead_organization=organization,
                status=InitiativeStatus.LABELLED if labelled else InitiativeStatus.ACCOMPANIED,
                labelled_at=now - datetime.timedelta(days=rng.randint(1, 400))
                if labelled
                else None,
                start_date=start,
                end_date=start + relativedelta(years=rng.choice((2, 3))),
            )
        )
    initiatives = Initiative.objects.bulk_create(initiatives, batch_size=1000)
    # Each initiative has its habits: the pace of its indicators (some behind, most on their
    # way), the share of its deliverables delivered on time, and whether it reports late.
    habits = {
        initiative.pk: (rng.uniform(0.78, 1.25), rng.uniform(0.6, 1.0), rng.random() < 0.15)
        for initiative in initiatives
    }
    Initiative.goals.through.objects.bulk_create(
        (
            Initiative.goals.through(initiative_id=initiative.pk, goal_id=goal.pk)
            for initiative in initiatives
            for goal in rng.sample(goals, rng.randint(1, 3))
        ),
        batch_size=BATCH,
    )

    indicators = []
    for initiative in initiatives:
        for j in range(per_initiative):
            higher = rng.random() < 0.75
            baseline = Decimal(rng.randint(5, 500))
            change = baseline * Decimal(rng.choice(("0.2", "0.5", "1", "2")))
            indicators.append(
                Indicator(
                    initiative=initiative,
                    name=f"Indicator {j + 1}",
                    unit=rng.choice(("%", "people", "tonnes", "events")),
                    direction=Direction.HIGHER if higher else Direction.LOWER,
                    baseline_value=baseline,
                    baseline_date=initiative.start_date,
                    target_value=baseline + change if higher else baseline - change / 2,
                    target_date=initiative.end_date,
                )
            )
    indicators = Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    timings["organizations, initiatives, indicators"] = time.perf_counter() - clock

    clock = time.perf_counter()
    paces = {i.pk: habits[i.initiative_id][0] + rng.gauss(0, 0.08) for i in indicators}
    n_measurements = load_measurements(indicators, paces, per_indicator, today, rng)
    timings["measurements"] = time.perf_counter() - clock

    # The latest total of each indicator, as services.refresh_latest keeps it, in one update.
    clock = time.perf_counter()
    refresh_all_latest()
    timings["latest values"] = time.perf_counter() - clock

    clock = time.perf_counter()
    deliverables, plans, reports = [], [], []
    for initiative in initiatives:
        _pace, punctual, reports_late = habits[initiative.pk]
        span = (initiative.end_date - initiative.start_date).days
        for k in range(rng.randint(4, 6)):
            due = initiative.start_date + datetime.timedelta(days=span * (k + 1) // 6)
            status, delivered_on = DeliverableStatus.PLANNED, None
            if due < today:
                draw = rng.random()
                if draw < punctual:  # on time
                    status = DeliverableStatus.DELIVERED
                    delivered_on = due - datetime.timedelta(days=rng.randint(0, 30))
                elif draw < punctual + (1 - punctual) * 0.6:  # late, but delivered
                    status = DeliverableStatus.DELIVERED
                    delivered_on = min(today, due + datetime.timedelta(days=rng.randint(1, 60)))
                elif draw < punctual + (1 - punctual) * 0.7:
                    status = DeliverableStatus.DROPPED
            elif due < today + datetime.timedelta(days=90):
                status = DeliverableStatus.IN_PROGRESS
            deliverables.append(
                Deliverable(
                    initiative=initiative,
                    title=f"Deliverable {k + 1}",
                    due_date=due,
                    status=status,
                    delivered_on=delivered_on,
                    success_criteria="Agreed with the stakeholders' forum.",
                )
            )
        first_due = initiative.start_date + relativedelta(months=6)
        plans.append(
            MonitoringPlan(initiative=initiative, report_every_months=6, first_report_due=first_due)
        )
        due, period_start = first_due, initiative.start_date
        while due <= initiative.end_date:
            # Reports are sent within two weeks, except the last one due by a late reporter.
            status = ReportStatus.DRAFT
            last_due = due <= today < due + relativedelta(months=6)
            if due < today - datetime.timedelta(days=15) and not (reports_late and last_due):
                status = rng.choice((ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED))
            submitted = status != ReportStatus.DRAFT
            reports.append(
                ProgressReport(
                    initiative=initiative,
                    period_start=period_start,
                    period_end=due,
                    due_date=due,
                    status=status,
                    narrative="What we did in the period." if submitted else "",
                    submitted_at=now if submitted else None,
                    acknowledged_at=now if status == ReportStatus.ACKNOWLEDGED else None,
                )
            )
            period_start, due = due + datetime.timedelta(days=1), due + relativedelta(months=6)
    with transaction.atomic():
        Deliverable.objects.bulk_create(deliverables, batch_size=BATCH)
        MonitoringPlan.objects.bulk_create(plans, batch_size=BATCH)
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    timings["deliverables, reports"] = time.perf_counter() - clock
    if connection.vendor == "postgresql":
        clock = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would soon do after such a load
        timings["analyze"] = time.perf_counter() - clock
    counts = {
        "initiatives": len(initiatives),
        "indicators": len(indicators),
        "measurements": n_measurements,
        "deliverables": len(deliverables),
        "progress reports": len(reports),
    }
    return staff, counts, timings


def series(indicator, pace: float, count: int, today: datetime.date, rng: random.Random):
    """(date, value) of one indicator's totals: `count` dates spread from just after the
    baseline to today, values moving from the baseline towards the target at the given pace
    (1: on the straight path), with noise."""
    span = max((today - indicator.baseline_date).days, count)
    total = (indicator.target_date - indicator.baseline_date).days
    baseline, target = float(indicator.baseline_value), float(indicator.target_value)
    noise = abs(target - baseline) * 0.03
    for k in range(count):
        date = indicator.baseline_date + datetime.timedelta(days=(k + 1) * span // count)
        progress = pace * (date - indicator.baseline_date).days / total
        value = baseline + (target - baseline) * progress + rng.gauss(0, noise)
        yield date, f"{max(value, 0):.4f}"


def load_measurements(indicators, paces, per_indicator: int, today, rng) -> int:
    """PostgreSQL: COPY. SQLite: executemany in one transaction. Both far faster than
    bulk_create, which builds a model instance per row."""
    from django.db import connection, transaction
    from django.utils import timezone

    created_at = timezone.now()
    columns = "indicator_id, date, value, source, note, disaggregation, created_at"
    n = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stamp = created_at.isoformat()
            sql = f"COPY monitoring_measurement ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                buffer = io.StringIO()
                for indicator in indicators:
                    for date, value in series(
                        indicator, paces[indicator.pk], per_indicator, today, rng
                    ):
                        buffer.write(
                            f"{indicator.pk}\t{date.isoformat()}\t{value}\tbench\t\t{{}}\t{stamp}\n"
                        )
                        n += 1
                    if buffer.tell() > 1 << 20:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
        else:
            sql = (
                f"INSERT INTO monitoring_measurement ({columns}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)"
            )
            stamp = created_at.replace(tzinfo=None).isoformat(sep=" ")  # UTC, as Django
            rows = []
            for indicator in indicators:
                for date, value in series(
                    indicator, paces[indicator.pk], per_indicator, today, rng
                ):
                    rows.append((indicator.pk, date.isoformat(), value, "bench", "", "{}", stamp))
                if len(rows) >= 50_000:
                    cursor.executemany(sql, rows)
                    n += len(rows)
                    rows = []
            cursor.executemany(sql, rows)
            n += len(rows)
    return n


def refresh_all_latest() -> None:
    """services.refresh_latest for every indicator at once: the total (no breakdown) with the
    latest date, the latest id breaking ties; none when there is no total."""
    from django.db.models import OuterRef, Subquery

    from local4action.monitoring.models import Indicator, Measurement

    latest = Measurement.objects.filter(indicator=OuterRef("pk"), disaggregation={}).order_by(
        "-date", "-id"
    )
    Indicator.objects.update(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    )


def check_latest(sample: int) -> None:
    """The bulk update agrees with services.refresh_latest on a sample of indicators."""
    from local4action.monitoring import services
    from local4action.monitoring.models import Indicator

    rng = random.Random(SEED)
    ids = list(Indicator.objects.values_list("pk", flat=True))
    for indicator in Indicator.objects.filter(pk__in=rng.sample(ids, min(sample, len(ids)))):
        stored = (indicator.latest_value, indicator.latest_date)
        services.refresh_latest(indicator)
        assert stored == (indicator.latest_value, indicator.latest_date), indicator.pk


if __name__ == "__main__":
    main()
