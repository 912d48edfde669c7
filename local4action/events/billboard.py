"""Billboard pictures: a retained idea of a co-creation board as an SVG (and a PNG made from
it) with the message, the city's name and the colours of the event's SDGs."""

import functools
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import cairosvg
from PIL import ImageFont

from .models import Idea

WIDTH, HEIGHT = 1200, 628
MARGIN = 60
FONT = "DejaVu Sans, sans-serif"
INK = "#1d2430"
# Used when the event is linked to no SDG: sustainable cities, climate, partnerships, poverty.
FALLBACK_COLOURS = ("#FD9D24", "#3F7E44", "#19486A", "#E5243B")

# Font sizes from short messages to the longest ones.
SIZES = (64, 54, 44, 36, 30)
LEADING = 1.25
TEXT_WIDTH = WIDTH - 2 * MARGIN
TEXT_TOP = 70
TEXT_BOTTOM = HEIGHT - 180
BOLD_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@functools.cache
def _measure(size: int):
    """The width of a text in DejaVu Sans Bold at this size, from the font's own metrics when
    the font is installed, else a cautious estimate (0.7 em per character)."""
    try:
        font = ImageFont.truetype(str(BOLD_FONT), size)
    except OSError:
        return lambda text: len(text) * size * 0.7
    return font.getlength


def _wrap(text: str, size: int) -> list[str]:
    """Greedy wrapping on measured widths; a word too long for a line is cut."""
    measure = _measure(size)
    lines: list[str] = []
    line = ""
    for word in text.split():
        while measure(word) > TEXT_WIDTH:
            cut = len(word)
            while cut > 1 and measure(word[:cut]) > TEXT_WIDTH:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if line and measure(candidate) > TEXT_WIDTH:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


def _lines(text: str) -> tuple[int, list[str]]:
    """Wrap the message with the largest font that fits the space above the city."""
    for size in SIZES:
        lines = _wrap(text, size)
        if len(lines) * size * LEADING <= TEXT_BOTTOM - TEXT_TOP:
            break
    return size, lines


def _city_size(city: str) -> int:
    """The largest size at which the city's name fits beside its colour square."""
    for size in (46, 38, 30, 24, 20):
        if _measure(size)(city) <= TEXT_WIDTH - 76:
            break
    return size


def _colours(goals) -> list[str]:
    colours = [goal.color for goal in goals if goal.color]
    return colours or list(FALLBACK_COLOURS)


def _band(colours: list[str], y: int, height: int) -> list[str]:
    width = WIDTH / len(colours)
    return [
        f'<rect x="{index * width:.2f}" y="{y}" width="{width + 0.5:.2f}" height="{height}" '
        f"fill={quoteattr(colour)}/>"
        for index, colour in enumerate(colours)
    ]


def billboard_svg(idea: Idea, goals) -> str:
    """The billboard as SVG text. The idea is plain text (the services refuse markup); it is
    escaped all the same, as is the city's name."""
    event = idea.session.event
    colours = _colours(goals)
    size, lines = _lines(idea.text)
    city = idea.city or event.city
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="billboard-title">',
        f'<title id="billboard-title">{escape(idea.text)}'
        + (f" — {escape(city)}" if city else "")
        + "</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        *_band(colours, 0, 36),
        *_band(colours, HEIGHT - 16, 16),
        f'<g font-family="{FONT}" fill="{INK}">',
        f'<text font-size="{size}" font-weight="bold">',
    ]
    for index, line in enumerate(lines):
        baseline = TEXT_TOP + size + index * size * LEADING
        parts.append(f'<tspan x="{MARGIN}" y="{baseline:.0f}">{escape(line)}</tspan>')
    parts.append("</text>")
    if city:
        parts += [
            f'<rect x="{MARGIN}" y="{HEIGHT - 140}" width="56" height="56" '
            f"fill={quoteattr(colours[0])}/>",
            f'<text x="{MARGIN + 76}" y="{HEIGHT - 95}" font-size="{_city_size(city)}" '
            f'font-weight="bold">{escape(city)}</text>',
        ]
    parts += [
        f'<text x="{MARGIN}" y="{HEIGHT - 40}" font-size="20" fill="#4a5563">'
        f"{escape(event.title[:90])}</text>",
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts)


def billboard_png(idea: Idea, goals) -> bytes:
    """The same billboard as a PNG of WIDTH × HEIGHT pixels."""
    svg = billboard_svg(idea, goals).encode("utf-8")
    return cairosvg.svg2png(bytestring=svg, output_width=WIDTH, output_height=HEIGHT)
