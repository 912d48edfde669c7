import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IMAGE_MAX_BYTES = 1024 * 1024


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def validate_image_size(file) -> None:
    if file.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s KB); the limit is %(limit)s KB."),
            params={"size": file.size // 1024, "limit": IMAGE_MAX_BYTES // 1024},
        )
