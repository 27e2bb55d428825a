"""Text copied out of the WeasyPrint PDF is the text of the book.

A running head too long for its line used to be cut with an ellipsis, and
WeasyPrint (70.0) then mapped the last glyph before the ellipsis to all the
text cut off — for every use of that glyph in the PDF: copying or searching
gave wrong text and pdftotext said "Illegal entry in bfchar block in ToUnicode
CMap".  The running head is now clipped instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from external_tools import need_module, pdftotext
from seed import words

if TYPE_CHECKING:
    from conftest import MakeProject

LONG_TITLE = (
    "Emma Goldman, “Anarchism: What It Really Stands For,” in Red Emma Speaks, "
    "edited by Alix Kates Shulman, " + "and many more words so that the running head is cut, " * 6
)


@pytest.mark.tool
def test_pdftotext_reads_every_glyph_right(make_project: MakeProject) -> None:
    need_module("weasyprint")
    # italic, like the running head, so the two share a font
    body = "\n\n".join(["*Yearly youth yields a yellow yak, surely.*"] * 80)
    app = make_project({
        "index.md": f"# Book\n\n:::{{faq:question}} {LONG_TITLE}\n:number: A\n\n{body}\n:::\n",
    }, buildername="faqpdf", confoverrides={"faq_pdf_engine": "weasyprint"})
    app.build()
    [pdf] = app.outdir.glob("*.pdf")
    text = words(pdftotext(pdf, quiet=True))
    assert text.count("Yearly youth yields a yellow yak, surely.") == 80
