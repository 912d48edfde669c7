"""Sitemap and robots.txt: the public pages a search engine may index."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from local4action.core.models import Goal
from local4action.events.selectors import events_visible
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:home", "initiatives:list", "portal:map", "core:goals", "portal:coverage"]

    def location(self, item):
        return reverse(item)


class InitiativesSitemap(Sitemap):
    """Public HUB pages only: drafts, submissions and declined ones stay out."""

    changefreq = "weekly"

    def items(self):
        return Initiative.objects.filter(status__in=PUBLIC_STATUSES).order_by("pk")

    def lastmod(self, initiative):
        return initiative.updated_at


class GoalsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Goal.objects.order_by("number")


class EventsSitemap(Sitemap):
    """The events anyone may see without signing in."""

    changefreq = "daily"

    def items(self):
        return events_visible(AnonymousUser()).order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "initiatives": InitiativesSitemap,
    "goals": GoalsSitemap,
    "events": EventsSitemap,
}


def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /manage/",
        "Disallow: /notifications/",
        f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
]
