from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def platform(request):
    user = getattr(request, "user", None)
    return {
        "brand": settings.BRAND,
        "unread_notifications": SimpleLazyObject(
            lambda: notification_unread_count(user=user) if user else 0
        ),
    }
