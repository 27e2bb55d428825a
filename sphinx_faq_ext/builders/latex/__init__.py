"""The LaTeX builder's home: the book's page, heads, title page and index options.

Sphinx's own ``latex`` builder writes the book; this package holds what we
add to it: the options of ``sphinxfaqext.sty`` (:func:`register_package`),
the title page's defaults, ``sphinxfaqext.sty`` copied beside the ``.tex``
files, xindy's options for ``latexmk`` run without ``make``, and the LaTeX
post-transforms (:mod:`.transforms`).  The visitors of our nodes are in
:mod:`sphinx_faq_ext.writers.latex`.

The page, measure and heads are options of ``sphinxfaqext.sty`` (see the
package), written from the validated ``faq_latex_*`` settings; a key the user
set in ``latex_elements`` (``papersize``, ``geometry``, ``fncychap``) wins
over ours, and we never write into ``latex_elements``.

The printed tables of the back matter are the HTML ones with page numbers:
:mod:`.transforms` (LaTeX only) puts a
:class:`page_ref` after each link of the question index and of the works quoted, and a
``\\faqbackmatter`` before the document holding them when no question follows.

The title page (:func:`title_page_defaults`) names the book's version with
a translated label ("Version 15.4", where Sphinx prints "Release") and
dates it by month and year; the printed contents reach the deepest question
(:func:`~sphinx_faq_ext.writers.latex.visit_contents_depth`), and the root's
captioned toctrees are its parts
(:func:`~sphinx_faq_ext.writers.latex.visit_printed_part`).  Both are defaults
of the LaTeX template: a ``latex_elements`` key the user set (``releasename``,
``maketitle``, ``tocdepth``) or ``today``/``today_fmt`` wins.

While the book is written, Python's cycle collector is paused
(:func:`pause_collector`): Sphinx's LaTeX builder makes the whole book's
doctree at once, and the collector walked every object of the heap again
and again while it was made, for no garbage.

Read the Docs runs ``latexmk`` without Sphinx's Makefile, so without the
``XINDYOPTS`` the Makefile exports: xindy then fails, the index is missing and
latexmk exits 12.  :func:`write_xindy_options` gives ``latexmkrc`` the same
options as a default.
"""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.i18n import format_date
from sphinx.util.texescape import escape as tex_escape

from sphinx_faq_ext.builders.latex.transforms import (
    AnswerToctreesPostTransform,
    ContentsDepthPostTransform,
    LineBreaksPostTransform,
    PrintedPartsPostTransform,
    PrintedTablesPostTransform,
    PrintedTitlesPostTransform,
)
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.writers.latex import LATEX_PACKAGE, STY_FILE

if TYPE_CHECKING:
    from docutils.transforms import Transform
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

#: The LaTeX builder's own post-transforms (see the write-time table of
#: :mod:`sphinx_faq_ext.transforms` for where they run among the others).
POST_TRANSFORMS: tuple[type[Transform], ...] = (
    AnswerToctreesPostTransform,
    ContentsDepthPostTransform,
    PrintedPartsPostTransform,
    PrintedTablesPostTransform,
    PrintedTitlesPostTransform,
    LineBreaksPostTransform,
)
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


def copy_sty(app: Sphinx) -> None:
    """Put ``sphinxfaqext.sty`` beside the ``.tex`` files (LaTeX builders only)."""
    if app.builder.format != "latex":
        return
    outdir = Path(app.builder.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    # A plain copy: copy_asset_file's arguments differ across Sphinx 7.4-9.
    shutil.copyfile(STY_FILE, outdir / STY_FILE.name)


#: Marks a builder whose writing paused the cycle collector (it resumes it).
_PAUSED = "_faq_collector_paused"


def pause_collector(app: Sphinx, builder: Builder) -> None:
    """Pause Python's cycle collector while a LaTeX builder writes the book.

    The builder unpickles every document, copies each into one tree of the
    whole book (millions of objects at 500 questions) and resolves and
    translates it; the read documents (Sphinx's doctree cache) stay alive
    meanwhile.  The collector walked that whole heap each time it had grown
    by a quarter, four times at 100 questions, and found no garbage (the
    write leaves little: its trees are kept until the ``.tex`` is written,
    and text is freed as it goes); in a clean LaTeX build of 100 questions
    that walking was half the CPU time of the write.  The Typst builder
    pauses it for the same reason.  :func:`resume_collector` restores it at
    ``build-finished``, whether the build failed or not.
    """
    if builder.format != "latex" or not gc.isenabled():
        return
    gc.disable()
    setattr(builder, _PAUSED, True)


def resume_collector(app: Sphinx, exception: Exception | None) -> None:
    """Enable the cycle collector again if :func:`pause_collector` paused it."""
    if getattr(app.builder, _PAUSED, False):
        setattr(app.builder, _PAUSED, False)
        gc.enable()


def setup_latex(app: Sphinx) -> None:
    """The LaTeX book: ``sphinxfaqext.sty`` and its options, the title page,
    xindy's options, and the LaTeX post-transforms."""
    app.connect("config-inited", register_package)
    app.connect("builder-inited", title_page_defaults)
    app.connect("builder-inited", copy_sty)
    app.connect("build-finished", write_xindy_options)
    app.connect("write-started", pause_collector)
    app.connect("build-finished", resume_collector)
    for post_transform in POST_TRANSFORMS:
        app.add_post_transform(post_transform)
