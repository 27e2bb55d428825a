"""Which builder runs, what it publishes, and how it says it could not.

The builder of a transform, without Sphinx 9's deprecated ``Transform.app``;
the one answer to "is this an ePub, a website or print HTML?"; and
:func:`fail_build`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_faq_ext.util.upstream.sphinx import builder_app, env_app, env_builder_class

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The class of the span a note in ``footnotes`` style becomes in print HTML:
#: ``writers/html.py`` writes it, WeasyPrint floats it to the foot of the page
#: (``builders/pdf_static/book.css``) and ``util/upstream/weasyprint_api.py``
#: tags what WeasyPrint makes of it.
FOOTNOTE_CLASS = "faq-footnote"
#: The URL scheme of a link into another part of a book laid out in parts
#: (``faq-join:ANCHOR``): the Typst translator and the WeasyPrint engine
#: write it, the join of the parts' PDFs turns it into an internal link.
JOIN_SCHEME = "faq-join:"


class PrintHtmlBuilder:
    """Mixin of a builder whose HTML is laid out for print (``faqpdf``'s WeasyPrint engine).

    The HTML visitors ask :func:`is_print_html` rather than the builder's
    name: notes become CSS footnotes (:data:`FOOTNOTE_CLASS`), and the pages
    are no website (:func:`is_website`).
    """


def current_builder(env: BuildEnvironment) -> Builder:
    """The builder of this build."""
    return env_app(env).builder


def builder_class(env: BuildEnvironment) -> type[Builder]:
    """The builder's class, also known in parallel-read worker processes."""
    cls = env_builder_class(env)
    return cls if cls is not None else type(current_builder(env))


def is_epub(builder: Builder) -> bool:
    """Whether *builder* makes an ePub (it renders HTML, but one file for e-readers)."""
    return builder.name.startswith("epub")


def is_print_html(builder: Builder) -> bool:
    """Whether *builder* writes HTML for a print engine (:class:`PrintHtmlBuilder`)."""
    return isinstance(builder, PrintHtmlBuilder)


def is_website(builder: Builder) -> bool:
    """Whether *builder* publishes web pages: HTML, not the ePub, not the PDF."""
    return builder.format == "html" and not is_epub(builder) and not is_print_html(builder)


def parallel_jobs(builder: Builder) -> int:
    """How many processes ``-j`` allows (Sphinx 9 deprecates ``Builder.app``)."""
    return max(1, int(builder_app(builder).parallel))


def fail_build(builder: Builder, message: str) -> None:
    """The PDF cannot be made: one error, and ``sphinx-build`` exits 1.

    An error and a status, as Sphinx's linkcheck does, not an exception:
    Sphinx 9 prints a traceback and an invitation to report a Sphinx bug for
    any exception, which is no help to someone who misses a package.  Both
    engines of ``faqpdf`` call it.
    """
    logger.error(message, type="faq", subtype="pdf")
    builder_app(builder).statuscode = 1
