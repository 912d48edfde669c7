"""Parsed outlines written by hand (as the importer would return them) and plans saved
through the services."""

from local4action.workplan import services
from local4action.workplan.outline import (
    ParsedAction,
    ParsedPillar,
    ParsedPlan,
    ParsedSection,
    Problem,
)

PILLARS = {
    1: "Implementation",
    2: "Advocacy and policy",
    3: "Monitoring and reporting",
    4: "Learning",
    5: "Network, leadership and governance",
}


def parsed_action(text: str, tier: str = "core", partner: str = "", line: int = 0):
    return ParsedAction(line=line, text_html=text, text_plain=text, tier=tier, partner_name=partner)


def parsed_plan(sections: dict, *, title: str = "Work plan 2025", problems=()) -> ParsedPlan:
    """{"1.1": ["an action", ("reinforced", "text"), ("partnership", "text", "Sida")], …} in
    document order; each section is placed under the longest number before it that starts
    its own, else under its pillar (the first part of its number). An item may be a
    ParsedAction, and a section's value a (axis, [items]) pair."""
    plan = ParsedPlan(title=title, problems=list(problems))
    pillars: dict[int, ParsedPillar] = {}
    seen: dict[str, ParsedSection] = {}
    line = 1
    for number, items in sections.items():
        axis = ""
        if isinstance(items, tuple):
            axis, items = items
        pillar_number = int(number.split(".")[0])
        if pillar_number not in pillars:
            pillars[pillar_number] = ParsedPillar(
                line=line, number=pillar_number, title=PILLARS.get(pillar_number, "Pillar")
            )
            plan.pillars.append(pillars[pillar_number])
            line += 1
        section = ParsedSection(line=line, number=number, title=f"Section {number}", axis=axis)
        line += 1
        for item in items:
            if isinstance(item, str):
                item = parsed_action(item)
            elif isinstance(item, tuple):
                item = parsed_action(item[1], item[0], *item[2:])
            item.line = line
            line += 1
            section.actions.append(item)
        parents = [n for n in seen if number.startswith(n + ".")]
        if parents:
            seen[max(parents, key=len)].children.append(section)
        else:
            pillars[pillar_number].sections.append(section)
        seen[number] = section
    return plan


def numbered_plan(actions: int, *, per_section: int = 10, prefix: str = "Action") -> ParsedPlan:
    """`actions` core actions with distinct texts, `per_section` in each section, sections
    spread over the five pillars."""
    sections: dict[str, list] = {}
    for index in range(actions):
        section = index // per_section
        number = f"{section % 5 + 1}.{section // 5 + 1}"
        sections.setdefault(number, []).append(
            f"{prefix} {index + 1}: organize working session number {index + 1} with the "
            f"members of region {index % 7}"
        )
    return parsed_plan(dict(sorted(sections.items(), key=lambda kv: _key(kv[0]))))


def _key(number: str) -> tuple:
    return tuple(int(part) for part in number.split("."))


def blocking_problem(line: int = 3, message: str = "Pillar 3 appears twice.") -> Problem:
    return Problem(line=line, text="3. Monitoring", message=message, blocking=True)


def make_plan(actor, parsed: ParsedPlan | None = None, *, year: int = 2025, **fields):
    """A plan imported through the service (two pillars, three sections, five actions unless
    told otherwise)."""
    parsed = parsed or parsed_plan(
        {
            "1.1": [
                "Establishment of the Local4Action HUBs",
                ("reinforced", "Accompany ten new HUBs"),
            ],
            "1.1.1": [("partnership", "Train HUB coordinators", "Sida")],
            "2.1": ["Launch the advocacy campaign", "Publish the annual report"],
        }
    )
    return services.plan_import(
        actor=actor,
        parsed=parsed,
        year=year,
        language=fields.pop("language", "en"),
        title=fields.pop("title", f"Work plan {year}"),
        source_name=fields.pop("source_name", f"plan-{year}.md"),
    )
