"""The importer reads work plans as staff write them: the fixture documents in three languages
(Markdown and Word) with exact counts, each trap of the issue on its own, and every kind of bad
file as one blocking problem (never an exception)."""

import io
import random
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from local4action.workplan.importer import parse_text, read_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

PLAN_2026 = {
    "pillars": 5,
    "sections": 12,
    "actions": 17,
    "core": 10,
    "reinforced": 3,
    "partnership": 4,
}
REVISED_2026 = {**PLAN_2026, "core": 11, "partnership": 3}
DEMO_2025 = {
    "pillars": 5,
    "sections": 16,
    "actions": 40,
    "core": 26,
    "reinforced": 6,
    "partnership": 8,
}


def read(name: str):
    return read_document(name, (FIXTURES / name).read_bytes())


def text(*lines: str) -> str:
    return "\n".join(lines)


def one_pillar(*body: str) -> str:
    """A minimal plan: pillar 1 and section 1.1, then `body`."""
    return text("# Plan", "", "## 1. Implementation", "", "### 1.1 HUBs", "", *body)


# The fixture documents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, counts, problem_lines",
    [
        ("plan_en.md", PLAN_2026, [65]),
        ("plan_fr.md", PLAN_2026, [65]),
        ("plan_es.md", PLAN_2026, [65]),
        ("plan_en.docx", PLAN_2026, [38]),
        ("plan_fr.docx", PLAN_2026, [38]),
        ("plan_es.docx", PLAN_2026, [38]),
        ("plan_en_revised.md", REVISED_2026, [64]),
        ("plan_en_revised.docx", REVISED_2026, [37]),
        ("demo_2025.md", DEMO_2025, []),
    ],
)
def test_fixture_counts_and_problems(name, counts, problem_lines):
    parsed = read(name)

    assert parsed.counts() == counts
    assert [p.line for p in parsed.problems] == problem_lines
    assert not parsed.blocking
    # The one note of the 2026 plans: 2.4.1 without a 2.4 goes under its pillar.
    for problem in parsed.problems:
        assert problem.message == (
            "Section 2.4.1 has no section 2.4 above it; it was placed under pillar 2."
        )


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_markdown_and_word_versions_give_the_same_outline(language):
    markdown, word = read(f"plan_{language}.md"), read(f"plan_{language}.docx")

    def outline(parsed):
        return [
            (s.number, s.title, s.axis, [(a.tier, a.partner_name, a.text_html) for a in s.actions])
            for s in parsed.all_sections()
        ]

    assert outline(word) == outline(markdown)
    assert word.title == markdown.title
    assert [(p.number, p.title) for p in word.pillars] == [
        (p.number, p.title) for p in markdown.pillars
    ]


def test_english_fixture_outline():
    parsed = read("plan_en.md")

    assert parsed.title == "Local4Action Work Plan 2026"
    assert [(p.number, p.title) for p in parsed.pillars] == [
        (1, "Implementation (we act)"),
        (2, "Advocacy and policy (we advocate)"),
        (3, "Monitoring and reporting (we research)"),
        (4, "Learning (we learn)"),
        (5, "Network, leadership and governance (we meet, we listen, we communicate)"),
    ]
    assert [(s.number, s.axis) for s in parsed.all_sections()] == [
        ("1.1", "people"),
        ("1.2", "people"),
        ("1.3", "planet"),
        ("1.3.1", "planet"),
        ("1.3.1.1", "planet"),
        ("2.1", ""),
        ("2.3", ""),
        ("2.4.1", ""),
        ("3.1", "government"),
        ("3.2", "cross_cutting"),
        ("4.1", ""),
        ("5.1", ""),
    ]
    hubs = parsed.pillars[0].sections[0]
    assert [a.line for a in hubs.actions] == [16, 17, 21, 22]
    assert hubs.actions[1].text_plain == (
        "Keep the HUB registry up to date with the new HUBs and the contact person of each one."
    )
    assert hubs.actions[2].partner_name == "Sida"


@pytest.mark.parametrize("name", ["plan_fr.md", "plan_es.md", "plan_fr.docx", "plan_es.docx"])
def test_french_and_spanish_partnerships_name_the_partner(name):
    actions = read(name).all_actions()

    assert {a.partner_name for a in actions if a.tier == "partnership"} == {"Sida"}
    assert all(a.partner_name == "" for a in actions if a.tier != "partnership")


