"""The REST API under /api/v1/: each app contributes a django-ninja router."""

from django.http import Http404
from ninja import NinjaAPI

from local4action.accounts.api import router as accounts_router
from local4action.core.api import router as core_router

api = NinjaAPI(
    title="Local4Action API",
    version="1",
    description="Public data of the Local4Action HUBs programme. Reading needs no token.",
    urls_namespace="api",
)
api.add_router("", core_router)
api.add_router("", accounts_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)
