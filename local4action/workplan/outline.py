"""What the importer reads from a work plan document, before anything is saved: the contract
between importer.py (reads) and services.py (saves). Plain dataclasses, no database."""

from dataclasses import dataclass, field


@dataclass
class Problem:
    """A line the importer could not place, or a fault that stops the import."""

    line: int  # 1-based line (paragraph for .docx) in the document; 0 for the whole file
    text: str  # the line as written, shortened to 200 characters
    message: str  # translated, for the user
    blocking: bool = False  # True: the document cannot be saved as it is


@dataclass
class ParsedAction:
    line: int
    text_html: str  # sanitized inline HTML as written (bold, italics, links)
    text_plain: str
    tier: str  # choices.Tier value
    partner_name: str = ""  # for Tier.PARTNERSHIP


@dataclass
class ParsedSection:
    line: int
    number: str  # "2.2.2.1" (never the final dot)
    title: str
    description: str = ""
    axis: str = ""  # choices.Axis value of the closest axis heading above, "" if none
    actions: list[ParsedAction] = field(default_factory=list)
    children: list["ParsedSection"] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1


@dataclass
class ParsedPillar:
    line: int
    number: int
    title: str
    description: str = ""
    sections: list[ParsedSection] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str  # first heading of the document, or "" (the form/command then asks for one)
    pillars: list[ParsedPillar] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return any(p.blocking for p in self.problems)

    def all_sections(self) -> list[ParsedSection]:
        """Every section, in document order (depth first)."""
        found = []

        def walk(sections):
            for section in sections:
                found.append(section)
                walk(section.children)

        for pillar in self.pillars:
            walk(pillar.sections)
        return found

    def all_actions(self) -> list[ParsedAction]:
        return [a for s in self.all_sections() for a in s.actions]

    def counts(self) -> dict[str, int]:
        """What the command's last line prints: pillars, sections, actions, and per tier."""
        actions = self.all_actions()
        return {
            "pillars": len(self.pillars),
            "sections": len(self.all_sections()),
            "actions": len(actions),
            "core": sum(a.tier == "core" for a in actions),
            "reinforced": sum(a.tier == "reinforced" for a in actions),
            "partnership": sum(a.tier == "partnership" for a in actions),
        }
