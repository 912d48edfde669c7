"""Read a work plan document as staff write it (Markdown, plain text or Word) into a ParsedPlan
(outline.py). Nothing is saved here; services.plan_import saves what this returns.

The document is read line by line (paragraph by paragraph for .docx: a paragraph's number is
its "line"). Rules, in the order they are tried on each line:

1. **Blank lines** end a paragraph. Horizontal rules (``---``) are ignored.
2. **Title**: the first non-empty line, when it is none of the below (``#`` and bold removed).
3. **Tier lines** (English, French, Spanish; any case; accents optional; with or without a bullet,
   ``#``, ``**``/``__``; a colon, with or without a space before it, or nothing after the words):
   ``CORE ACTION(S)`` / ``ACTION(S) CENTRALE(S)`` / ``ACTION(S) PRINCIPALE(S)`` /
   ``ACCIÓN CENTRAL`` / ``ACCIONES PRINCIPALES`` → core; ``REINFORCED ACTION(S)`` /
   ``ACTION(S) RENFORCÉE(S)`` / ``ACCIÓN REFORZADA`` → reinforced; a reinforced (or core) tier
   followed by "through our partnership with X" / "grâce à notre partenariat avec X" / "dans le
   cadre de notre partenariat avec X" / "a través de nuestra alianza con X" / "gracias a nuestra
   asociación con X" (and close variants) → partnership with partner X. A tier line sets the
   tier of the bullets that follow until the next tier line, section or pillar; text after its
   colon is itself an action. A tier line before any section is a blocking problem: an action
   belongs to a section.
4. **Headings**: a number, optionally followed by a dot, then a space and a title: ``1.``,
   ``2``, ``2.1.``, ``2.2.2.1`` (with or without ``#`` marks, bold, a "Pillar"/"Pilier"/"Pilar"
   word before a top-level number). One part is a pillar, more parts a section. Not a heading
   (so a description paragraph): a line longer than 200 characters; a first part above 20 (so
   "2022 marks …", "2030 Agenda …"); a title starting with a lowercase letter unless the line is
   marked as a heading (``#``, bold, a Word heading style) ("2.5 million people …"); a line
   with a bullet. A section's parent is the section whose number is its prefix; a skipped number
   (2.1 then 2.3) is fine; a missing parent (2.4.1 without 2.4) places it under its nearest
   existing ancestor, with a non-blocking problem. A number used twice is a blocking problem
   naming both lines.
5. **Axis headings**: a short line that is only an axis name, optionally with "Axis"/"Axe"/"Eje"
   or "Pact axis" before it (People/Personnes/Personas, Planet/Planète/Planeta,
   Government/Gouvernement/Gobierno, Cross-cutting/Transversal): sets the axis of the sections
   that start after it, until the next axis heading or pillar.
6. **Bullets** (``-``, ``•``, ``*``, ``–``, ``+``, ``a)``, ``(b)``, ``1)``; Word list
   paragraphs): an action when a tier line came before it in the section, otherwise a line of
   the description (a list in the text is not an action until the plan says which tier it is).
   Indented bullets are actions of their own.
7. **Continuation**: in Markdown and text, an indented line (two spaces or more, no bullet)
   right after a bullet, or after a blank line following one, continues that bullet. Word
   paragraphs never continue each other.
8. **Paragraphs**: the description of the current section, or pillar before its first section.
   Text before the first pillar (after the title) is the plan's introduction and is not kept.
   An unnumbered ``#`` heading (or Word heading) after the first pillar goes to the description
   with a non-blocking problem.

Inline Markdown (``**bold**``, ``*italic*``, ``[link](url)``; bold, italic and hyperlinks of
Word runs) becomes sanitized HTML in an action's ``text_html``; ``text_plain``, titles and
descriptions are plain text. A file with no pillar or no action is not a work plan: one blocking
problem. A file that cannot be read (empty, too large, unknown kind, damaged or password-
protected Word file) gives one blocking problem; read_document never raises.
"""

