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

import gc
import logging as stdlib_logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.errors import SphinxError
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.osutil import make_filename_from_project

from sphinx_faq_ext.builders.pdf_doctree import (
    ContentsEntry,
    contents_entries,
    glue_note_markers,
    keep_last_fragment,
    make_ids_unique,
    mark_back_matter,
    resolve_outside_links,
    split_root_intro,
)
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.util.upstream.weasyprint_api import (
    footnotes_stay_with_calls,
    footnotes_tagged_as_notes,
    page_anchors_as_sets,
    page_references_cached,
)
from sphinx_faq_ext.util.upstream.weasyprint_notes_area import notes_area_summed

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

STATIC = Path(__file__).parent / "pdf_static"
MISSING_WEASYPRINT = (
    "the faqpdf builder needs WeasyPrint, which could not be loaded ({error}). "
    "Install it with: python -m pip install 'sphinx-faq-ext[pdf]' "
    "(on Debian/Ubuntu WeasyPrint also needs Pango: "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
)


#: Longest root-document introduction (characters) set on the title page.
INTRO_ON_TITLE_PAGE = 400
#: PDF/UA-1: a tagged PDF (structure tree, reading order, language, title).
PDF_VARIANT = "pdf/ua-1"


class WeasyPrintMissingError(SphinxError):
    """WeasyPrint (the ``pdf`` extra) is not installed or cannot load Pango."""

    category = "WeasyPrint missing"


class FaqPdfBuilder(SingleFileHTMLBuilder):
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
        """Fail before reading anything when WeasyPrint cannot be used."""
        load_weasyprint()
        super().init()
        self._contents: list[ContentsEntry] = []
        self._intro: list[nodes.Node] = []

    @property
    def pdf_path(self) -> Path:
        """Where the PDF goes: ``faq_pdf_filename`` in the output folder."""
        filename = faq_config(self.config).pdf_filename or (
            make_filename_from_project(self.config.project) + ".pdf"
        )
        return Path(self.outdir) / filename

    def assemble_doctree(self) -> nodes.document:
        """The single doctree; its sections also give the printed contents."""
        tree = super().assemble_doctree()
        page = self.config.root_doc + self.out_suffix
        keep_last_fragment(tree, make_ids_unique(tree), page)
        resolve_outside_links(tree, self.config.html_baseurl)
        glue_note_markers(tree)
        mark_back_matter(tree)
        self._intro = split_root_intro(tree)
        self._contents = list(contents_entries(tree, faq_config(self.config).pdf_toc_depth))
        return tree

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
        intro = "".join(self.render_partial(node)["fragment"] for node in self._intro)
        intro_text = " ".join(node.astext() for node in self._intro)
        env = Environment(
            loader=FileSystemLoader(STATIC), autoescape=select_autoescape(["html"])
        )
        html = env.get_template("book.html").render(
            language=config.language or "en",
            title=settings.pdf_title or config.project,
            subtitle=settings.pdf_subtitle,
            author=config.author,
            release=config.release,
            date=self.today_text(),
            contents_title=_("Contents"),
            intro=intro,
            # a short introduction is the title page's blurb; a longer one
            # gets a front-matter page of its own after the contents
            intro_on_title_page=len(intro_text) <= INTRO_ON_TITLE_PAGE,
            contents=self._contents,
            body=addctx["body"],
            notes_style=style,
            stylesheet=(STATIC / "book.css").read_text("utf8"),
            # code colours: the light Pygments style, as paper has no dark mode
            pygments=self.highlighter.get_stylesheet(),
            page_size=settings.pdf_page_size,
            user_stylesheets=self.user_stylesheets(),
        )
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
        return self.pdf_path.with_suffix(".html")

    def today_text(self) -> str:
        """``today`` / ``today_fmt`` as Sphinx formats it for |today|."""
        from sphinx.util.i18n import format_date

        if self.config.today:
            return str(self.config.today)
        return format_date(
            self.config.today_fmt or "%b %d, %Y", language=self.config.language
        )

    def finish(self) -> None:
        """Copy images next to the HTML, then lay the book out into a PDF."""
        self.copy_image_files()
        self.copy_download_files()
        self.write_pdf()

    def write_pdf(self) -> None:
        """Run WeasyPrint; its warnings become ``faq.weasyprint`` warnings."""
        weasyprint = load_weasyprint()
        logger.info(_("writing %s with WeasyPrint… "), self.pdf_path.name, nonl=True)
        started = time.perf_counter()
        with (
            relay_weasyprint_warnings(f"{self.html_path}:"),
            footnotes_stay_with_calls(),
            footnotes_tagged_as_notes(),
            page_anchors_as_sets(),
            page_references_cached(),
            notes_area_summed(),
            fewer_collections(),
        ):
            document = weasyprint.HTML(
                filename=str(self.html_path), base_url=str(self.outdir)
            ).render()
            document.write_pdf(str(self.pdf_path), **pdf_options(weasyprint))
        logger.info(
            _("done (%d pages, %.1f s)"), len(document.pages), time.perf_counter() - started
        )

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


