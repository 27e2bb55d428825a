"""The ``faqpdf`` builder: a book PDF through WeasyPrint, no TeX needed.

It is Sphinx's single-page HTML builder with its own page template and print
stylesheet instead of the screen theme: the whole book becomes one HTML
document (title page, contents with page numbers, the questions), which
WeasyPrint lays out into pages.  Because the format is ``html``, our HTML
visitors render the nodes; the note marker visitor emits a
``float: footnote`` span for this builder (see ``writers/html.py``), so notes
become real footnotes on the page where their marker stands.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from docutils import nodes
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.osutil import make_filename_from_project

from sphinx_faq_ext.builders.pdf.doctree import (
    ContentsEntry,
    contents_entries,
    prepare_print_tree,
)
from sphinx_faq_ext.builders.pdf.parts import Volumes, volume_css, volumes_of
from sphinx_faq_ext.builders.pdf.weasyprint.chapters import (
    PARTS_FOLDER,
    Plan,
    lay_out_book,
    link_across,
    plan_parts,
)
from sphinx_faq_ext.builders.pdf.weasyprint.layout import (
    Layout,
    PdfFailedError,
    WeasyPrintMissingError,
    failure_message,
    lay_out,
    load_weasyprint,
    pdf_options,
    relay_weasyprint_warnings,
    weasyprint_patches,
)
from sphinx_faq_ext.builders.pdf.workers import lay_out_all
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.util.builder import PrintHtmlBuilder, fail_build, parallel_jobs
from sphinx_faq_ext.util.optional import MissingExtraError, import_optional

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

STATIC = Path(__file__).parent / "static"
__all__ = ["FaqPdfBuilder", "WeasyPrintMissingError", "load_weasyprint"]


#: Longest root-document introduction (characters) set on the title page.
INTRO_ON_TITLE_PAGE = 400


class FaqPdfBuilder(PrintHtmlBuilder, SingleFileHTMLBuilder):
    """Build the whole project into one print-styled HTML file, then a PDF."""

    name = "faqpdf"
    format = "html"
    epilog = _("The PDF is in %(outdir)s.")
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
        self._contents: list[ContentsEntry] = []
        self._intro: list[nodes.Node] = []
        #: The book in volumes (``faq_pdf_volumes``), and the one being written.
        self._volumes: Volumes | None = None
        self._volume = 0
        #: The book laid out chapter by chapter (``faq_pdf_by_chapter``), and
        #: the part being written (None: the front matter).
        self._plan: Plan | None = None
        self._part: int | None = None

    @property
    def pdf_path(self) -> Path:
        """Where the PDF goes: ``faq_pdf_filename`` in the output folder.

        A volume's is ``<name>-<volume>.pdf``.
        """
        filename = faq_config(self.config).pdf_filename or (
            make_filename_from_project(self.config.project) + ".pdf"
        )
        path = Path(self.outdir) / filename
        if self._volumes is None:
            return path
        return path.with_name(f"{path.stem}-{self._volume + 1}{path.suffix}")

    def part_path(self, part: int | None, suffix: str) -> Path:
        """A part's HTML or PDF in :data:`PARTS_FOLDER` (``None``: the front matter)."""
        name = "front" if part is None else f"{part + 1:03d}"
        return Path(self.outdir) / PARTS_FOLDER / f"{self.pdf_path.stem}-{name}{suffix}"

    def assemble_doctree(self) -> nodes.document:
        """The single doctree; its sections also give the printed contents."""
        tree = super().assemble_doctree()
        page = self.config.root_doc + self.out_suffix
        prepared = prepare_print_tree(tree, self.config.html_baseurl, page)
        renamed = prepared.renamed
        self._intro = prepared.intro
        self._volumes = self.volumes(tree)
        self._plan = None
        if self._volumes is None and faq_config(self.config).pdf_by_chapter:
            self._plan = plan_parts(tree)
        if self._volumes is not None:
            self._volumes.resolve_links(
                renamed, self.config.html_baseurl, lambda doc: doc + self.out_suffix
            )
        self._contents = list(contents_entries(tree, faq_config(self.config).pdf_toc_depth))
        return tree

    def volumes(self, tree: nodes.document) -> Volumes | None:
        """``faq_pdf_volumes`` applied to the book's chapters; None for one PDF."""
        return volumes_of(tree, faq_config(self.config).pdf_volumes, self.confdir)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        """The book's HTML; one HTML a volume or chapter when it is in parts."""
        if self._plan is not None:
            self.write_parts(docname, doctree)
            return
        if self._volumes is None:
            super().write_doc(docname, doctree)
            return
        depth = faq_config(self.config).pdf_toc_depth
        for volume in range(self._volumes.count):
            self._volume = volume
            with self._volumes.only(volume):
                self._contents = list(contents_entries(doctree, depth))
                super().write_doc(docname, doctree)

    def write_parts(self, docname: str, doctree: nodes.document) -> None:
        """One HTML a chapter (body only), and one for the front matter."""
        assert self._plan is not None
        folder = Path(self.outdir) / PARTS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        # a book that had more chapters last time must not keep their files
        for stale in folder.glob(f"{self.pdf_path.stem}-*"):
            stale.unlink()
        for part in range(self._plan.parts.count):
            self._part = part
            with self._plan.parts.only(part):
                super().write_doc(docname, doctree)
        self._part = None
        self.handle_page(self.config.root_doc, {"body": ""})

    def handle_page(
        self,
        pagename: str,
        addctx: dict[str, Any],
        templatename: str = "page.html",
        outfilename: str | Path | None = None,
        event_arg: Any = None,
    ) -> None:
        """Render the book with our print template, not the screen theme.

        ``html_additional_pages`` and OpenSearch are screen features and are
        not part of the book, so only the root document is written.
        """
        if pagename != self.config.root_doc:
            return
        config = self.config
        settings = faq_config(config)
        style = settings.notes_style_for(self.name)
        # the root document's introduction: in the first volume only
        front_matter = self._plan is None or self._part is None
        intro_nodes = self._intro if self._volume == 0 and front_matter else []
        intro = "".join(self.render_partial(node)["fragment"] for node in intro_nodes)
        intro_text = " ".join(node.astext() for node in intro_nodes)
        volume = volume_rules = ""
        if self._volumes is not None:
            count = self._volumes.count
            volume = _("Volume %(number)d of %(total)d") % {
                "number": self._volume + 1, "total": count}
            volume_rules = volume_css(count, lambda number: _("vol. %d") % number)
        env = Environment(
            loader=FileSystemLoader(STATIC), autoescape=select_autoescape(["html"])
        )
        html = env.get_template("book.html").render(
            language=config.language or "en",
            title=settings.pdf_title or config.project,
            subtitle=settings.pdf_subtitle,
            volume=volume,
            volume_rules=volume_rules,
            author=config.author,
            release=config.release,
            date=self.today_text(),
            contents_title=_("Contents"),
            intro=intro,
            # a short introduction is the title page's blurb; a longer one
            # gets a front-matter page of its own after the contents
            intro_on_title_page=len(intro_text) <= INTRO_ON_TITLE_PAGE,
            contents=self._contents if front_matter else [],
            front_matter=front_matter,
            roman_numbers=self._plan is not None and front_matter,
            body=addctx["body"],
            notes_style=style,
            stylesheet=(STATIC / "book.css").read_text("utf8"),
            # code colours: the light Pygments style, as paper has no dark mode
            pygments=self.highlighter.get_stylesheet(),
            page_size=settings.pdf_page_size,
            user_stylesheets=self.user_stylesheets(),
        )
        if self._plan is not None:
            root_ids = self._plan.parts.root["ids"]
            if self._part and root_ids:
                # the root document's (hidden) title is in every part: its id in the first
                html = html.replace(f' id="{root_ids[0]}"', "", 1)
            html = link_across(html)
        self.html_path.write_text(html, encoding="utf8")

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

    @property
    def html_path(self) -> Path:
        """The intermediate HTML, kept beside the PDF for debugging."""
        if self._plan is not None:
            return self.part_path(self._part, ".html")
        return self.pdf_path.with_suffix(".html")

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
        logger.info(_("writing %s with WeasyPrint… "), self.pdf_path.name, nonl=True)
        started = time.perf_counter()
        self.pdf_path.unlink(missing_ok=True)  # a failure must not leave the last build's
        try:
            with relay_weasyprint_warnings(f"{self.html_path}:"), weasyprint_patches():
                pages = lay_out(self.html_path, self.pdf_path, Path(self.outdir))
        except Exception as error:  # whatever WeasyPrint raised: the build fails with it
            import traceback

            self.pdf_path.unlink(missing_ok=True)
            failed = Layout(self.html_path, self.pdf_path, 1, tail=traceback.format_exc())
            raise PdfFailedError(failure_message([failed], 1, self.pdf_path.name)) from error
        logger.info(_("done (%d pages, %.1f s)"), pages, time.perf_counter() - started)

    @property
    def processes(self) -> int:
        """How many layouts at once: ``-j``."""
        return parallel_jobs(self)

    def write_volumes(self) -> None:
        """Lay the volumes out in child processes, as many at once as ``-j`` says."""
        assert self._volumes is not None
        jobs = []
        for volume in range(self._volumes.count):
            self._volume = volume
            jobs.append((self.html_path, self.pdf_path))
            self.pdf_path.unlink(missing_ok=True)
        logger.info(_("writing %d volumes with WeasyPrint (%d at a time)…"),
                    len(jobs), min(len(jobs), self.processes))
        layouts = lay_out_all(jobs, Path(self.outdir), self.processes)
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
        book = lay_out_book(plan, self.part_path, Path(self.outdir), self.pdf_path,
                            self.processes)
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
            logger.warning("faqpdf: a link to #%s, which no chapter holds, is plain text",
                           anchor, type="faq", subtype="weasyprint",
                           location=(self.config.root_doc, None))
        logger.info(_("%s: %d pages, %.1f s"), self.pdf_path.name, book.joined.pages,
                    time.perf_counter() - started)

    def report_child(self, layout: Layout) -> None:
        """A child's WeasyPrint warnings as Sphinx warnings (a failure fails the build)."""
        for message in layout.warnings:
            logger.warning("WeasyPrint: %s", message, type="faq", subtype="weasyprint",
                           location=f"{layout.html}:")

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