import functools
import html
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from local4action.core.richtext import sanitize

from .choices import Axis, Tier
from .outline import ParsedAction, ParsedPillar, ParsedPlan, ParsedSection, Problem

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_HEADING_LENGTH = 200
MAX_PILLAR_NUMBER = 20
MAX_TITLE_LENGTH = 300
MAX_AXIS_LENGTH = 60
TEXT_EXTENSIONS = {"md", "markdown", "txt"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .docx and old .doc files
ZIP_MAGIC = b"PK\x03\x04"
# A .docx is a zip: refuse one that unpacks to far more than the upload limit.
MAX_UNPACKED_RATIO = 20

HASH_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^(?:[-•*–—+▪◦‣·]|\(?[a-zA-Z]{1,3}\)|\d{1,3}\))\s+(.*)$")
RULE = re.compile(r"^[-*_=\s]{3,}$")
NUMBERED = re.compile(
    r"^(?:(?:pillar|pilier|pilar)\s+(\d{1,2})\s*[:.\-–—]?\s*|(\d{1,3}(?:\.\d{1,3})*)\.?\s+)(\S.*)$",
    re.IGNORECASE,
)
EMPHASIS = re.compile(r"\*\*|__")

_CORE = (
    r"core\s+actions?|actions?\s+(?:centrales?|principales?)"
    r"|acci(?:on|ones)\s+(?:central(?:es)?|principal(?:es)?)"
)
_REINFORCED = r"reinforced\s+actions?|actions?\s+renforcees?|acci(?:on|ones)\s+reforzadas?"
_PARTNERSHIP = (
    r"(?:(?:through|thanks\s+to|via|under|with|in)\s+(?:(?:our|the|a)\s+)?partnership\s+with"
    r"|(?:grace\s+au?|dans\s+le\s+cadre\s+d(?:e|u)|par|via|avec|en)\s+(?:(?:notre|le|du|un)\s+)?"
    r"partenariat\s+avec"
    r"|(?:a\s+traves\s+de|gracias\s+a|en\s+el\s+marco\s+de|mediante|en|con)\s+"
    r"(?:(?:nuestra|la|una)\s+)?(?:alianza|asociacion)\s+con)"
)
TIER_LINE = re.compile(
    rf"^(?:(?P<core>{_CORE})|(?P<reinforced>{_REINFORCED}))"
    rf"(?:\s+{_PARTNERSHIP}\s+(?P<partner>[^:]+?))?"
    r"\s*(?:[:：]\s*(?P<rest>.*))?$"
)
_AXIS_NAMES = {
    "people": Axis.PEOPLE,
    "personnes": Axis.PEOPLE,
    "personas": Axis.PEOPLE,
    "planet": Axis.PLANET,
    "planete": Axis.PLANET,
    "planeta": Axis.PLANET,
    "government": Axis.GOVERNMENT,
    "governments": Axis.GOVERNMENT,
    "gouvernement": Axis.GOVERNMENT,
    "gobierno": Axis.GOVERNMENT,
    "cross-cutting": Axis.CROSS_CUTTING,
    "crosscutting": Axis.CROSS_CUTTING,
    "cross cutting": Axis.CROSS_CUTTING,
    "transversal": Axis.CROSS_CUTTING,
    "transversale": Axis.CROSS_CUTTING,
    "transversales": Axis.CROSS_CUTTING,
    "transversaux": Axis.CROSS_CUTTING,
}
AXIS_LINE = re.compile(
    r"^(?:(?:the\s+)?(?:(?:pact|pacte|pacto)\s+)?(?:axis|axe|eje)"
    r"(?:\s+(?:of\s+the\s+pact|du\s+pacte|del\s+pacto))?(?:\s+\d+)?\s*[:.\-–—]?\s*)?"
    r"(?P<name>" + "|".join(sorted(_AXIS_NAMES, key=len, reverse=True)) + r")"
    r"(?:\s+(?:axis|axe|eje|issues|themes|priorities|actions))?$"
)

LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
ITALIC = re.compile(
    r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])|(?<![_\w])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![_\w])"
)
TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")


# Messages ------------------------------------------------------------------------------------


def _not_a_plan(no_pillar: bool) -> str:
    if no_pillar:
        return _("This does not look like a work plan: no numbered pillar (1., 2., …) was found.")
    return _(
        "This does not look like a work plan: no action was found under a tier line "
        "(CORE ACTION:, REINFORCED ACTION:)."
    )


def _file_problem(message: str, name: str = "") -> ParsedPlan:
    return ParsedPlan(title="", problems=[Problem(0, name[:200], message, blocking=True)])


# Text helpers --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return unicodedata.normalize("NFD", char)[0].lower()[0]


def _fold(text: str) -> str:
    """Lowercase without accents, one character for one, so positions stay valid."""
    return "".join(map(_fold_char, text))


def inline_html(markdown: str) -> str:
    """Sanitized HTML of one line of inline Markdown (bold, italics, links)."""
    text = html.escape(markdown, quote=True)
    text = LINK.sub(r'<a href="\2">\1</a>', text)
    text = BOLD.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", text)
    text = ITALIC.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", text)
    return sanitize(text)


def html_to_plain(text_html: str) -> str:
    return SPACES.sub(" ", html.unescape(TAG.sub("", text_html))).strip()


def plain(markdown: str) -> str:
    return html_to_plain(inline_html(markdown))


def _strip_emphasis(text: str) -> str:
    """The line without bold marks and without single * or _ wrapping it."""
    text = EMPHASIS.sub("", text).strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "*_":
        text = text[1:-1].strip()
    return text


# Line classifiers ----------------------------------------------------------------------------


def _tier(text: str):
    """(tier, partner, rest as Markdown) when `text` is a tier line, else None."""
    if len(text) > MAX_HEADING_LENGTH * 2:
        return None
    clean = EMPHASIS.sub("", text).strip().strip("*_").strip()
    match = TIER_LINE.match(_fold(clean))
    if not match:
        return None
    tier = Tier.CORE if match.group("core") else Tier.REINFORCED
    partner = ""
    if match.group("partner"):
        partner = clean[match.start("partner") : match.end("partner")].strip(" .,;-–")
        tier = Tier.PARTNERSHIP
    rest = ""
    if match.group("rest") is not None:
        colon = min(i for i in (text.find(":"), text.find("：")) if i >= 0)
        rest = text[colon + 1 :].strip()
        # `**CORE ACTION:** text`: the closing mark of the tier's bold follows the colon.
        for mark in ("**", "__"):
            if text[:colon].count(mark) % 2 and rest.startswith(mark):
                rest = rest[len(mark) :].strip()
        if _strip_emphasis(rest) == "":
            rest = ""
    return tier, partner, rest


def _heading(text: str, marked: bool):
    """(number parts, title) when `text` is a numbered heading, else None."""
    if len(text) > MAX_HEADING_LENGTH:
        return None
    bold = text.startswith(("**", "__"))
    match = NUMBERED.match(EMPHASIS.sub("", text).strip())
    if not match:
        return None
    parts = [int(part) for part in (match.group(1) or match.group(2)).split(".")]
    if not 1 <= parts[0] <= MAX_PILLAR_NUMBER or 0 in parts:
        return None
    title = plain(match.group(3)).strip(" :")
    if not title:
        return None
    if title[0].islower() and not (marked or bold):
        return None
    return parts, title


def _axis(text: str) -> str | None:
    if len(text) > MAX_AXIS_LENGTH * 2:
        return None
    clean = plain(_strip_emphasis(text)).rstrip(" :.")
    if not clean or len(clean) > MAX_AXIS_LENGTH:
        return None
    match = AXIS_LINE.match(SPACES.sub(" ", _fold(clean)))
    return _AXIS_NAMES[match.group("name")] if match else None


