"""A small, realistic world to try the platform: run it as often as you like."""

from importlib import import_module

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from local4action.accounts.choices import (
    MembershipRole,
    MembershipStatus,
    OrganizationKind,
    OrganizationStatus,
    PlatformRole,
)
from local4action.accounts.models import Membership, Organization, User
from local4action.accounts.services import user_set_platform_roles
from local4action.core.models import RegionalSection

DEMO_PASSWORD = "local4action-demo"
# Each module's `seed(stdout)` adds its part of the demo world once the people exist.
DEMO_MODULES = [
    "local4action.calls.demo",
    "local4action.monitoring.demo",
    "local4action.surveys.demo",
    "local4action.events.demo",
    "local4action.network.demo",
    "local4action.exchange.demo",
    "local4action.workplan.demo",
    "local4action.library.demo",
]

# slug, name, kind, country, section, population, latitude, longitude, website, status
ORGANIZATIONS = [
    (
        "secretariat",
        "Local4Action Secretariat",
        OrganizationKind.SECRETARIAT,
        "ES",
        None,
        None,
        41.38879,
        2.15899,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "xian",
        "City of Xi'an",
        OrganizationKind.LOCAL_GOVERNMENT,
        "CN",
        "asia-pacific",
        12952907,
        34.34157,
        108.93977,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "bilbao",
        "City of Bilbao",
        OrganizationKind.LOCAL_GOVERNMENT,
        "ES",
        "europe",
        346405,
        43.26271,
        -2.92528,
        "https://www.bilbao.eus",
        OrganizationStatus.APPROVED,
    ),
    (
        "aiccre",
        "AICCRE – Italian association of the Council of European Municipalities and Regions",
        OrganizationKind.LRG_ASSOCIATION,
        "IT",
        "europe",
        None,
        45.44085,
        12.31552,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "valongo",
        "Municipality of Valongo",
        OrganizationKind.LOCAL_GOVERNMENT,
        "PT",
        "europe",
        94672,
        41.18883,
        -8.49795,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "diba",
        "Barcelona Provincial Council",
        OrganizationKind.REGIONAL_GOVERNMENT,
        "ES",
        "europe",
        5714730,
        41.38740,
        2.16860,
        "https://www.diba.cat",
        OrganizationStatus.APPROVED,
    ),
    (
        "chefchaouen",
        "Commune of Chefchaouen",
        OrganizationKind.LOCAL_GOVERNMENT,
        "MA",
        "africa",
        42786,
        35.16878,
        -5.26364,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "dschang",
        "Commune of Dschang",
        OrganizationKind.LOCAL_GOVERNMENT,
        "CM",
        "africa",
        96112,
        5.44370,
        10.05330,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "cuenca",
        "Municipality of Cuenca",
        OrganizationKind.LOCAL_GOVERNMENT,
        "EC",
        "latin-america",
        329928,
        -2.90055,
        -79.00453,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "gaziantep",
        "Gaziantep Metropolitan Municipality",
        OrganizationKind.LOCAL_GOVERNMENT,
        "TR",
        "mewa",
        2130432,
        37.06622,
        37.38332,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "almaty",
        "City of Almaty",
        OrganizationKind.LOCAL_GOVERNMENT,
        "KZ",
        "eurasia",
        2228675,
        43.23890,
        76.88970,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "montreal",
        "City of Montréal",
        OrganizationKind.LOCAL_GOVERNMENT,
        "CA",
        "north-america",
        1762949,
        45.50169,
        -73.56725,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "ouahigouya",
        "Commune of Ouahigouya",
        OrganizationKind.LOCAL_GOVERNMENT,
        "BF",
        "africa",
        124587,
        13.58278,
        -2.42158,
        "",
        OrganizationStatus.APPROVED,
    ),
    (
        "xjtu",
        "Xi'an Jiaotong University",
        OrganizationKind.PARTNER,
        "CN",
        None,
        None,
        34.24686,
        108.98356,
        "https://www.xjtu.edu.cn",
        OrganizationStatus.APPROVED,
    ),
    (
        "un-habitat",
        "UN-Habitat",
        OrganizationKind.PARTNER,
        "KE",
        None,
        None,
        -1.23490,
        36.81270,
        "https://unhabitat.org",
        OrganizationStatus.APPROVED,
    ),
    (
        "kasama",
        "Kasama Municipal Council",
        OrganizationKind.LOCAL_GOVERNMENT,
        "ZM",
        "africa",
        101845,
        -10.21289,
        31.18080,
        "",
        OrganizationStatus.PENDING,
    ),
]