# Traps of real documents, one by one ----------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "2022 marks the tenth year of the network.",
        "2030 Agenda reviews give local governments a voice.",
        "2030. The Agenda is the horizon.",
        "2.5 million people live in the HUB cities.",
        "12 HUBs joined the network this year, " + "and many more cities asked to join " * 6,
    ],
)
def test_a_paragraph_starting_with_a_number_is_not_a_heading(paragraph):
    parsed = parse_text(one_pillar("CORE ACTION:", "- Support the HUBs.", "", paragraph))

    assert parsed.counts()["pillars"] == 1
    assert parsed.counts()["sections"] == 1
    assert parsed.pillars[0].sections[0].description == paragraph.strip()
    assert parsed.problems == []


def test_a_year_paragraph_under_a_pillar_is_its_description():
    parsed = parse_text(
        text(
            "## 1. Implementation",
            "2022 marks the second year of the programme.",
            "### 1.1 HUBs",
            "CORE ACTION:",
            "- Support the HUBs.",
        )
    )

    assert parsed.pillars[0].description == "2022 marks the second year of the programme."
    assert parsed.counts()["pillars"] == 1


@pytest.mark.parametrize(
    "heading, number, title",
    [
        ("1. Implementation", 1, "Implementation"),
        ("1 Implementation", 1, "Implementation"),
        ("# 1. Implementation", 1, "Implementation"),
        ("## 1 Implementation", 1, "Implementation"),
        ("**1. Implementation**", 1, "Implementation"),
        ("**1.** Implementation", 1, "Implementation"),
        ("Pillar 1: Implementation", 1, "Implementation"),
        ("# 1. implementation (we act)", 1, "implementation (we act)"),
    ],
)
def test_pillar_heading_shapes(heading, number, title):
    parsed = parse_text(text(heading, "1.1 HUBs", "CORE ACTION:", "- Support the HUBs."))

    assert [(p.number, p.title) for p in parsed.pillars] == [(number, title)]
    assert parsed.problems == []


@pytest.mark.parametrize(
    "heading",
    ["2.2.2.1 Dialogues", "2.2.2.1. Dialogues", "#### 2.2.2.1. Dialogues", "**2.2.2.1 Dialogues**"],
)
def test_four_level_numbering(heading):
    parsed = parse_text(
        text(
            "2. Advocacy",
            "2.2 Dialogues",
            "2.2.2 National dialogues",
            heading,
            "REINFORCED ACTION:",
            "- Co-organize national dialogues.",
        )
    )

    level2 = parsed.pillars[0].sections[0]
    level3 = level2.children[0]
    level4 = level3.children[0]
    assert (level2.number, level3.number, level4.number) == ("2.2", "2.2.2", "2.2.2.1")
    assert level4.depth == 4
    assert level4.title == "Dialogues"
    assert [a.tier for a in level4.actions] == ["reinforced"]
    assert parsed.problems == []


def test_a_skipped_number_is_fine():
    parsed = parse_text(
        text(
            "2. Advocacy",
            "2.1 Global",
            "CORE ACTION:",
            "- A.",
            "2.3 Regional",
            "CORE ACTION:",
            "- B.",
        )
    )

    assert [s.number for s in parsed.pillars[0].sections] == ["2.1", "2.3"]
    assert parsed.problems == []


def test_a_missing_parent_places_the_section_under_its_nearest_ancestor():
    parsed = parse_text(
        text(
            "2. Advocacy",
            "2.2 Dialogues",
            "2.2.3.1 Coastal cities",
            "CORE ACTION:",
            "- Bring coastal cities together.",
        )
    )

    dialogues = parsed.pillars[0].sections[0]
    assert [s.number for s in dialogues.children] == ["2.2.3.1"]
    (problem,) = parsed.problems
    assert (problem.line, problem.blocking) == (3, False)
    assert problem.text == "2.2.3.1 Coastal cities"
    assert "no section 2.2.3 above it" in problem.message
    assert "placed under section 2.2" in problem.message


