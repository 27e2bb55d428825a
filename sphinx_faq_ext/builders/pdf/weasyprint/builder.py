"""The ``faqpdf`` builder: a book PDF through WeasyPrint, no TeX needed.

It is Sphinx's single-page HTML builder with its own page template and print
stylesheet instead of the screen theme: the whole book becomes one HTML
document (title page, contents with page numbers, the questions), which
WeasyPrint lays out into pages.  Because the format is ``html``, our HTML
visitors render the nodes; the note marker visitor emits a
``float: footnote`` span for this builder (see ``writers/html.py``), so notes
become real footnotes on the page where their marker stands.

What is written is listed once, by :meth:`FaqPdfBuilder.outputs`: the book,
each volume, or each chapter and the front matter of a book laid out by
chapter.  Each :class:`Output` names its HTML and PDF and what it shows;
:meth:`FaqPdfBuilder.render` writes one from the book's doctree, which the
builder keeps until the layout is done: a part that prints page numbers of
other parts is written again once they are known.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.osutil import make_filename_from_project
from sphinx.writers.html5 import HTML5Translator

from sphinx_faq_ext.builders.pdf.doctree import (
    ContentsEntry,
    contents_entries,
    prepare_print_tree,
)
from sphinx_faq_ext.builders.pdf.parts import (
    PAGE_ATTRIBUTE,
    Parts,
    Plan,
    first_link_to,
    links_across,
    own_ids,
    plan_parts,
    volume_css,
    volumes_of,
)
from sphinx_faq_ext.builders.pdf.weasyprint import layout as weasyprint_layout
from sphinx_faq_ext.builders.pdf.weasyprint.chapters import PARTS_FOLDER, lay_out_book
from sphinx_faq_ext.builders.pdf.weasyprint.layout import (
    PdfFailedError,
    WeasyPrintMissingError,
    failure_message,
    lay_out,
    load_weasyprint,
    pdf_options,
    relay_weasyprint_warnings,
    weasyprint_patches,
)
from sphinx_faq_ext.builders.pdf.workers import Layout, lay_out_all
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.util.builder import JOIN_SCHEME, PrintHtmlBuilder, fail_build, parallel_jobs
from sphinx_faq_ext.util.optional import MissingExtraError, import_optional

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

STATIC = Path(__file__).parent / "static"
__all__ = ["FaqPdfBuilder", "WeasyPrintMissingError", "load_weasyprint"]


#: Longest root-document introduction (characters) set on the title page.
INTRO_ON_TITLE_PAGE = 400
#: The anchors ``book.html`` itself defines.
TEMPLATE_IDS = frozenset({"faq-contents-title"})


@dataclass(frozen=True)
class ContentsLink:
    """A line of the printed contents and where its link goes."""

    entry: ContentsEntry
    href: str
    #: Its target's printed page, when the target is laid out in another part.
    page: str = ""

    @classmethod
    def of(cls, entry: ContentsEntry, own: set[str] | frozenset[str] | None,
           numbers: dict[str, int], placeholder: str) -> ContentsLink:
        """*entry*'s link: into the page, or (*own*: the page's anchors) across parts."""
        if own is None or entry.anchor in own:
            return cls(entry, f"#{entry.anchor}")
        return cls(entry, JOIN_SCHEME + entry.anchor,
                   str(numbers.get(entry.anchor, placeholder)))


#: The attribute of an element whose first id is not written (it is in another part).
UNANCHORED = "faq_unanchored"


@contextmanager
def _without_first_id(node: nodes.Element) -> Iterator[None]:
    """While open, *node*'s first id is not written (a part after the first
    repeats the root's hidden title, whose anchor is in the first)."""
    if not node["ids"]:
        yield
        return
    node[UNANCHORED] = True
    try:
        yield
    finally:
        del node[UNANCHORED]


@dataclass(frozen=True)
class Output:
    """One HTML file the builder writes, and the PDF WeasyPrint lays out from it."""

    html: Path
    pdf: Path
    #: The volume it holds (``faq_pdf_volumes``); None: the whole book.
    volume: int | None = None
    #: A book laid out by chapter: the chapter it holds (None: not a chapter).
    chapter: int | None = None
    #: Whether it has the title page and the contents.
    front: bool = True
    #: Whether it has the book's text (all but the front matter of a book by chapter).
    body: bool = True