# The parser ----------------------------------------------------------------------------------


@dataclass
class _Block:
    """What is being read: an action (it has a tier; its target is its section), or a
    paragraph or list item of the description of `target` (a section or a pillar)."""

    line: int
    parts: list[str]  # its lines, inline Markdown
    target: object
    bullet: bool
    tier: str = ""
    partner: str = ""


class _Parser:
    def __init__(self, unit: str, wrapped_lines: bool):
        self.unit = unit
        self.wrapped_lines = wrapped_lines
        self.plan = ParsedPlan(title="")
        self.pillars: dict[int, tuple[ParsedPillar, int]] = {}
        self.sections: dict[str, tuple[ParsedSection, int]] = {}
        self.pillar: ParsedPillar | None = None
        self.section: ParsedSection | None = None
        self.axis = ""
        self.tier = None  # (tier, partner) of the current tier line
        self.orphan_tier = False  # a tier line with no section: its bullets go nowhere
        self.seen_content = False
        self.block: _Block | None = None  # the action or paragraph being read
        self.blank_before = False
        self.actions: list[_Block] = []
        self.descriptions: dict[int, list[str]] = {}
        self.targets: dict[int, object] = {}

    # Places -----------------------------------------------------------------------------------

    def where(self, line: int) -> str:
        if self.unit == "paragraph":
            return _("paragraph %(number)s") % {"number": line}
        return _("line %(number)s") % {"number": line}

    def problem(self, line: int, text: str, message: str, blocking: bool = False) -> None:
        self.plan.problems.append(Problem(line, text.strip()[:200], message, blocking))

    def place_name(self) -> str:
        if self.section:
            return _("section %(number)s") % {"number": self.section.number}
        return _("pillar %(number)s") % {"number": self.pillar.number}

    # Blocks -----------------------------------------------------------------------------------

    def close(self) -> None:
        block, self.block = self.block, None
        if block is None:
            return
        if block.tier:
            self.actions.append(block)
            return
        text = plain(" ".join(block.parts))
        if text:
            self.descriptions.setdefault(id(block.target), []).append(
                (f"• {text}", True) if block.bullet else (text, False)
            )
            self.targets[id(block.target)] = block.target

    def description_target(self):
        return self.section or self.pillar

    # Lines ------------------------------------------------------------------------------------

    def feed(self, line: int, raw: str, list_item: bool = False) -> None:
        stripped = raw.strip()
        if not stripped or RULE.match(stripped):
            if self.block and not self.block.bullet:
                self.close()
            self.blank_before = True
            return
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        blank_before, self.blank_before = self.blank_before, False
        text, marked = stripped, False
        hashes = HASH_HEADING.match(text)
        if hashes:
            text, marked = hashes.group(2), True
        bullet = list_item
        if not marked and not list_item:
            match = BULLET.match(text)
            if match:
                text, bullet = match.group(1), True

        first = not self.seen_content
        self.seen_content = True

        tier = _tier(text)
        if tier:
            self.on_tier(line, stripped, *tier)
            return
        heading = None if bullet else _heading(text, marked)
        if heading:
            self.close()
            self.on_heading(line, stripped, *heading)
            return
        axis = None if bullet else _axis(text)
        if axis:
            self.close()
            if self.pillar is None:
                self.problem(
                    line, stripped, _("This axis heading comes before any pillar; it was ignored.")
                )
            else:
                self.axis = axis
            return
        if first and not bullet:
            title = plain(_strip_emphasis(text))
            if len(title) <= MAX_TITLE_LENGTH:
                self.plan.title = title
                return
        if (
            self.wrapped_lines
            and not bullet
            and not marked
            and indent >= 2
            and self.block is not None
            and self.block.bullet
        ):
            self.block.parts.append(text)  # a wrapped bullet
            return
        if self.pillar is None:
            self.close()  # the plan's introduction: not kept
            return
        if bullet:
            self.close()
            if self.orphan_tier:
                return  # already reported with its tier line
            if self.tier and self.section:
                self.block = _Block(line, [text], self.section, True, *self.tier)
            else:
                self.block = _Block(line, [text], self.description_target(), True)
            return
        if marked:
            self.close()
            self.problem(
                line,
                stripped,
                _("This heading has no number; its text was added to the description of %(place)s.")
                % {"place": self.place_name()},
            )
            self.block = _Block(line, [text], self.description_target(), False)
            self.close()
            return
        target = self.description_target()
        if self.block and not self.block.bullet and not blank_before:
            if self.block.target is target and self.wrapped_lines:
                self.block.parts.append(text)
                return
        self.close()
        self.block = _Block(line, [text], target, False)
        if not self.wrapped_lines:
            self.close()

    def on_tier(self, line, stripped, tier, partner, rest) -> None:
        self.close()
        if self.section is None:
            self.tier = None
            self.orphan_tier = True
            self.problem(
                line,
                stripped,
                _(
                    "This tier line comes before any numbered section (such as 1.1): actions "
                    "must be placed under a section."
                ),
                blocking=True,
            )
            return
        self.orphan_tier = False
        self.tier = (tier, partner)
        if rest:
            self.block = _Block(line, [rest], self.section, True, tier, partner)

    def on_heading(self, line, stripped, parts, title) -> None:
        self.tier = None
        self.orphan_tier = False
        if len(parts) == 1:
            self.on_pillar(line, stripped, parts[0], title)
        else:
            self.on_section(line, stripped, parts, title)

    def on_pillar(self, line, stripped, number, title) -> None:
        pillar = ParsedPillar(line=line, number=number, title=title[:500])
        if number in self.pillars:
            self.problem(
                line,
                stripped,
                _("Pillar %(number)s is numbered twice: %(first)s and %(second)s.")
                % {
                    "number": number,
                    "first": self.where(self.pillars[number][1]),
                    "second": self.where(line),
                },
                blocking=True,
            )
        else:
            self.pillars[number] = (pillar, line)
        self.plan.pillars.append(pillar)
        self.pillar, self.section, self.axis = pillar, None, ""

    def on_section(self, line, stripped, parts, title) -> None:
        number = ".".join(map(str, parts))
        if self.pillar is None:
            self.problem(
                line,
                stripped,
                _("Section %(number)s comes before any pillar.") % {"number": number},
                blocking=True,
            )
            return
        section = ParsedSection(line=line, number=number, title=title[:500], axis=self.axis)
        if number in self.sections:
            self.problem(
                line,
                stripped,
                _("Section %(number)s is numbered twice: %(first)s and %(second)s.")
                % {
                    "number": number,
                    "first": self.where(self.sections[number][1]),
                    "second": self.where(line),
                },
                blocking=True,
            )
        else:
            self.sections[number] = (section, line)
        pillar = self.pillar
        if pillar.number != parts[0]:
            pillar = self.pillars.get(parts[0], (None, 0))[0]
        if pillar is None:
            pillar = self.pillar
            self.problem(
                line,
                stripped,
                _(
                    "Section %(number)s has no pillar %(pillar)s; "
                    "it was placed under pillar %(placed)s."
                )
                % {"number": number, "pillar": parts[0], "placed": pillar.number},
            )
        elif pillar is not self.pillar:
            self.problem(
                line,
                stripped,
                _(
                    "Section %(number)s comes after pillar %(current)s; "
                    "it was placed under pillar %(pillar)s."
                )
                % {"number": number, "current": self.pillar.number, "pillar": pillar.number},
            )
        parent = None
        for depth in range(len(parts) - 1, 1, -1):
            found = self.sections.get(".".join(map(str, parts[:depth])))
            if found and found[0] is not section:
                parent = found[0]
                break
        expected = ".".join(map(str, parts[:-1]))
        if len(parts) > 2 and (parent is None or parent.number != expected):
            if parent:
                placed = _("section %(number)s") % {"number": parent.number}
            else:
                placed = _("pillar %(number)s") % {"number": pillar.number}
            self.problem(
                line,
                stripped,
                _(
                    "Section %(number)s has no section %(parent)s above it; "
                    "it was placed under %(placed)s."
                )
                % {"number": number, "parent": expected, "placed": placed},
            )
        (parent.children if parent else pillar.sections).append(section)
        self.section = section

    # End --------------------------------------------------------------------------------------

    def finish(self) -> ParsedPlan:
        self.close()
        for block in self.actions:
            text_html = inline_html(" ".join(block.parts))
            block.target.actions.append(
                ParsedAction(
                    line=block.line,
                    text_html=text_html,
                    text_plain=html_to_plain(text_html),
                    tier=block.tier,
                    partner_name=block.partner[:200],
                )
            )
        for key, paragraphs in self.descriptions.items():
            # A list stays together: its items on lines of their own, not paragraphs.
            text = ""
            for paragraph, bullet in paragraphs:
                text += ("\n" if bullet else "\n\n") + paragraph if text else paragraph
            self.targets[key].description = text
        plan = self.plan
        if not plan.pillars or not self.actions:
            plan.pillars = []
            plan.problems = [Problem(0, "", _not_a_plan(not self.pillars), blocking=True)]
        plan.problems.sort(key=lambda p: p.line)
        return plan