def test_a_section_without_its_pillar_stays_in_the_current_pillar_with_a_note():
    parsed = parse_text(text("1. Implementation", "3.1 Monitoring", "CORE ACTION:", "- A."))

    assert [s.number for s in parsed.pillars[0].sections] == ["3.1"]
    (problem,) = parsed.problems
    assert (problem.line, problem.blocking) == (2, False)
    assert "no pillar 3" in problem.message


@pytest.mark.parametrize(
    "line, tier, partner",
    [
        ("CORE ACTION:", "core", ""),
        ("Core actions:", "core", ""),
        ("CORE ACTION", "core", ""),
        ("- CORE ACTION:", "core", ""),
        ("• **CORE ACTION:**", "core", ""),
        ("* CORE ACTION :", "core", ""),
        ("**CORE ACTION**:", "core", ""),
        ("__CORE ACTION:__", "core", ""),
        ("### CORE ACTIONS", "core", ""),
        ("REINFORCED ACTION:", "reinforced", ""),
        ("**REINFORCED ACTIONS:**", "reinforced", ""),
        ("REINFORCED ACTION through our partnership with Sida:", "partnership", "Sida"),
        (
            "- **REINFORCED ACTION through our partnership with the Swedish Agency (Sida):**",
            "partnership",
            "the Swedish Agency (Sida)",
        ),
        ("ACTION CENTRALE :", "core", ""),
        ("ACTIONS CENTRALES :", "core", ""),
        ("ACTION PRINCIPALE :", "core", ""),
        ("ACTION RENFORCÉE :", "reinforced", ""),
        ("ACTION RENFORCEE:", "reinforced", ""),
        ("Actions renforcées :", "reinforced", ""),
        ("ACTION RENFORCÉE grâce à notre partenariat avec Sida :", "partnership", "Sida"),
        ("ACTION RENFORCEE grace a notre partenariat avec Sida:", "partnership", "Sida"),
        ("ACTION RENFORCÉE grâce au partenariat avec Sida :", "partnership", "Sida"),
        ("Acción reforzada en el marco de la asociación con Sida:", "partnership", "Sida"),
        (
            "ACTION RENFORCÉE dans le cadre de notre partenariat avec l'Agence française :",
            "partnership",
            "l'Agence française",
        ),
        ("ACCIÓN CENTRAL:", "core", ""),
        ("ACCION CENTRAL:", "core", ""),
        ("ACCIÓN PRINCIPAL:", "core", ""),
        ("ACCIONES CENTRALES:", "core", ""),
        ("ACCIÓN REFORZADA:", "reinforced", ""),
        ("Acciones reforzadas:", "reinforced", ""),
        ("ACCIÓN REFORZADA a través de nuestra alianza con Sida:", "partnership", "Sida"),
        ("ACCION REFORZADA gracias a nuestra asociación con Sida:", "partnership", "Sida"),
    ],
)
def test_tier_lines(line, tier, partner):
    parsed = parse_text(one_pillar(line, "- Support the HUBs."))

    (action,) = parsed.all_actions()
    assert (action.tier, action.partner_name, action.text_plain) == (
        tier,
        partner,
        "Support the HUBs.",
    )
    assert parsed.problems == []


@pytest.mark.parametrize(
    "line",
    [
        "Core actions of the HUBs are listed below:",
        "- Reinforced actions need a partner and a budget.",
        "The core action: support the HUBs.",
    ],
)
def test_a_sentence_mentioning_a_tier_is_not_a_tier_line(line):
    parsed = parse_text(one_pillar("REINFORCED ACTION:", "- Fund visits.", "", line))

    assert [a.tier for a in parsed.all_actions()] == ["reinforced"] * (2 if "- " in line else 1)


def test_text_after_the_colon_of_a_tier_line_is_an_action():
    parsed = parse_text(
        one_pillar(
            "CORE ACTION: Publish the **annual** report.",
            "**REINFORCED ACTION:** Train the HUB coordinators.",
            "REINFORCED ACTION through our partnership with Sida: Fund visits.",
        )
    )

    assert [(a.tier, a.partner_name, a.text_html) for a in parsed.all_actions()] == [
        ("core", "", "Publish the <strong>annual</strong> report."),
        ("reinforced", "", "Train the HUB coordinators."),
        ("partnership", "Sida", "Fund visits."),
    ]