class PrintTranslator(HTML5Translator):
    """Sphinx's HTML translator; a link into another part also carries its page number.

    :func:`~sphinx_faq_ext.builders.pdf.parts.links_across` gives the
    reference its target's printed page; ``book.css`` prints it from
    ``data-faq-page`` (WeasyPrint's ``target-counter`` cannot see other parts).
    """

    def starttag(self, node: nodes.Element, tagname: str, suffix: str = "\n",
                 empty: bool = False, **attributes: Any) -> str:
        if isinstance(node, nodes.reference) and PAGE_ATTRIBUTE in node:
            attributes["data-faq-page"] = node[PAGE_ATTRIBUTE]
        if node.get(UNANCHORED):
            ids = node["ids"]
            node["ids"] = ids[1:]  # for this tag only: a title's number looks it up
            try:
                return super().starttag(node, tagname, suffix, empty, **attributes)
            finally:
                node["ids"] = ids
        return super().starttag(node, tagname, suffix, empty, **attributes)


class FaqPdfBuilder(PrintHtmlBuilder, SingleFileHTMLBuilder):
    """Build the whole project into one print-styled HTML file, then a PDF."""

    name = "faqpdf"
    format = "html"
    epilog = _("The PDF is in %(outdir)s.")
    default_translator_class = PrintTranslator
    # A ¶ after every heading would end up in bookmarks and running heads.
    add_permalinks = False
    search = False
    copysource = False
    supported_image_types = ["image/svg+xml", "image/png", "image/gif", "image/jpeg"]

    def init(self) -> None:
        """Stop before reading anything when WeasyPrint (or pikepdf) cannot be used."""
        #: Why the book cannot be made (a missing extra): one error, nothing built.
        self.missing = ""
        try:
            load_weasyprint()
            if faq_config(self.config).pdf_by_chapter:  # chapters are joined with pikepdf
                import_optional("pikepdf", "the faqpdf builder (faq_pdf_by_chapter)")
        except MissingExtraError as error:
            self.missing = str(error)
            self.fail(self.missing)
        super().init()
        #: The book's doctree, kept from writing to layout (a part is written
        #: again once the page numbers it prints are known).
        self._tree: nodes.document | None = None
        self._intro: list[nodes.Node] = []
        #: The book in volumes (``faq_pdf_volumes``), or laid out chapter by
        #: chapter (``faq_pdf_by_chapter``); neither: one piece.
        self._volumes: Parts | None = None
        self._plan: Plan | None = None
        #: The body Sphinx rendered last (:meth:`render_body`).
        self._body = ""

    @property
    def pdf_path(self) -> Path:
        """The book's PDF: ``faq_pdf_filename`` in the output folder (volumes: see
        :meth:`outputs`)."""
        filename = faq_config(self.config).pdf_filename or (
            make_filename_from_project(self.config.project) + ".pdf"
        )
        return Path(self.outdir) / filename

    def part_path(self, part: int | None, suffix: str) -> Path:
        """A part's HTML or PDF in :data:`PARTS_FOLDER` (``None``: the front matter)."""
        name = "front" if part is None else f"{part + 1:03d}"
        return Path(self.outdir) / PARTS_FOLDER / f"{self.pdf_path.stem}-{name}{suffix}"

    def outputs(self) -> list[Output]:
        """Every HTML the book is written as, and the PDF made of each.

        One for the book; one a volume, ``<name>-<volume>.pdf``; or, laid out
        by chapter, one a chapter and one for the front matter, joined into
        the book's PDF afterwards.
        """
        pdf = self.pdf_path
        if self._plan is not None:
            chapters = [Output(self.part_path(index, ".html"), self.part_path(index, ".pdf"),
                               chapter=index, front=False)
                        for index in range(self._plan.parts.count)]
            return [*chapters, Output(self.part_path(None, ".html"),
                                      self.part_path(None, ".pdf"), body=False)]
        if self._volumes is None:
            return [Output(pdf.with_suffix(".html"), pdf)]
        volumes = []
        for volume in range(self._volumes.count):
            path = pdf.with_name(f"{pdf.stem}-{volume + 1}{pdf.suffix}")
            volumes.append(Output(path.with_suffix(".html"), path, volume=volume))
        return volumes

    def assemble_doctree(self) -> nodes.document:
        """The single doctree, made fit for print and cut into volumes or chapters."""
        tree = super().assemble_doctree()
        page = self.config.root_doc + self.out_suffix
        prepared = prepare_print_tree(tree, self.config.html_baseurl, page)
        self._intro = prepared.intro
        self._volumes = self.volumes(tree)
        self._plan = None
        if self._volumes is None and faq_config(self.config).pdf_by_chapter:
            self._plan = plan_parts(tree)
        if self._volumes is not None:
            self._volumes.resolve_links(
                prepared.renamed, self.config.html_baseurl, lambda doc: doc + self.out_suffix
            )
        return tree

    def volumes(self, tree: nodes.document) -> Parts | None:
        """``faq_pdf_volumes`` applied to the book's chapters; None for one PDF."""
        return volumes_of(tree, faq_config(self.config).pdf_volumes, self.confdir)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        """The book's HTML, or each volume's; a book by chapter is written as it is
        laid out (:meth:`write_pdf`), as the page numbers it prints come then."""
        self._tree = doctree
        if self._plan is not None:
            folder = Path(self.outdir) / PARTS_FOLDER
            folder.mkdir(parents=True, exist_ok=True)
            # a book that had more chapters last time must not keep their files
            for stale in folder.glob(f"{self.pdf_path.stem}-*"):
                stale.unlink()
            return
        for output in self.outputs():
            self.render(output)

    def render_part(self, part: int | None, numbers: dict[str, int],
                    first_page: int | None, placeholder: str = "") -> None:
        """Write the HTML of a chapter (``None``: the front matter) of a book by chapter."""
        output = next(output for output in self.outputs() if output.chapter == part)
        self.render(output, numbers, first_page, placeholder)

    def render(self, output: Output, numbers: dict[str, int] | None = None,
               first_page: int | None = None, placeholder: str = "") -> None:
        """Write *output*'s HTML from the book's doctree.

        In a book by chapter, links to anchors the part lacks go to
        ``faq-join:ID`` with the page *numbers* known (:func:`links_across`),
        and *first_page* numbers its pages.
        """
        assert self._tree is not None
        tree = self._tree
        intro = self._intro if output.front and not output.volume else []
        own: set[str] = set()
        with ExitStack() as stack:
            if output.volume is not None:
                assert self._volumes is not None
                stack.enter_context(self._volumes.only(output.volume))
            contents = (list(contents_entries(tree, faq_config(self.config).pdf_toc_depth))
                        if output.front else [])
            shown: list[nodes.Node] = list(intro)
            if self._plan is not None:
                root = self._plan.parts.root
                if output.chapter is not None:
                    stack.enter_context(self._plan.parts.only(output.chapter))
                if output.body:
                    shown.append(tree)
                own = own_ids(shown)
                if output.chapter:  # the root's (hidden) title: its id in the first only
                    stack.enter_context(_without_first_id(root))
                    own.discard(root["ids"][0] if root["ids"] else "")
                stack.enter_context(links_across(shown, numbers, placeholder,
                                                 TEMPLATE_IDS, own=own))
            body = self.render_body(tree) if output.body else ""
            intro_html = "".join(self.render_partial(node)["fragment"] for node in intro)
        links = [ContentsLink.of(entry, own | TEMPLATE_IDS if self._plan else None,
                                 numbers or {}, placeholder) for entry in contents]
        output.html.write_text(
            self.page(output, body, intro_html, " ".join(node.astext() for node in intro),
                      links, first_page),
            encoding="utf8")

    def render_body(self, doctree: nodes.document) -> str:
        """The book's text as HTML, as Sphinx's HTML builder renders a page's body."""
        self._body = ""
        super().write_doc(self.config.root_doc, doctree)  # which calls handle_page
        return self._body

    def handle_page(
        self,
        pagename: str,
        addctx: dict[str, Any],
        templatename: str = "page.html",
        outfilename: str | Path | None = None,
        event_arg: Any = None,
    ) -> None:
        """Keep the body Sphinx rendered: the book's page is ours (:meth:`page`).

        ``html_additional_pages`` and OpenSearch are screen features and are
        not part of the book, so nothing else is written.
        """
        if pagename == self.config.root_doc:
            self._body = addctx["body"]

    def page(self, output: Output, body: str, intro: str, intro_text: str,
             contents: list[ContentsLink], first_page: int | None) -> str:
        """*output*'s HTML: our print template and stylesheet, not the screen theme."""
        config = self.config
        settings = faq_config(config)
        volume = volume_rules = ""
        if output.volume is not None:
            assert self._volumes is not None
            count = self._volumes.count
            volume = _("Volume %(number)d of %(total)d") % {
                "number": output.volume + 1, "total": count}
            volume_rules = volume_css(count, lambda number: _("vol. %d") % number)
        env = Environment(
            loader=FileSystemLoader(STATIC), autoescape=select_autoescape(["html"])
        )
        return env.get_template("book.html").render(
            language=config.language or "en",
            title=settings.pdf_title or config.project,
            subtitle=settings.pdf_subtitle,
            volume=volume,
            volume_rules=volume_rules,
            first_page=first_page,
            author=config.author,
            release=config.release,
            date=self.today_text(),
            contents_title=_("Contents"),
            intro=intro,
            # a short introduction is the title page's blurb; a longer one
            # gets a front-matter page of its own after the contents
            intro_on_title_page=len(intro_text) <= INTRO_ON_TITLE_PAGE,
            contents=contents,
            front_matter=output.front,
            roman_numbers=output.front and not output.body,
            body=body,
            notes_style=settings.notes_style_for(self.name),
            stylesheet=(STATIC / "book.css").read_text("utf8"),
            # code colours: the light Pygments style, as paper has no dark mode
            pygments=self.highlighter.get_stylesheet(),
            page_size=settings.pdf_page_size,
            user_stylesheets=self.user_stylesheets(),
        )

    def user_stylesheets(self) -> list[str]:
        """``faq_pdf_css`` as file URIs, linked after our stylesheet so they win."""
        uris = []
        for css in faq_config(self.config).pdf_css:
            path = Path(self.confdir) / css
            if not path.is_file():
                logger.warning(
                    "faq_pdf_css: no stylesheet %s; ignored", path,
                    type="faq", subtype="config", location=(self.config.root_doc, None),
                )
                continue
            uris.append(path.resolve().as_uri())
        return uris

    def today_text(self) -> str:
        """``today`` / ``today_fmt`` as Sphinx formats it for |today|."""
        from sphinx.util.i18n import format_date

        if self.config.today:
            return str(self.config.today)
        return format_date(
            self.config.today_fmt or "%b %d, %Y", language=self.config.language
        )

    def fail(self, message: str) -> None:
        """The PDF cannot be made: one error, exit status 1 (``fail_build``)."""
        fail_build(self, message)

    def finish(self) -> None:
        """Copy images next to the HTML, then lay the book out into a PDF."""
        if self.missing:  # said once, by init
            return
        self.copy_image_files()
        self.copy_download_files()
        try:
            self.write_pdf()
        except PdfFailedError as error:
            self.fail(str(error))

    def write_pdf(self) -> None:
        """Run WeasyPrint; its warnings become ``faq.weasyprint`` warnings."""
        weasyprint = load_weasyprint()
        if not pdf_options(weasyprint):
            logger.warning(
                "WeasyPrint %s cannot write PDF/UA-1: the PDF is not tagged (a newer "
                "WeasyPrint can)", getattr(weasyprint, "__version__", "?"),
                type="faq", subtype="weasyprint",
            )
        if self._volumes is not None:
            self.write_volumes()
            return
        if self._plan is not None:
            self.write_by_chapter(self._plan)
            return
        [book] = self.outputs()
        logger.info(_("writing %s with WeasyPrint… "), book.pdf.name, nonl=True)
        started = time.perf_counter()
        book.pdf.unlink(missing_ok=True)  # a failure must not leave the last build's
        try:
            with relay_weasyprint_warnings(f"{book.html}:"), weasyprint_patches():
                pages = lay_out(book.html, book.pdf, Path(self.outdir))
        except Exception as error:  # whatever WeasyPrint raised: the build fails with it
            import traceback

            book.pdf.unlink(missing_ok=True)
            failed = Layout(book.html, book.pdf, 1, tail=traceback.format_exc())
            raise PdfFailedError(failure_message([failed], 1, book.pdf.name)) from error
        logger.info(_("done (%d pages, %.1f s)"), pages, time.perf_counter() - started)

    @property
    def processes(self) -> int:
        """How many layouts at once: ``-j``."""
        return parallel_jobs(self)

    def write_volumes(self) -> None:
        """Lay the volumes out in child processes, as many at once as ``-j`` says."""
        jobs = [(output.html, output.pdf) for output in self.outputs()]
        for _html, pdf in jobs:
            pdf.unlink(missing_ok=True)
        logger.info(_("writing %d volumes with WeasyPrint (%d at a time)…"),
                    len(jobs), min(len(jobs), self.processes))
        layouts = lay_out_all(jobs, Path(self.outdir), self.processes,
                              weasyprint_layout.LAYOUT_MODULE)
        for layout in layouts:
            self.report_child(layout)
            if not layout.returncode:
                logger.info(_("%s: %d pages, %.1f s"), layout.pdf.name, layout.pages,
                            layout.seconds)
        if failed := [layout for layout in layouts if layout.returncode]:
            for _html, pdf in jobs:  # some volumes are no book
                pdf.unlink(missing_ok=True)
            names = ", ".join(pdf.name for _html, pdf in jobs)
            raise PdfFailedError(failure_message(failed, len(jobs), names))

    def write_by_chapter(self, plan: Plan) -> None:
        """Lay the chapters out in child processes, ``-j`` at once, and join them."""
        logger.info(_("writing %s with WeasyPrint, %d chapters (%d at a time)…"),
                    self.pdf_path.name, plan.parts.count, min(plan.parts.count, self.processes))
        started = time.perf_counter()
        self.pdf_path.unlink(missing_ok=True)
        book = lay_out_book(plan, self.part_path, self.render_part, Path(self.outdir),
                            self.pdf_path, self.processes)
        for layout in book.layouts:
            self.report_child(layout)
        if book.failed:
            for layout in book.layouts:  # parts of a book that is not there
                layout.pdf.unlink(missing_ok=True)
            self.pdf_path.unlink(missing_ok=True)
            raise PdfFailedError(
                failure_message(book.failed, plan.parts.count + 1, self.pdf_path.name))
        for html in book.unsettled:
            logger.warning(
                "faqpdf: %s takes a different number of pages each time its page numbers "
                "are written in; the page numbers after it may be off", html.name,
                type="faq", subtype="weasyprint", location=f"{html}:")
        assert book.joined is not None
        for anchor in book.joined.unresolved:
            link = first_link_to(self._tree, anchor) if self._tree is not None else None
            logger.warning("faqpdf: a link to #%s, which no chapter holds, is plain text",
                           anchor, type="faq", subtype="weasyprint",
                           location=link or (self.config.root_doc, None))
        logger.info(_("%s: %d pages, %.1f s"), self.pdf_path.name, book.joined.pages,
                    time.perf_counter() - started)

    def report_child(self, layout: Layout) -> None:
        """A child's WeasyPrint warnings as Sphinx warnings (a failure fails the build)."""
        for message in layout.warnings:
            logger.warning("WeasyPrint: %s", message, type="faq", subtype="weasyprint",
                           location=f"{layout.source}:")

    def copy_assets(self) -> None:
        """No theme assets: the book has its own inline print stylesheet.

        (Sphinx ≥ 8.1 copies ``_static`` here before writing; images and
        downloads are copied in :meth:`finish`.)
        """

    # A book has no search index, inventory or build info of its own.
    def dump_inventory(self) -> None:
        """Not needed for a PDF."""

    def write_buildinfo(self) -> None:
        """Not needed for a PDF."""

