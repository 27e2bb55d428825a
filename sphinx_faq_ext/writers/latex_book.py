"""The LaTeX book: page and measure, chapter and running heads, back matter.

The page, measure and heads are options of ``sphinxfaqext.sty`` (see the
package), written from the validated ``faq_latex_*`` settings; a key the user
set in ``latex_elements`` (``papersize``, ``geometry``, ``fncychap``) wins
over ours, and we never write into ``latex_elements``.

The printed tables of the back matter are the HTML ones with page numbers:
:class:`PrintedTablesPostTransform` (LaTeX only) puts a :class:`page_ref`
after each link of the question index and of the works quoted, and a
``\\faqbackmatter`` before the document holding them when no question follows.

Read the Docs runs ``latexmk`` without Sphinx's Makefile, so without the
``XINDYOPTS`` the Makefile exports: xindy then fails, the index is missing and
latexmk exits 12.  :func:`write_xindy_options` gives ``latexmkrc`` the same
options as a default.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.texescape import escape as tex_escape

from sphinx_faq_ext.book.nodes import page_ref
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import is_question

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.latex import LaTeXTranslator

logger = logging.getLogger(__name__)

LATEX_PACKAGE = "sphinxfaqext"
#: ``latex_elements`` keys with which the user chose the page or the heads.
PAGE_KEYS = ("papersize", "geometry")
HEAD_KEYS = ("fncychap",)
#: Longest root-document introduction (characters) set as an epigraph.
SHORT_INTRO = 400
#: The classes ``faq:index`` and ``faq:sources`` give their tables.
INDEX_CLASS = "faq-index"
SOURCES_CLASS = "faq-sources"


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


def _walk(
    node: nodes.Element, parent: nodes.Element | None = None,
    file_node: nodes.Element | None = None,
) -> Iterator[tuple[nodes.Element, nodes.Element | None, nodes.Element | None]]:
    """Every element in reading order, with its parent and its ``start_of_file``.

    Down the ``children`` lists: in LaTeX's merged tree a document's nodes
    keep their ``parent`` in the document they were read from (Sphinx's
    ``inline_all_toctrees`` moves the children lists only).
    """
    yield node, parent, file_node
    inner = node if isinstance(node, addnodes.start_of_file) else file_node
    for child in node.children:
        if isinstance(child, nodes.Element):
            yield from _walk(child, node, inner)


class PrintedTablesPostTransform(SphinxPostTransform):
    """Page numbers in the printed question index and works quoted; back matter.

    Runs after the tables are built (priority 6) on LaTeX's one merged tree.
    """

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        tables = [
            node for node in self.document.findall(nodes.bullet_list)
            if {INDEX_CLASS, SOURCES_CLASS} & set(node["classes"])
        ]
        self.frame_intro()
        if tables:
            self.mark_back_matter(tables[0])
        for table in tables:
            parent = table.parent
            parent.insert(parent.index(table), nodes.raw(
                "", "\n\\begin{faqprintedtable}\n", format="latex"))
            parent.insert(parent.index(table) + 1, nodes.raw(
                "", "\n\\end{faqprintedtable}\n", format="latex"))
            style = "leader" if INDEX_CLASS in table["classes"] else "number"
            for ref in list(table.findall(nodes.reference)):
                if ref.get("refuri") or ref.get("refid"):
                    ref.parent.insert(
                        ref.parent.index(ref) + 1,
                        page_ref(refuri=ref.get("refuri", ""), refid=ref.get("refid", ""),
                                 style=style),
                    )

    def frame_intro(self) -> None:
        """Set a short root-document introduction as a front-matter page.

        Its text before the toctree would otherwise sit alone at the top of a
        page after the contents; a few lines are set centred, in italics, a
        third of the way down, as an epigraph would be.
        """
        root = next((c for c in self.document.children if isinstance(c, nodes.section)), None)
        if root is None:
            return
        intro: list[nodes.Element] = []
        for child in root.children:
            if isinstance(child, nodes.title | nodes.target | nodes.comment):
                continue
            if isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]:
                break
            if not isinstance(child, nodes.paragraph):
                return  # more than a few lines of text: left as written
            intro.append(child)
        else:
            return  # no toctree: the root document is the book
        if not intro or sum(len(node.astext()) for node in intro) > SHORT_INTRO:
            return
        root.insert(root.index(intro[0]), nodes.raw("", "\n\\begin{faqintro}\n", format="latex"))
        root.insert(root.index(intro[-1]) + 1,
                    nodes.raw("", "\n\\end{faqintro}\n", format="latex"))

    def mark_back_matter(self, table: nodes.Element) -> None:
        """``\\faqbackmatter`` before the tables' document, if no question follows.

        In the root document (after its toctree) a table's caption becomes a
        chapter of the back matter; in its own document, that document's title
        already is one.
        """
        order = list(_walk(self.document))
        file_node = next(f for node, _parent, f in order if node is table)
        if file_node is None:  # written in the root document itself
            start = self.caption_of(table)
        elif any(is_question(node) for node, _p, f in order if f is file_node):
            return
        else:
            start = file_node
        positions = [index for index, (node, _p, _f) in enumerate(order) if node is start]
        if not positions:
            return
        if any(is_question(node) for node, _p, _f in order[positions[0]:]):
            return
        parent = order[positions[0]][1]
        if parent is None:
            return
        parent.insert(parent.index(start), backmatter())
        if file_node is None:
            engine = self.config.latex_engine
            for rubric, _p, f in order:
                if (isinstance(rubric, nodes.rubric) and f is None
                        and "faq-caption" in rubric["classes"]):
                    rubric.replace_self(nodes.raw(
                        "", r"\chapter{" + tex_escape(rubric.astext(), engine) + "}\n",
                        format="latex",
                    ))

    def caption_of(self, table: nodes.Element) -> nodes.Element:
        """The table's caption (``faq-caption`` rubric), or the table itself."""
        parent = table.parent
        index = parent.index(table)
        before = parent[index - 1] if index else None
        if isinstance(before, nodes.rubric) and "faq-caption" in before["classes"]:
            return before
        return table


def backmatter() -> nodes.raw:
    """The switch to the back matter."""
    return nodes.raw("", "\n\\faqbackmatter\n", format="latex")


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
    app.add_post_transform(PrintedTablesPostTransform)
    app.connect("build-finished", write_xindy_options)