def test_a_tier_lasts_until_the_next_tier_line_or_section():
    parsed = parse_text(
        one_pillar(
            "CORE ACTION:",
            "- A.",
            "",
            "Some words between the lists.",
            "",
            "- B.",
            "REINFORCED ACTION:",
            "- C.",
            "### 1.2 Reporting",
            "- A list item before any tier line.",
            "CORE ACTION:",
            "- D.",
        )
    )

    first, second = parsed.pillars[0].sections
    assert [(a.text_plain, a.tier) for a in first.actions] == [
        ("A.", "core"),
        ("B.", "core"),
        ("C.", "reinforced"),
    ]
    assert first.description == "Some words between the lists."
    assert [a.text_plain for a in second.actions] == ["D."]
    assert second.description == "• A list item before any tier line."


def test_bullets_before_any_tier_line_are_the_description():
    parsed = parse_text(
        one_pillar("Key messages:", "- local action drives global change;", "- no one left behind.")
        + text("", "CORE ACTION:", "- Present the messages.")
    )

    section = parsed.pillars[0].sections[0]
    assert section.description == (
        "Key messages:\n• local action drives global change;\n• no one left behind."
    )
    assert [a.text_plain for a in section.actions] == ["Present the messages."]


@pytest.mark.parametrize("bullet", ["-", "•", "*", "–", "+", "a)", "(b)", "1)"])
def test_bullet_marks(bullet):
    parsed = parse_text(one_pillar("CORE ACTION:", f"{bullet} Support the HUBs."))

    assert [a.text_plain for a in parsed.all_actions()] == ["Support the HUBs."]


def test_a_wrapped_bullet_joins_its_action():
    parsed = parse_text(
        one_pillar(
            "CORE ACTION:",
            "- Keep the HUB registry up to date",
            "  with the new HUBs and",
            "\tthe contact person of each one.",
            "- Publish the registry.",
            "",
            "    Continued after a blank line.",
        )
    )

    assert [a.text_plain for a in parsed.all_actions()] == [
        "Keep the HUB registry up to date with the new HUBs and the contact person of each one.",
        "Publish the registry. Continued after a blank line.",
    ]


def test_an_unindented_line_after_a_bullet_is_a_description():
    parsed = parse_text(one_pillar("CORE ACTION:", "- Support the HUBs.", "Why it matters."))

    assert [a.text_plain for a in parsed.all_actions()] == ["Support the HUBs."]
    assert parsed.pillars[0].sections[0].description == "Why it matters."


@pytest.mark.parametrize(
    "line, axis",
    [
        ("People", "people"),
        ("PEOPLE", "people"),
        ("**Planet**", "planet"),
        ("### Government", "government"),
        ("Cross-cutting", "cross_cutting"),
        ("Axis: People", "people"),
        ("Pact axis People", "people"),
        ("Axe : Personnes", "people"),
        ("Planète", "planet"),
        ("Gouvernement", "government"),
        ("Transversal", "cross_cutting"),
        ("Eje Personas", "people"),
        ("Planeta", "planet"),
        ("Gobierno:", "government"),
    ],
)
def test_axis_headings(line, axis):
    parsed = parse_text(
        text(
            "1. Implementation",
            "1.1 Before",
            "CORE ACTION:",
            "- A.",
            "",
            line,
            "",
            "1.2 After",
            "CORE ACTION:",
            "- B.",
            "2. Advocacy",
            "2.1 Next pillar",
            "CORE ACTION:",
            "- C.",
        )
    )

    assert [(s.number, s.axis) for s in parsed.all_sections()] == [
        ("1.1", ""),
        ("1.2", axis),
        ("2.1", ""),
    ]
    assert parsed.problems == []


def test_an_axis_heading_before_any_pillar_is_reported():
    parsed = parse_text(
        text("Work plan", "People", "1. Implementation", "1.1 A", "CORE ACTION:", "- A.")
    )

    (problem,) = parsed.problems
    assert (problem.line, problem.blocking, problem.text) == (2, False, "People")
    assert parsed.all_sections()[0].axis == ""


