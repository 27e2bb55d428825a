"""sphinx-faq-ext: publish long, heavily quoted FAQ books with Sphinx."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of what we store in the environment changes.
ENV_VERSION = 4
LOCALE_DIR = Path(__file__).parent / "locale"


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: one ``setup_*`` call per feature."""
    from sphinx_faq_ext.authoring.setup import setup_authoring
    from sphinx_faq_ext.builders.epub import setup_epub
    from sphinx_faq_ext.builders.html.faq_json import setup_faq_json
    from sphinx_faq_ext.builders.html.jsonld import setup_jsonld
    from sphinx_faq_ext.builders.html.release import setup_release
    from sphinx_faq_ext.builders.latex import setup_latex
    from sphinx_faq_ext.config import setup_config
    from sphinx_faq_ext.domain import setup_domain
    from sphinx_faq_ext.theme import setup_theme
    from sphinx_faq_ext.transforms import setup_transforms
    from sphinx_faq_ext.writers import setup_writers

    setup_config(app)
    setup_domain(app)
    setup_authoring(app)
    setup_transforms(app)
    setup_writers(app)
    setup_jsonld(app)
    setup_faq_json(app)
    setup_release(app)
    setup_epub(app)
    setup_latex(app)
    # The faqpdf builder is registered by its module's setup(), which Sphinx
    # loads through our ``sphinx.builders`` entry point only for ``-b faqpdf``
    # (builders/pdf/faqpdf.py): other builds import neither PDF engine.
    setup_theme(app)
    app.add_message_catalog("sphinx_faq_ext", str(LOCALE_DIR))
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
