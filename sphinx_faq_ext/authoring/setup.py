"""Registration of the authoring directives and roles on the ``faq`` domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_faq_ext.authoring.cite import CiteRole
from sphinx_faq_ext.authoring.index import QuestionIndexDirective
from sphinx_faq_ext.authoring.notes import NotesDirective, SourceNoteRole
from sphinx_faq_ext.authoring.question import QuestionDirective
from sphinx_faq_ext.authoring.quote import QuoteDirective
from sphinx_faq_ext.authoring.sources import SourcesDirective
from sphinx_faq_ext.util.upstream.myst import use_simple_option_tokens

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_authoring(app: Sphinx) -> None:
    """Add every ``faq`` directive and role."""
    app.add_directive_to_domain("faq", "question", QuestionDirective)
    app.add_directive_to_domain("faq", "quote", QuoteDirective)
    app.add_directive_to_domain("faq", "notes", NotesDirective)
    app.add_role_to_domain("faq", "note", SourceNoteRole())
    app.add_directive_to_domain("faq", "index", QuestionIndexDirective)
    app.add_directive_to_domain("faq", "sources", SourcesDirective)
    app.add_role_to_domain("faq", "cite", CiteRole())
    app.connect("builder-inited", simple_options)


def simple_options(app: Sphinx) -> None:
    """``builder-inited``: in a MyST project, directive options such as
    ``:author: 'Name'`` are read without MyST's character-by-character tokenizer."""
    use_simple_option_tokens()