def test_inline_markdown_becomes_safe_html():
    parsed = parse_text(
        one_pillar(
            "CORE ACTION:",
            "- Support the **HUBs** and *their* [registry](https://example.org/hubs?a=1&b=2).",
            "- Refuse <script>alert(1)</script> and [this](javascript:alert).",
        )
    )

    first, second = parsed.all_actions()
    assert first.text_html == (
        'Support the <strong>HUBs</strong> and <em>their</em> <a href="https://example.org/'
        'hubs?a=1&amp;b=2" rel="noopener noreferrer">registry</a>.'
    )
    assert first.text_plain == "Support the HUBs and their registry."
    assert "<script>" not in second.text_html
    assert "javascript" not in second.text_html
    assert second.text_plain == "Refuse <script>alert(1)</script> and this."


def test_the_title_is_the_first_line_unless_it_is_numbered():
    assert parse_text(one_pillar("CORE ACTION:", "- A.")).title == "Plan"
    numbered = parse_text(text("1. Implementation", "1.1 HUBs", "CORE ACTION:", "- A."))
    assert numbered.title == ""
    assert numbered.counts()["pillars"] == 1


def test_the_introduction_before_the_first_pillar_is_not_a_problem():
    parsed = parse_text(
        text("Work plan", "", "An introduction.", "- with a list", "", "1. Implementation")
        + "\n"
        + text("1.1 HUBs", "CORE ACTION:", "- A.")
    )

    assert parsed.problems == []
    assert parsed.pillars[0].description == ""


def test_an_unnumbered_heading_after_a_pillar_is_reported_and_kept():
    parsed = parse_text(one_pillar("CORE ACTION:", "- A.", "", "## Annex: budget", "Figures."))

    (problem,) = parsed.problems
    assert (problem.line, problem.blocking) == (10, False)
    assert "section 1.1" in problem.message
    assert parsed.pillars[0].sections[0].description == "Annex: budget\n\nFigures."


# Blocking problems ----------------------------------------------------------------------------


def test_two_pillars_with_the_same_number_block_naming_both_lines():
    parsed = read("bad/two_pillars_3.md")

    (problem,) = parsed.problems
    assert problem.blocking
    assert problem.line == 24
    assert problem.message == "Pillar 3 is numbered twice: line 17 and line 24."


def test_two_sections_with_the_same_number_block():
    parsed = parse_text(one_pillar("CORE ACTION:", "- A.", "### 1.1 Again", "CORE ACTION:", "- B."))

    (problem,) = parsed.problems
    assert (problem.line, problem.blocking) == (9, True)
    assert problem.message == "Section 1.1 is numbered twice: line 5 and line 9."


def test_a_tier_line_before_any_section_blocks():
    parsed = read("bad/tier_before_section.md")

    (problem,) = parsed.problems
    assert (problem.line, problem.blocking, problem.text) == (5, True, "CORE ACTION:")
    assert "before any numbered section" in problem.message


def test_a_tier_line_before_any_pillar_blocks():
    parsed = parse_text(text("Plan", "CORE ACTION:", "- A.", "1. Implementation", "1.1 HUBs"))
    parsed_with_actions = parse_text(
        text(
            "Plan", "CORE ACTION:", "- A.", "1. Implementation", "1.1 HUBs", "CORE ACTION:", "- B."
        )
    )

    assert parsed.blocking
    (problem,) = parsed_with_actions.problems
    assert (problem.line, problem.blocking) == (2, True)
    assert [a.text_plain for a in parsed_with_actions.all_actions()] == ["B."]


def test_a_section_before_any_pillar_blocks():
    parsed = parse_text(
        text("Plan", "1.1 HUBs", "1. Implementation", "1.2 X", "CORE ACTION:", "- A.")
    )

    (problem,) = parsed.problems
    assert (problem.line, problem.blocking) == (2, True)
    assert "before any pillar" in problem.message


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("bad/empty.md", "The file is empty."),
        ("bad/recipe.md", "This does not look like a work plan"),
        ("bad/corrupt.docx", "damaged"),
        ("bad/protected.docx", "password"),
        ("bad/two_pillars_3.md", "Pillar 3 is numbered twice"),
        ("bad/tier_before_section.md", "before any numbered section"),
    ],
)
def test_bad_files_give_one_blocking_problem(name, fragment):
    parsed = read(name)

    blocking = [p for p in parsed.problems if p.blocking]
    assert len(blocking) == 1
    assert fragment in blocking[0].message


