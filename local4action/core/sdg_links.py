"""What links to an SDG goal or target. Domain apps register a provider (in their AppConfig.ready)
so that core never imports them; each provider returns one section for the SDG pages."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class LinkSection:
    title: str
    items: list[tuple[str, str]]  # (label, url)
    total: int
    more_url: str = ""


Provider = Callable[..., LinkSection | None]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections_for(*, goal=None, target=None) -> list[LinkSection]:
    sections = [provider(goal=goal, target=target) for provider in _providers]
    return [section for section in sections if section is not None]