def _parse(lines, *, unit: str, wrapped_lines: bool) -> ParsedPlan:
    parser = _Parser(unit, wrapped_lines)
    for line, text, list_item in lines:
        parser.feed(line, text, list_item)
    return parser.finish()


def parse_text(text: str) -> ParsedPlan:
    """Read a Markdown or plain-text work plan (line numbers are 1-based lines)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        return _file_problem(_("The file is empty."))
    lines = ((number, line, False) for number, line in enumerate(text.splitlines(), 1))
    return _parse(lines, unit="line", wrapped_lines=True)


# Files ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _run_markdown(text: str, bold: bool, italic: bool) -> str:
    text = text.replace("\n", " ").replace("\t", " ")
    core = text.strip()
    if not core or not (bold or italic):
        return text
    mark = "**" if bold else "*"
    if bold and italic:
        mark = "***"
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _paragraph_markdown(paragraph) -> str:
    """The paragraph's text with its bold and italic runs and hyperlinks as inline Markdown."""
    from docx.text.hyperlink import Hyperlink

    pieces: list[list] = []  # [text, bold, italic] runs with the same formatting merged
    out = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            label = item.text.strip()
            if item.url and label:
                out.append("".join(_run_markdown(*p) for p in pieces))
                pieces = []
                out.append(f"[{label}]({item.url})")
            else:
                pieces.append([item.text, False, False])
            continue
        key = (bool(item.bold), bool(item.italic))
        if pieces and (pieces[-1][1], pieces[-1][2]) == key:
            pieces[-1][0] += item.text
        else:
            pieces.append([item.text, *key])
    out.append("".join(_run_markdown(*p) for p in pieces))
    return "".join(out)