def test_a_text_with_pillars_but_no_action_is_not_a_work_plan():
    parsed = parse_text(text("1. Implementation", "1.1 HUBs", "- Support the HUBs."))

    assert parsed.pillars == []
    (problem,) = parsed.problems
    assert problem.blocking
    assert problem.message.startswith("This does not look like a work plan: no action")


def test_a_text_without_pillar_is_not_a_work_plan():
    (problem,) = parse_text("Minutes of the meeting\n\nWe talked.").problems

    assert problem.blocking
    assert "no numbered pillar" in problem.message


# Files ----------------------------------------------------------------------------------------


def test_a_file_too_large_is_refused_before_reading(settings):
    settings.WORKPLAN_IMPORT_MAX_BYTES = 1000

    (problem,) = read_document("plan.md", b"x" * 1001).problems

    assert problem.blocking
    assert "too large" in problem.message


def test_a_word_file_that_unpacks_to_too_much_is_refused(settings):
    settings.WORKPLAN_IMPORT_MAX_BYTES = 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 1_000_000)

    (problem,) = read_document("plan.docx", buffer.getvalue()).problems

    assert problem.blocking
    assert "too large" in problem.message


@pytest.mark.parametrize("name", ["plan.pdf", "plan.doc", "plan", "plan.xlsx"])
def test_other_kinds_of_files_are_refused(name):
    (problem,) = read_document(name, b"1. Implementation").problems

    assert problem.blocking
    assert ".docx" in problem.message


def test_an_old_word_file_named_doc_is_refused():
    (problem,) = read_document("plan.doc", (FIXTURES / "bad/protected.docx").read_bytes()).problems

    assert problem.blocking


def test_a_word_package_without_its_document_is_damaged():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")

    (problem,) = read_document("plan.docx", buffer.getvalue()).problems

    assert problem.blocking
    assert "damaged" in problem.message


def test_a_word_file_with_broken_xml_is_damaged():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(FIXTURES / "plan_en.docx") as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]  # cut in the middle of an element
            target.writestr(item, data)

    (problem,) = read_document("plan.docx", buffer.getvalue()).problems

    assert problem.blocking
    assert "damaged" in problem.message


def test_text_encodings():
    source = one_pillar("ACTION CENTRALE :", "- Réunir les villes côtières.")

    with_bom = read_document("plan.md", b"\xef\xbb\xbf" + source.encode("utf-8"))
    windows = read_document("plan.txt", source.encode("cp1252"))

    assert with_bom.title == "Plan"
    assert [a.text_plain for a in with_bom.all_actions()] == ["Réunir les villes côtières."]
    assert [a.text_plain for a in windows.all_actions()] == ["Réunir les villes côtières."]


def test_a_binary_file_named_md_is_refused():
    (problem,) = read_document("plan.md", b"\x00\x01binary" * 10).problems

    assert problem.blocking
    assert "not a text document" in problem.message


def test_a_word_file_named_md_is_read_as_word():
    parsed = read_document("plan.md", (FIXTURES / "plan_en.docx").read_bytes())

    assert parsed.counts() == PLAN_2026


def test_read_document_never_raises():
    generator = random.Random(2030)
    samples = [b"", b" \n", b"PK\x03\x04" + b"\x00" * 40, b"\xd0\xcf\x11\xe0"]
    samples += [bytes(generator.randrange(256) for _ in range(300)) for _ in range(20)]
    lines = ["1. A", "1.1 B", "CORE ACTION:", "- C", "**", "#", "2.2.2.2.2 D", "People", "  x", ":"]
    samples += ["\n".join(generator.choice(lines) for _ in range(30)).encode() for _ in range(30)]

    for sample in samples:
        for name in ("plan.md", "plan.txt", "plan.docx"):
            parsed = read_document(name, sample)
            assert parsed.blocking or parsed.counts()["actions"] > 0


