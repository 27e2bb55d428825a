"""Registration of the authoring directives and roles on the ``faq`` domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_faq_ext.authoring.notes import NotesDirective, SourceNoteRole
from sphinx_faq_ext.authoring.question import QuestionDirective
from sphinx_faq_ext.authoring.quote import QuoteDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_authoring(app: Sphinx) -> None:
    """Add ``faq:question``, ``faq:quote``, ``faq:notes`` and ``faq:note``."""
    app.add_directive_to_domain("faq", "question", QuestionDirective)
    app.add_directive_to_domain("faq", "quote", QuoteDirective)
    app.add_directive_to_domain("faq", "notes", NotesDirective)
    app.add_role_to_domain("faq", "note", SourceNoteRole())