def _docx_lines(data: bytes):
    """(paragraph number, Markdown-like text, is a list item) for each paragraph of a .docx."""
    import docx

    document = docx.Document(io.BytesIO(data))
    styles = {}
    numbered_styles = set()
    for style in document.styles:
        styles[style.style_id] = style.name or ""
        ppr = getattr(style.element, "pPr", None)
        if ppr is not None and ppr.numPr is not None:
            numbered_styles.add(style.style_id)
    counters = [0] * 9
    lines = []
    for index, paragraph in enumerate(document.paragraphs, 1):
        style_id = paragraph._p.style or "Normal"
        name = styles.get(style_id, "")
        ppr = paragraph._p.pPr
        numbered = style_id in numbered_styles or (ppr is not None and ppr.numPr is not None)
        text = _paragraph_markdown(paragraph).strip()
        level = 0
        if name == "Title":
            level = 1
        elif name.startswith("Heading"):
            level = int(name.split()[-1]) if name.split()[-1].isdigit() else 1
        if level and text:
            found = NUMBERED.match(EMPHASIS.sub("", text))
            if found and name != "Title":
                parts = [int(p) for p in (found.group(1) or found.group(2)).split(".")]
                counters[: len(parts)] = parts
                counters[len(parts) :] = [0] * (9 - len(parts))
            elif numbered and name != "Title" and level <= 9:
                # Word numbers this heading itself: rebuild its number from the levels.
                counters[level - 1] += 1
                counters[level:] = [0] * (9 - level)
                if all(counters[:level]):
                    text = ".".join(map(str, counters[:level])) + ". " + text
            lines.append((index, "#" * min(level, 6) + " " + text, False))
            continue
        is_list = name.startswith("List") or numbered
        lines.append((index, text, is_list))
    tables = len(document.tables)
    return lines, tables


