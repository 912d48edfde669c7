"""What links to an SDG goal or target. Domain apps register a provider (in their AppConfig.ready)
so that core never imports them; each provider returns one section for the SDG pages."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LinkSection:
    title: str
    items: list[tuple[str, str]]  # (label, url)
    total: int
    more_url: str = ""
    notes: list[str] = field(default_factory=list)  # optional, one line per item

    @property
    def entries(self) -> list[tuple[str, str, str]]:
        """(label, url, note) for the templates; the note is "" when there is none."""
        notes = self.notes + [""] * (len(self.items) - len(self.notes))
        return [(label, url, note) for (label, url), note in zip(self.items, notes, strict=False)]


Provider = Callable[..., LinkSection | None]
_providers: list[Provider] = []


def register(provider: Provider, *, replaces: Provider | None = None) -> None:
    """Add a provider; `replaces` swaps it in at the place of another one (an app that reads
    more than the first one, such as the portal adding progress to the list of HUBs)."""
    if replaces is not None and replaces in _providers:
        _providers[_providers.index(replaces)] = provider
    elif provider not in _providers:
        _providers.append(provider)


def sections_for(*, goal=None, target=None) -> list[LinkSection]:
    sections = [provider(goal=goal, target=target) for provider in _providers]
    return [section for section in sections if section is not None]
