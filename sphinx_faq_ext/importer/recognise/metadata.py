"""The book's metadata its pages state: who holds the copyright.

A book's own pages often say who made it in one line: ``Copyright (C)
1995-2019 The Anarchist FAQ Editorial Collective``.  When the book has one
such line (or several naming one holder), its holder is the book's author and
the line its copyright; several holders, or none, give nothing (the settings
file's ``author`` and ``date`` say it then).  Quotations are not searched: a
quoted book's copyright is not this one's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sphinx_faq_ext.importer.model.page import (
    Block,
    Heading,
    ListBlock,
    Page,
    Paragraph,
    inline_text,
)

#: ``Copyright (C) 1995-2019 Holder``, ``© 2008 Holder``: a sign and a year
#: are required (the word alone is the law's, not a book's notice).
COPYRIGHT = re.compile(
    r"(?:\bcopyright\s*(?:\(c\)|©)|©)\s*"
    r"(?P<years>\d{4}(?:\s*[-\u2013]\s*\d{4})?(?:\s*,\s*\d{4})*)\s*,?\s*(?:by\s+)?"
    r"(?P<holder>[^\W\d][^.:;|\n]*?)\s*(?:[.:;|\n]|$)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Copyright:
    """The years and holder of the book's copyright line."""

    years: str
    holder: str


def _texts(blocks: list[Block]) -> Iterable[str]:
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            yield inline_text(block.children)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _texts(item)


def book_copyright(pages: Iterable[Page]) -> Copyright | None:
    """The one holder the book's copyright lines name (the latest years), or ``None``."""
    found: dict[str, str] = {}
    for page in pages:
        for text in _texts(page.blocks):
            for match in COPYRIGHT.finditer(" ".join(text.split())):
                holder = match["holder"].strip().rstrip(",")
                years = re.sub(r"\s+", "", match["years"])
                if len(holder.split()) <= 8:
                    found[holder] = max(found.get(holder, ""), years)
    if len(found) != 1:
        return None
    holder, years = next(iter(found.items()))
    return Copyright(years, holder)
