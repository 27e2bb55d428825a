"""Section titles LaTeX can print whole: no note text in them, none too long.

LaTeX sets a section title as one box that cannot break across pages.  A
title taller than the page runs off its foot, and with it the text that
follows: the fuzz harness found a chapter whose title held a 400-word note
(a ``faq:note`` outside any question stays in its title as bracketed text,
:meth:`.NoteNumberingTransform.orphan`, or any note under
``faq_notes_style = "inline"``): the title and the paragraph after it were
missing from the PDF, with no warning but the one about the note.

:class:`PrintedTitlesPostTransform` moves such bracketed notes out of the
title into a paragraph right after it, where they can break across pages
like any text, and warns (``faq.long-title``, at the title) about a title
that is still longer than :data:`LONG_TITLE` characters.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: A title longer than this may not fit on a printed page (LaTeX's chapter
#: style sets about 500 characters on an A5 page).
LONG_TITLE = 400
#: The class of a note's bracketed text (:mod:`~sphinx_faq_ext.transforms.notes`).
NOTE_INLINE = "faq-note-inline"


class PrintedTitlesPostTransform(SphinxPostTransform):
    """Move bracketed notes out of section titles; warn about overlong titles.

    After :class:`~.notes.NotesStylePostTransform` (5), which makes the
    bracketed notes of the ``inline`` style.  Walks the ``children`` lists:
    in LaTeX's merged tree a node's ``parent`` may still be its source
    document's.
    """

    default_priority = 8
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        self.visit(self.document)

    def visit(self, element: nodes.Element) -> None:
        """Fix the title of every section under *element*."""
        for child in element.children:
            if isinstance(child, nodes.Element):
                if isinstance(child, nodes.section):
                    self.fix(child)
                self.visit(child)

    def fix(self, section: nodes.section) -> None:
        """Move the notes out of *section*'s title; warn when it is still too long."""
        if not section.children or not isinstance(section.children[0], nodes.title):
            return
        title = section.children[0]
        notes = [inline for inline in _descendants(title)
                 if isinstance(inline, nodes.inline) and NOTE_INLINE in inline["classes"]]
        if notes:
            paragraph = nodes.paragraph("", "", classes=["faq-title-notes"])
            paragraph.source, paragraph.line = title.source, title.line
            for number, inline in enumerate(notes):
                _remove(title, inline)
                if number:
                    paragraph += nodes.Text(" ")
                paragraph += inline
            section.insert(1, paragraph)
            _strip_trailing_space(title)
        length = len(title.astext())
        if length > LONG_TITLE:
            logger.warning(
                "a title of %d characters: LaTeX prints a title on one page and cuts "
                "what does not fit; shorten it or move its text into the section",
                length, type="faq", subtype="long-title", location=title,
            )


def _descendants(element: nodes.Element) -> list[nodes.Node]:
    """Every node under *element*, by the ``children`` lists."""
    found: list[nodes.Node] = []
    for child in element.children:
        found.append(child)
        if isinstance(child, nodes.Element):
            found.extend(_descendants(child))
    return found


def _remove(root: nodes.Element, target: nodes.Node) -> bool:
    """Remove *target* from wherever it sits under *root*."""
    for index, child in enumerate(root.children):
        if child is target:
            del root.children[index]
            return True
        if isinstance(child, nodes.Element) and _remove(child, target):
            return True
    return False


def _strip_trailing_space(title: nodes.title) -> None:
    """Drop the space that stood before a note taken from the title's end."""
    if title.children and isinstance(title.children[-1], nodes.Text):
        text = str(title.children[-1])
        if text != text.rstrip():
            if text.strip():
                title[-1] = nodes.Text(text.rstrip())
            else:
                del title[-1]
