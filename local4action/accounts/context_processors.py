from django.utils.functional import SimpleLazyObject

from .permissions import platform_roles


def roles(request):
    """`roles` in templates: the platform roles of the signed-in person (one query, lazily)."""
    user = getattr(request, "user", None)
    return {"roles": SimpleLazyObject(lambda: platform_roles(user))}