# Word documents -------------------------------------------------------------------------------


def word(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def numbered(paragraph):
    """Give the paragraph Word's own numbering (the number is not in its text)."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    level, number = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    level.set(qn("w:val"), "0")
    number.set(qn("w:val"), "1")
    numbering.append(level)
    numbering.append(number)
    properties.append(numbering)
    return paragraph


def test_word_headings_numbered_by_word_get_their_number_from_their_level():
    def build(document):
        document.add_heading("Work plan", 0)
        numbered(document.add_heading("Implementation", 1))
        numbered(document.add_heading("HUBs", 2))
        document.add_paragraph("CORE ACTION:")
        document.add_paragraph("Support the HUBs.", style="List Bullet")
        numbered(document.add_heading("Reporting", 2))
        document.add_paragraph("CORE ACTION: Publish the report.")
        numbered(document.add_heading("Advocacy", 1))
        numbered(document.add_heading("Global", 2))
        document.add_paragraph("REINFORCED ACTION:")
        document.add_paragraph("Speak at the Forum.", style="List Bullet")

    parsed = read_document("plan.docx", word(build))

    assert parsed.title == "Work plan"
    assert [(p.number, p.title) for p in parsed.pillars] == [(1, "Implementation"), (2, "Advocacy")]
    assert [s.number for s in parsed.all_sections()] == ["1.1", "1.2", "2.1"]
    assert parsed.counts()["actions"] == 3
    assert parsed.problems == []


def test_a_word_heading_without_number_is_reported_by_paragraph():
    def build(document):
        document.add_heading("1. Implementation", 1)
        document.add_heading("1.1 HUBs", 2)
        document.add_paragraph("CORE ACTION:")
        document.add_paragraph("Support the HUBs.", style="List Bullet")
        document.add_heading("Annex", 2)

    parsed = read_document("plan.docx", word(build))

    (problem,) = parsed.problems
    assert (problem.line, problem.text, problem.blocking) == (5, "## Annex", False)


def test_word_runs_keep_bold_italics_and_links():
    plan = read("plan_en.docx")

    actions = plan.all_actions()
    assert actions[0].text_html == (
        "Support the <strong>Local4Action HUBs</strong> in preparing their yearly learning agenda."
    )
    assert '<a href="https://local4action.example.org/hubs"' in actions[1].text_html
    assert "<em>guide</em>" in actions[5].text_html


def test_word_duplicates_name_paragraphs():
    def build(document):
        for number in (1, 1):
            document.add_heading(f"{number}. Implementation", 1)
            document.add_heading(f"{number}.{number + 1} HUBs", 2)
            document.add_paragraph("CORE ACTION: Support the HUBs.")

    parsed = read_document("plan.docx", word(build))

    blocking = [p for p in parsed.problems if p.blocking]
    assert blocking[0].message == "Pillar 1 is numbered twice: paragraph 1 and paragraph 4."


def test_word_tables_are_noted():
    def build(document):
        document.add_heading("1. Implementation", 1)
        document.add_heading("1.1 HUBs", 2)
        document.add_paragraph("CORE ACTION: Support the HUBs.")
        document.add_table(rows=2, cols=2)

    parsed = read_document("plan.docx", word(build))

    (problem,) = parsed.problems
    assert (problem.line, problem.blocking) == (0, False)
    assert "1 table" in problem.message


def test_an_empty_word_document_is_empty():
    (problem,) = read_document("plan.docx", word(lambda document: None)).problems

    assert problem.message == "The file is empty."


# Speed ----------------------------------------------------------------------------------------


def test_four_hundred_actions_parse_into_four_hundred_actions():
    lines = ["# Work plan"]
    for pillar in range(1, 6):
        lines.append(f"## {pillar}. Pillar {pillar}")
        for section in range(1, 9):
            lines += [f"### {pillar}.{section} Section", "CORE ACTION:"]
            lines += [
                f"- Action **{pillar}.{section}.{n}** with a [link](https://e.org)."
                for n in range(10)
            ]
    source = "\n".join(lines)

    parsed = parse_text(source)

    # Speed is measured in bench/workplan.py, not here.
    assert parsed.counts()["actions"] == 400
    assert parsed.problems == []