# email, name, language, time zone, platform roles, [(organization slug, role)]
USERS = [
    (
        "admin@local4action.test",
        "Ana Admin",
        "en",
        "Europe/Madrid",
        {PlatformRole.SECRETARIAT},
        [("secretariat", MembershipRole.ADMIN)],
    ),
    (
        "staff@local4action.test",
        "Samir Staff",
        "fr",
        "Europe/Madrid",
        {PlatformRole.SECRETARIAT},
        [("secretariat", MembershipRole.EDITOR)],
    ),
    (
        "reviewer@local4action.test",
        "Rosa Reviewer",
        "es",
        "America/Guayaquil",
        {PlatformRole.REVIEWER},
        [],
    ),
    (
        "reviewer2@local4action.test",
        "Kofi Reviewer",
        "en",
        "Africa/Accra",
        {PlatformRole.REVIEWER},
        [],
    ),
    (
        "partner@local4action.test",
        "Paul Partner",
        "en",
        "Africa/Nairobi",
        {PlatformRole.PARTNER},
        [("un-habitat", MembershipRole.MEMBER)],
    ),
    (
        "bilbao@local4action.test",
        "Itziar Bilbao",
        "es",
        "Europe/Madrid",
        set(),
        [("bilbao", MembershipRole.ADMIN)],
    ),
    (
        "valongo@local4action.test",
        "João Valongo",
        "en",
        "Europe/Lisbon",
        set(),
        [("valongo", MembershipRole.ADMIN)],
    ),
    (
        "xian@local4action.test",
        "Li Wei",
        "en",
        "Asia/Shanghai",
        set(),
        [("xian", MembershipRole.ADMIN)],
    ),
    (
        "dschang@local4action.test",
        "Awa Dschang",
        "fr",
        "Africa/Douala",
        set(),
        [("dschang", MembershipRole.ADMIN)],
    ),
    (
        "ouahigouya@local4action.test",
        "Issa Ouahigouya",
        "fr",
        "Africa/Ouagadougou",
        set(),
        [("ouahigouya", MembershipRole.ADMIN)],
    ),
    (
        "member@local4action.test",
        "Mikel Member",
        "es",
        "Europe/Madrid",
        set(),
        [("bilbao", MembershipRole.EDITOR)],
    ),
    (
        "kasama@local4action.test",
        "Chanda Kasama",
        "en",
        "Africa/Lusaka",
        set(),
        [("kasama", MembershipRole.ADMIN)],
    ),
    ("newcomer@local4action.test", "Nora Newcomer", "fr", "Europe/Paris", set(), []),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo organizations and users. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        sections = {s.slug: s for s in RegionalSection.objects.all()}
        organizations = {}
        for slug, name, kind, country, section, population, lat, lon, web, status in ORGANIZATIONS:
            organizations[slug], _ = Organization.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "country": country,
                    "regional_section": sections.get(section),
                    "population": population,
                    "latitude": lat,
                    "longitude": lon,
                    "website": web,
                    "status": status,
                },
            )
        rows = []
        for email, name, language, tz, roles, memberships in USERS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"name": name, "language": language, "time_zone": tz}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if email.startswith("admin@"):
                    user.is_superuser = True
                user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            user_set_platform_roles(actor=None, user=user, roles=roles)
            for slug, role in memberships:
                Membership.objects.get_or_create(
                    user=user,
                    organization=organizations[slug],
                    defaults={"role": role, "status": MembershipStatus.ACTIVE},
                )
            rows.append((email, ", ".join(sorted(roles)) or "—", name))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organizations)} organizations, {len(rows)} users."
            )
        )
        for module in DEMO_MODULES:
            import_module(module).seed(self.stdout)
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/account/login/ — password for all: {DEMO_PASSWORD}"
        )
        for email, roles, name in rows:
            self.stdout.write(f"  {email:32} {roles:12} {name}")
