"""The LaTeX book: page and measure, chapter and running heads, back matter.

The page, measure and heads are options of ``sphinxfaqext.sty`` (see the
package), written from the validated ``faq_latex_*`` settings; a key the user
set in ``latex_elements`` (``papersize``, ``geometry``, ``fncychap``) wins
over ours, and we never write into ``latex_elements``.

The printed tables of the back matter are the HTML ones with page numbers:
:mod:`sphinx_faq_ext.transforms.printed_tables` (LaTeX only) puts a
:class:`page_ref` after each link of the question index and of the works quoted, and a
``\\faqbackmatter`` before the document holding them when no question follows.

Read the Docs runs ``latexmk`` without Sphinx's Makefile, so without the
``XINDYOPTS`` the Makefile exports: xindy then fails, the index is missing and
latexmk exits 12.  :func:`write_xindy_options` gives ``latexmkrc`` the same
options as a default.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import page_ref

if TYPE_CHECKING:

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)

LATEX_PACKAGE = "sphinxfaqext"
#: ``latex_elements`` keys with which the user chose the page or the heads.
PAGE_KEYS = ("papersize", "geometry")
HEAD_KEYS = ("fncychap",)


def package_options(config: Config) -> str:
    """``sphinxfaqext.sty``'s options for this project."""
    settings = faq_config(config)
    elements = config.latex_elements or {}
    options = []
    if settings.latex_page is not None and not any(key in elements for key in PAGE_KEYS):
        width, height = settings.latex_page
        options += [f"paperwidth={width}", f"paperheight={height}",
                    f"measure={settings.latex_measure}"]
    if any(key in elements for key in HEAD_KEYS):
        options.append("bookheads=false")
    language = (config.language or "en").replace("_", "-")
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        options.append(f"pdflang={language}")
    return ",".join(options)


def register_package(app: Sphinx, config: Config) -> None:
    """Load ``sphinxfaqext.sty`` after hyperref, with the options of *config*."""
    app.add_latex_package(LATEX_PACKAGE, package_options(config) or None, after_hyperref=True)


def visit_page_ref(self: LaTeXTranslator, node: page_ref) -> None:
    """``\\faqpageref{\\pageref{…}}``: the page of the link just before.

    The label is the one Sphinx's ``visit_reference`` links to.
    """
    uri = node.get("refuri", "")
    if not uri and node.get("refid"):
        uri = "%" + self.curfilestack[-1] + "#" + node["refid"]
    if uri.startswith("#"):
        label = self.curfilestack[-1] + ":" + uri[1:]
    elif uri.startswith("%") and "#" in uri:
        label = uri[1:].replace("#", ":")
    elif uri.startswith("%"):
        label = uri[1:] + "::doc"
    else:
        raise nodes.SkipNode
    macro = r"\faqpageref" if node.get("style") == "leader" else r"\faqnumberpageref"
    self.body.append(macro + r"{\pageref{" + self.idescape(label) + "}}")
    raise nodes.SkipNode


def depart_page_ref(self: LaTeXTranslator, node: page_ref) -> None:
    """Never reached."""


#: ``export XINDYOPTS = …`` and ``XINDYOPTS += …`` lines of Sphinx's Makefile.
_XINDY_LINE = re.compile(r"^(?:export\s+)?XINDYOPTS\s*(\+?=)\s*(.*)$", re.MULTILINE)
_XINDY_RC_MARK = "# sphinx-faq-ext: xindy options for latexmk run without make"


def xindy_options(makefile: str) -> str | None:
    """The ``XINDYOPTS`` the Makefile exports, or ``None`` if it sets none."""
    value = None
    for operator, text in _XINDY_LINE.findall(makefile):
        value = text.strip() if operator == "=" or value is None else f"{value} {text.strip()}"
    return value


def write_xindy_options(app: Sphinx, exception: Exception | None) -> None:
    """Give ``latexmkrc`` the Makefile's ``XINDYOPTS`` when none is set.

    Sphinx's ``latexmkrc`` reads the options from the environment, which only
    its Makefile sets; ``latexmk -r latexmkrc`` alone (Read the Docs) runs
    xindy without them.
    """
    if exception is not None or app.builder.format != "latex":
        return
    outdir = Path(app.builder.outdir)
    rc, makefile = outdir / "latexmkrc", outdir / "Makefile"
    if not rc.is_file() or not makefile.is_file():
        return
    text = rc.read_text("utf8")
    if "XINDYOPTS" not in text or _XINDY_RC_MARK in text:
        return
    options = xindy_options(makefile.read_text("utf8"))
    if options is None:
        logger.warning(
            "latexmkrc uses XINDYOPTS but Sphinx's Makefile sets none (has Sphinx "
            "changed?); latexmk run without make may fail to make the index",
            type="faq", subtype="latex",
        )
        return
    perl = options.replace("\\", "\\\\").replace("'", "\\'")
    rc.write_text(
        f"{_XINDY_RC_MARK}\n$ENV{{'XINDYOPTS'}} = '{perl}' "
        f"unless defined $ENV{{'XINDYOPTS'}};\n{text}",
        encoding="utf8",
    )


def setup_latex_book(app: Sphinx) -> None:
    """The book layout of the LaTeX output."""
    app.connect("config-inited", register_package)
    app.connect("build-finished", write_xindy_options)