def load_weasyprint() -> Any:
    """Import WeasyPrint lazily: it is an optional extra and needs Pango."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango/GObject not found
        raise WeasyPrintMissingError(MISSING_WEASYPRINT.format(error=error)) from error
    return weasyprint


def pdf_options(weasyprint: Any) -> dict[str, Any]:
    """``write_pdf`` options for a tagged PDF/UA-1 document.

    Recent WeasyPrint (70 tested) has the ``pdf/ua-1`` variant, which implies
    ``pdf_tags``; without it the PDF is untagged, and we say so.
    """
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - very old WeasyPrint
        VARIANTS = {}  # noqa: N806
    if PDF_VARIANT in VARIANTS:
        return {"pdf_variant": PDF_VARIANT}
    logger.warning(
        "WeasyPrint %s cannot write PDF/UA-1: the PDF is not tagged (a newer "
        "WeasyPrint can)", getattr(weasyprint, "__version__", "?"),
        type="faq", subtype="weasyprint",
    )
    return {}


#: Allocations between two young-generation collections while WeasyPrint
#: works (Python's default is 700).  Layout makes millions of short-lived
#: boxes and keeps every page; with the default, collections that walk the
#: growing heap took a fifth of the time of a 300-page book.
GC_THRESHOLD = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often during layout, as the default costs a fifth."""
    saved = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


class _Relay(stdlib_logging.Handler):
    """Forward WeasyPrint's log warnings as Sphinx warnings with a location."""

    def __init__(self, location: str) -> None:
        super().__init__(stdlib_logging.WARNING)
        self.location = location

    def emit(self, record: stdlib_logging.LogRecord) -> None:
        logger.warning(
            "WeasyPrint: %s",
            record.getMessage(),
            type="faq",
            subtype="weasyprint",
            location=self.location,
        )


@contextmanager
def relay_weasyprint_warnings(location: str) -> Iterator[None]:
    """Route ``weasyprint`` logger warnings to Sphinx while the PDF is made."""
    handler = _Relay(location)
    wp_logger = stdlib_logging.getLogger("weasyprint")
    propagate = wp_logger.propagate
    wp_logger.addHandler(handler)
    wp_logger.propagate = False
    try:
        yield
    finally:
        wp_logger.removeHandler(handler)
        wp_logger.propagate = propagate


def setup_weasyprint(app: Sphinx) -> None:
    """Register the ``faqpdf`` builder (its ``faq_pdf_*`` settings are on FaqConfig)."""
    app.add_builder(FaqPdfBuilder)


def setup(app: Sphinx) -> dict[str, Any]:
    """Entry point for ``sphinx-build -b faqpdf`` without the extension listed.

    The builder renders our nodes with the extension's HTML visitors and reads
    its ``faq_*`` settings, so it loads the whole extension.
    """
    app.setup_extension("sphinx_faq_ext")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

