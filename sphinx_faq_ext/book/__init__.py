"""Whole-book features: the question index, works quoted, BibTeX-backed notes.

* ``faq:index`` (:mod:`.index`): a linked table of every question;
* ``faq:sources`` (:mod:`.sources`): the works quoted, by author;
* ``faq:cite`` (:mod:`.cite`, :mod:`.citestyle`): notes from BibTeX entries;
* translated titles keep their numbers (:mod:`.i18n`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_book(app: Sphinx) -> None:
    """Register ``faq:index``, ``faq:sources``, ``faq:cite`` and their transforms."""
    # Imported here: authoring.quote itself imports book.cite.
    from sphinx_faq_ext.authoring.quote import QuoteMarkerTransform
    from sphinx_faq_ext.book.cite import (
        CiteFormattingTransform,
        CiteRegistrationTransform,
        CiteRole,
    )
    from sphinx_faq_ext.book.i18n import QuestionTitleTransform, QuestionTitleTypographyTransform
    from sphinx_faq_ext.book.index import QuestionIndexDirective, QuestionIndexPostTransform
    from sphinx_faq_ext.book.nodes import setup_book_nodes
    from sphinx_faq_ext.book.sources import (
        SourcesDirective,
        SourcesPostTransform,
        WorksCollector,
        on_env_updated,
    )

    setup_book_nodes(app)
    app.add_directive_to_domain("faq", "index", QuestionIndexDirective)
    app.add_directive_to_domain("faq", "sources", SourcesDirective)
    app.add_role_to_domain("faq", "cite", CiteRole())
    app.add_transform(QuestionTitleTransform)
    app.add_transform(QuestionTitleTypographyTransform)
    app.add_transform(QuoteMarkerTransform)
    app.add_transform(CiteFormattingTransform)
    app.add_transform(CiteRegistrationTransform)
    app.add_transform(WorksCollector)
    app.add_post_transform(QuestionIndexPostTransform)
    app.add_post_transform(SourcesPostTransform)
    app.connect("env-updated", on_env_updated)
