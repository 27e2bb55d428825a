"""The LaTeX book: page and measure, chapter and running heads, back matter.

The page, measure and heads are options of ``sphinxfaqext.sty`` (see the
package), written from the validated ``faq_latex_*`` settings; a key the user
set in ``latex_elements`` (``papersize``, ``geometry``, ``fncychap``) wins
over ours, and we never write into ``latex_elements``.

The printed tables of the back matter are the HTML ones with page numbers:
:mod:`sphinx_faq_ext.transforms.printed_tables` (LaTeX only) puts a
:class:`page_ref` after each link of the question index and of the works quoted, and a
``\\faqbackmatter`` before the document holding them when no question follows.

The title page (:func:`title_page_defaults`) names the book's version with
a translated label ("Version 15.4", where Sphinx prints "Release") and
dates it by month and year; the printed contents reach the deepest question
(:func:`visit_contents_depth`), and the root's captioned toctrees are its
parts (:func:`visit_printed_part`).  Both are defaults of the LaTeX template: a
``latex_elements`` key the user set (``releasename``, ``maketitle``,
``tocdepth``) or ``today``/``today_fmt`` wins.

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
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.i18n import format_date
from sphinx.util.texescape import escape as tex_escape
from sphinx.writers.latex import LATEXSECTIONNAMES

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import contents_depth, page_ref, printed_part

if TYPE_CHECKING:

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

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


def title_page_defaults(app: Sphinx) -> None:
    """The book's title page: our defaults for keys of the LaTeX template.

    * ``maketitle``: ``\\faqmaketitle`` (``sphinxfaqext.sty``), Sphinx's page
      with lines that wrap within a book page's measure;
    * ``releasename``: "Version", translated, before ``release`` (Sphinx
      writes "Release": software's word, and in English in every book whose
      language Sphinx has no catalog for);
    * ``date``: month and year (a translated format) when conf.py sets
      neither ``today`` nor ``today_fmt``; Sphinx's ``format_date`` reads
      ``SOURCE_DATE_EPOCH``, so a reproducible build prints that date.

    Each only when ``latex_elements`` does not set the key.  With no
    ``release``, no version line is printed and the date dates the book.
    """
    context = getattr(app.builder, "context", None)  # the LaTeX builder's template values
    if app.builder.format != "latex" or not isinstance(context, dict):
        return
    config = app.config
    elements = config.latex_elements or {}
    if "maketitle" not in elements:
        context["maketitle"] = r"\faqmaketitle"
    if "releasename" not in elements and config.release:
        # Translators: the label before the book's release on the title page
        # of the LaTeX PDF ("Version 15.4"); the word an edition of a book is
        # numbered with.
        context["releasename"] = str(_("Version"))
    if "date" not in elements and not config.today and not config.today_fmt:
        # Translators: strftime format of the date on the title page of the
        # LaTeX PDF: month and year, as a book is dated ("December 2026").
        date = format_date(str(_("%B %Y")), language=config.language)
        context["date"] = tex_escape(date, config.latex_engine)


def visit_contents_depth(self: LaTeXTranslator, node: contents_depth) -> None:
    """Let the printed contents (and bookmarks) reach this question's heading.

    Raises the contents' depth to the level of the heading being written
    (Sphinx knows it: ``sectionnames`` and ``sectionlevel`` follow the
    book's class and ``latex_toplevel_sectioning``) through the template's
    ``tocdepth``, after Sphinx's own value from the toctree's ``:maxdepth:``.
    ``\\faqcontentsdepth`` only raises it, in TeX, past the class's default; a
    ``tocdepth`` in ``latex_elements`` is left alone, and a
    ``\\setcounter{tocdepth}`` in the preamble, which comes after, wins.
    hyperref takes the depth of the bookmarks from the same counter.
    """
    if "tocdepth" not in (self.config.latex_elements or {}):
        names = self.sectionnames
        name = names[max(0, min(self.sectionlevel, len(names) - 1))]
        depth = LATEXSECTIONNAMES.index(name) - 1
        current = self.elements.get("tocdepth", "")
        self.elements["tocdepth"] = f"{current}\n\\faqcontentsdepth{{{depth}}}".lstrip("\n")
    raise nodes.SkipNode


def depart_contents_depth(self: LaTeXTranslator, node: contents_depth) -> None:
    """Never reached."""


def visit_printed_part(self: LaTeXTranslator, node: printed_part) -> None:
    """``\\faqpart{caption}``: a part of the book, a line of its own in the contents.

    Sphinx names the printed contents after the root's first toctree caption
    ("Volume 1", as if the contents were the first volume's); a book in parts
    keeps the contents' own, translated name, unless ``latex_elements`` sets
    ``contentsname``.
    """
    if "contentsname" not in (self.config.latex_elements or {}):
        self.elements["contentsname"] = ""
    self.body.append("\n\\faqpart{" + self.encode(node["caption"]) + "}\n")
    raise nodes.SkipNode


def depart_printed_part(self: LaTeXTranslator, node: printed_part) -> None:
    """Never reached."""


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
    app.connect("builder-inited", title_page_defaults)
    app.connect("build-finished", write_xindy_options)
