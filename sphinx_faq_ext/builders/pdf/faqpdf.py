"""The ``faqpdf`` builder's engine, chosen in one place: ``faq_pdf_engine``.

There is one builder name, ``faqpdf``, and two engines behind it:

* ``"typst"`` (the default): :class:`~sphinx_faq_ext.builders.pdf.typst.builder.FaqTypstBuilder`,
  format ``typst``: the book is written as Typst markup by our own translator
  and compiled by the Typst compiler from PyPI — tagged PDF/UA-1, page
  footnotes, no network;
* ``"weasyprint"``: :class:`~sphinx_faq_ext.builders.pdf.weasyprint.builder.FaqPdfBuilder`,
  format ``html``: the book as print-styled HTML laid out by WeasyPrint, for
  books styled with CSS.

How: Sphinx creates the builder after ``config-inited``, so on that event the
class of the chosen engine is registered under the name ``faqpdf``
(``add_builder(..., override=True)``).  An engine name we do not know
registers a stand-in whose creation stops the build with one
:class:`~sphinx.errors.ConfigError` naming the ``conf.py`` line; other
builders (html, epub, latex) are not concerned and build as usual.

The Typst builder's format is its own, ``typst``: Sphinx gives a translator
the visitors registered for the builder's name and, failing that, for its
format (``SphinxComponentRegistry.create_translator``), so our nodes'
``typst=(visit, depart)`` visitors (``writers/__init__.py``) reach it, and
no HTML visitor is involved.  Each engine's modules import their library
(``typst``, ``weasyprint``) only when a PDF is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sphinx.errors import ConfigError
from sphinx.locale import get_translation

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.util.conf_py import conf_location

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

_ = get_translation("sphinx_faq_ext")

#: The engines ``faq_pdf_engine`` names; the first is the default.
ENGINES = ("typst", "weasyprint")
DEFAULT_ENGINE = ENGINES[0]


def engine_builder(engine: str) -> type[Builder]:
    """The builder class of *engine* (one of :data:`ENGINES`)."""
    if engine == "weasyprint":
        from sphinx_faq_ext.builders.pdf.weasyprint.builder import FaqPdfBuilder

        return FaqPdfBuilder
    from sphinx_faq_ext.builders.pdf.typst.builder import FaqTypstBuilder

    return FaqTypstBuilder


def unknown_engine(engine: str, where: str | None) -> type[Builder]:
    """A ``faqpdf`` stand-in that stops the build, saying where the setting is."""
    from sphinx.builders import Builder

    message = (
        f"faq_pdf_engine = {engine!r} is not an engine of the faqpdf builder; "
        f"use one of {', '.join(map(repr, ENGINES))}"
    )
    if where:
        message = f"{where}: {message}"

    class UnknownEngineBuilder(Builder):
        """Refuses to be created: ``faq_pdf_engine`` names no engine."""

        name = "faqpdf"

        def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
            raise ConfigError(message)

    return UnknownEngineBuilder


def choose_engine(app: Sphinx, config: Config) -> None:
    """Register the builder of the engine ``faq_pdf_engine`` names as ``faqpdf``."""
    engine = faq_config(config).pdf_engine
    if engine in ENGINES:
        app.add_builder(engine_builder(engine), override=True)
    else:
        app.add_builder(
            unknown_engine(engine, conf_location(app.confdir, "faq_pdf_engine")), override=True
        )


def setup_faqpdf(app: Sphinx) -> None:
    """Register ``faqpdf`` (the default engine until ``config-inited`` says otherwise)."""
    app.add_builder(engine_builder(DEFAULT_ENGINE))
    # after the configuration is validated (FaqConfig, priority 500)
    app.connect("config-inited", choose_engine, priority=800)


def setup(app: Sphinx) -> dict[str, Any]:
    """Entry point for ``sphinx-build -b faqpdf`` (``sphinx.builders`` in pyproject).

    Sphinx loads this module only for a build with ``-b faqpdf``, so the other
    builds import neither engine (nor WeasyPrint's glue and pikepdf).  The
    builder renders our nodes and reads the ``faq_*`` settings, so it loads
    the whole extension too, when the project does not list it.
    """
    app.setup_extension("sphinx_faq_ext")
    setup_faqpdf(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
