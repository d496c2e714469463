"""ReportLab set up for the app's documents: embedded fonts, paragraph styles, and text made safe as markup.

Text is set in Bitstream Vera, which ReportLab ships and embeds (Latin-1, and more). A character Vera lacks (Greek,
Cyrillic, Chinese, Japanese…) is set in Adobe's STSong-Light, a CID font every PDF reader has or substitutes, so it
is still in the text layer; anything neither covers shows as a blank box. No text raises.
"""

import os
from functools import lru_cache
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from resolution_app.domain.text import written

FONT = "Vera"
FALLBACK_FONT = "STSong-Light"
_VERA_FILES = {
    "Vera": "Vera.ttf",
    "Vera-Bold": "VeraBd.ttf",
    "Vera-Italic": "VeraIt.ttf",
    "Vera-BoldItalic": "VeraBI.ttf",
}


@lru_cache(maxsize=1)
def fonts() -> frozenset[int]:
    """Register the fonts once per process; the code points Vera has a glyph for."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, file in _VERA_FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(
        FONT, normal="Vera", bold="Vera-Bold", italic="Vera-Italic", boldItalic="Vera-BoldItalic"
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def markup(text: str) -> str:
    """`text` as Paragraph markup that shows exactly it: tags escaped, line breaks kept, control characters
    dropped, and runs of characters Vera lacks set in the fallback font."""
    covered = fonts()
    clean = written(text).replace("\t", "    ")
    parts: list[str] = []
    run: list[str] = []
    run_fallback = False
    for char in clean:
        fallback = char != "\n" and ord(char) not in covered
        if fallback != run_fallback and run:
            parts.append(_run("".join(run), run_fallback))
            run = []
        run_fallback = fallback
        run.append(char)
    if run:
        parts.append(_run("".join(run), run_fallback))
    return "".join(parts)


def _run(text: str, fallback: bool) -> str:
    escaped = escape(text).replace("\n", "<br/>")
    return f'<font name="{FALLBACK_FONT}">{escaped}</font>' if fallback else escaped


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=2)
    return {
        "title": ParagraphStyle("title", parent=body, fontName="Vera-Bold", fontSize=17, leading=22, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName="Vera-Bold",
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        # Headings stay on the page of what they head (in a table cell keepWithNext means nothing).
        "head": ParagraphStyle(
            "head", parent=body, fontName="Vera-Bold", fontSize=8.5, leading=11, spaceAfter=0, keepWithNext=1
        ),
        "subhead": ParagraphStyle(
            "subhead", parent=body, fontName="Vera-Bold", fontSize=8.5, leading=11, spaceBefore=6, keepWithNext=1
        ),
        "meta": ParagraphStyle(
            "meta", parent=body, fontSize=8, leading=10.5, textColor=colors.HexColor("#444444"), keepWithNext=1
        ),
        "quote": ParagraphStyle("quote", parent=body, leftIndent=12, spaceAfter=6),
        "warning": ParagraphStyle(
            "warning",
            parent=body,
            fontName="Vera-Bold",
            textColor=colors.HexColor("#8a1c00"),
            borderColor=colors.HexColor("#8a1c00"),
            borderWidth=1,
            borderPadding=5,
            spaceBefore=6,
            spaceAfter=10,
        ),
    }