def _read_docx(name: str, data: bytes, max_bytes: int) -> ParsedPlan:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return _file_problem(_damaged(), name)
    if unpacked > max_bytes * MAX_UNPACKED_RATIO:
        return _file_problem(_too_large(unpacked, max_bytes * MAX_UNPACKED_RATIO), name)
    try:
        lines, tables = _docx_lines(data)
    except Exception:  # python-docx raises many kinds (KeyError, lxml, ValueError) on bad files
        logger.info("Unreadable .docx %s", name, exc_info=True)
        return _file_problem(_damaged(), name)
    if not any(text.strip() for _line, text, _list in lines):
        return _file_problem(_("The file is empty."), name)
    plan = _parse(lines, unit="paragraph", wrapped_lines=False)
    if tables and not plan.blocking:
        plan.problems.append(
            Problem(
                0,
                name[:200],
                ngettext(
                    "The document has %(count)s table; tables are not read.",
                    "The document has %(count)s tables; tables are not read.",
                    tables,
                )
                % {"count": tables},
            )
        )
    return plan


def _damaged() -> str:
    return _("This Word document cannot be read: it is damaged or it is not a .docx file.")


def _too_large(size: int, limit: int) -> str:
    return _("The file is too large (%(size)s); the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def read_document(name: str, data: bytes) -> ParsedPlan:
    """Read an uploaded work plan by its extension and content (.md, .markdown, .txt, .docx).
    Anything that cannot be read gives a ParsedPlan with one blocking problem; never raises."""
    try:
        return _read_document(name or "", data or b"")
    except Exception:  # the import page must show a message, never a 500
        logger.exception("Work plan document %s could not be read", name)
        return _file_problem(_("This document could not be read."), name or "")


def _read_document(name: str, data: bytes) -> ParsedPlan:
    max_bytes = getattr(settings, "WORKPLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TEXT_EXTENSIONS | {"docx"}:
        return _file_problem(
            _(
                "This kind of file is not accepted. Send a Markdown (.md), text (.txt) or Word "
                "(.docx) document."
            ),
            name,
        )
    if len(data) > max_bytes:
        return _file_problem(_too_large(len(data), max_bytes), name)
    if not data.strip():
        return _file_problem(_("The file is empty."), name)
    if data.startswith(OLE_MAGIC):
        return _file_problem(
            _(
                "This document is protected by a password or saved in the old Word format "
                "(.doc). Remove the password or save it as .docx, then import it again."
            ),
            name,
        )
    if extension == "docx" or data.startswith(ZIP_MAGIC):
        return _read_docx(name, data, max_bytes)
    if b"\x00" in data[:8192]:
        return _file_problem(
            _(
                "This file is not a text document. Send a Markdown (.md), text (.txt) or "
                "Word (.docx) document."
            ),
            name,
        )
    return parse_text(_decode(data))
