"""ePub 3 that EPUBCheck accepts with no errors and no warnings.

Sphinx's own ``epub`` builder has a few defects that every FAQ book hits; we
replace it by a subclass (same name, same options) that fixes them where they
are made instead of patching the finished file:

* ``toc.ncx`` carries ``epub_uid`` (the *id* of the identifier element) where
  the OPF carries ``epub_identifier`` (its *value*): EPUBCheck NCX-001, Sphinx
  issue 11184.  :meth:`FaqEpub3Builder.toc_metadata` writes the value.
* Empty metadata (``copyright`` or ``version`` unset) becomes empty
  ``<dc:rights>``/``<meta>`` elements: RSC-005.  Our ``content.opf``
  template leaves them out.
* Bibliography entries (sphinxcontrib-bibtex, rST citations) carry the
  deprecated ``role="doc-biblioentry"``: RSC-017.  See
  :mod:`sphinx_faq_ext.writers.epub`.
* Questions deeper than ``epub_tocdepth`` vanish from the navigation.  See
  :mod:`.nav`.
* sphinx-design's tab sets (radio ``<input>``), dropdowns (``<details>``),
  icons (inline ``<svg>``) and card links become plain XHTML that keeps all
  their text visible: see :mod:`.transforms`.
* A note marker written after a space (``behaviour." [1]``) may start a line
  on a narrow e-reader screen; the space becomes a no-break space as the
  marker is written (:func:`sphinx_faq_ext.writers.html.visit_note_ref`).
* The ``.epub`` zip stores each file's modification time, so two builds of
  the same book differ.  With ``SOURCE_DATE_EPOCH`` set, every member gets
  that time and fixed permissions: :meth:`FaqEpub3Builder.build_epub`.

DAISY Ace, the accessibility checker, finds no violation either: EPUB
Accessibility metadata, the language of every page, DPUB-ARIA roles beside
``epub:type`` (see :mod:`.a11y`).

The ePub also gets a small reader-friendly stylesheet for quotes and notes
(``static/faq-epub.css``) on top of the ``epub_theme``; the HTML theme never
reaches the ePub.

This package is the ePub builder's home: the builder and its registration
here, its navigation (:mod:`.nav`), accessibility metadata (:mod:`.a11y`),
post-transforms (:mod:`.transforms`), templates and stylesheet; its
translator is :mod:`sphinx_faq_ext.writers.epub`.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sphinx.builders.epub3 import Epub3Builder, NavPoint
from sphinx.util import logging as sphinx_logging

from sphinx_faq_ext.builders.epub import a11y as epub_a11y
from sphinx_faq_ext.builders.epub import nav as epub_nav
from sphinx_faq_ext.builders.epub.transforms import EpubDesignTransform
from sphinx_faq_ext.writers.epub import FaqEpubTranslator

if TYPE_CHECKING:
    from collections.abc import Set
    from logging.handlers import BufferingHandler

    from docutils.transforms import Transform
    from sphinx.application import Sphinx

    from sphinx_faq_ext.util.upstream.sphinx import NcxNavPoint

#: The ePub's own post-transforms (see the write-time table of
#: :mod:`sphinx_faq_ext.transforms` for where they run among the others).
POST_TRANSFORMS: tuple[type[Transform], ...] = (EpubDesignTransform,)

STATIC_DIR = Path(__file__).parent / "static"
EPUB_CSS = "faq-epub.css"


class FaqEpub3Builder(Epub3Builder):
    """Sphinx's ``epub`` builder with the fixes listed in the module docstring."""

    default_translator_class = FaqEpubTranslator
    #: content.opf and nav.xhtml from our forks of Sphinx's templates.
    template_dir = epub_a11y.TEMPLATE_DIR  # type: ignore[assignment]

    # -- stylesheet ---------------------------------------------------------
    def init_css_files(self) -> None:
        """Add ``faq-epub.css`` after the theme's, before the user's own CSS."""
        super().init_css_files()
        self.add_css_file(EPUB_CSS, priority=500)

    def copy_static_files(self) -> None:
        """Copy ``faq-epub.css`` with the other static files."""
        super().copy_static_files()
        static = Path(self.outdir, "_static")
        static.mkdir(parents=True, exist_ok=True)
        # A plain copy: copy_asset_file's arguments differ across Sphinx 7.4-9.
        shutil.copyfile(STATIC_DIR / EPUB_CSS, static / EPUB_CSS)

    # -- accessibility ------------------------------------------------------
    def prepare_writing(self, docnames: Set[str]) -> None:
        """Every page says its language (Ace ``html-has-lang``)."""
        super().prepare_writing(docnames)
        self.globalcontext["html_tag"] = epub_a11y.html_tag(self.config.epub_language)

    def content_metadata(self) -> dict[str, Any]:
        """Sphinx's metadata plus EPUB Accessibility 1.1 (``faq_epub_accessibility``)."""
        metadata = super().content_metadata()
        metadata["accessibility"] = epub_a11y.accessibility_metadata(self)
        return metadata

    # -- the project's own folders ---------------------------------------------
    def _own_folders(self) -> list[Path]:
        """The output and doctree folders, resolved."""
        return [Path(self.outdir).resolve(), Path(self.doctreedir).resolve()]

    def get_asset_paths(self) -> list[str]:
        """Also keep the output and doctree folders out of the sources.

        ``sphinx-build -b epub . _build/epub`` puts both inside the source
        folder; Sphinx excludes asset paths from the project as it does
        ``exclude_patterns``, without our touching the user's configuration.
        """
        paths = list(super().get_asset_paths())
        srcdir = Path(self.srcdir).resolve()
        for folder in self._own_folders():
            if folder != srcdir and folder.is_relative_to(srcdir):
                paths.append(folder.relative_to(srcdir).as_posix())
        return paths

    # -- content.opf --------------------------------------------------------
    def build_content(self) -> None:
        """Write content.opf (our template leaves empty metadata out).

        The doctree folder inside the output folder (the default of
        ``sphinx-build -b epub . _build/epub``) is none of the book's files:
        Sphinx's "unknown mimetype" warnings about it are dropped.
        """
        outdir, doctreedir = self._own_folders()
        inside = doctreedir != outdir and doctreedir.is_relative_to(outdir)
        prefix = doctreedir.relative_to(outdir).as_posix() + "/" if inside else None
        with sphinx_logging.pending_warnings() as handler:
            super().build_content()
            pending = cast("BufferingHandler", handler)
            if prefix is not None:
                pending.buffer[:] = [
                    record for record in pending.buffer
                    if not (
                        getattr(record, "subtype", None) == "unknown_project_files"
                        and isinstance(record.args, tuple)
                        and str(record.args[0]).replace("\\", "/").startswith(prefix)
                    )
                ]

    # -- the .epub file -----------------------------------------------------
    def build_epub(self) -> None:
        """Zip the book as Sphinx does, then make the zip reproducible."""
        super().build_epub()
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch:
            reproducible_zip(Path(self.outdir, self.config.epub_basename + ".epub"), epoch)

    # -- toc.ncx ------------------------------------------------------------
    def toc_metadata(self, level: int, navpoints: list[NcxNavPoint]) -> dict[str, Any]:
        """``dtb:uid`` must equal the OPF's unique identifier *value*."""
        metadata = super().toc_metadata(epub_nav.depth(navpoints) or level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata

    def build_navpoints(self, nodes: list[dict[str, Any]]) -> list[NcxNavPoint]:
        """The ``toc.ncx`` tree, keeping questions at any depth."""
        entries = self._nav_entries(nodes)
        duplicate = None
        if self.config.epub_tocdup:
            def duplicate(entry: dict[str, Any]) -> NcxNavPoint:
                return self.new_navpoint(entry, entry["level"], incr=False)

        return epub_nav.nest(
            entries,
            lambda entry: self.new_navpoint(entry, entry["level"]),
            lambda point: point.children,
            duplicate,
        )

    def toc_add_files(self, refnodes: list[dict[str, Any]]) -> None:
        """Add the root document (Sphinx) and its questions (ours) to the nav."""
        super().toc_add_files(refnodes)
        root_uri = html.escape(self.config.root_doc + self.out_suffix)
        for index, entry in enumerate(refnodes):
            if entry["refuri"] == root_uri:
                refnodes[index + 1 : index + 1] = epub_nav.root_question_entries(
                    self.env, self.config.root_doc, self.out_suffix
                )
                break

    # -- nav.xhtml ----------------------------------------------------------
    def build_navlist(self, navnodes: list[dict[str, Any]]) -> list[NavPoint]:
        """The ``nav.xhtml`` tree, keeping questions at any depth."""
        return epub_nav.nest(
            self._nav_entries(navnodes),
            lambda entry: NavPoint(entry["text"], entry["refuri"], []),
            lambda point: point.children,
        )

    def _nav_entries(self, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return epub_nav.kept_entries(
            nodes,
            self.config.epub_tocdepth,
            epub_nav.question_uris(self.env, self.out_suffix),
            self.ignored_files,
        )


class _DroppedMetadataFilter(logging.Filter):
    """Drops Sphinx's "should not be empty" warnings for metadata we leave out.

    Sphinx warns when ``version`` or ``copyright`` is empty; our builder
    leaves the empty elements out of ``content.opf`` (see the module
    docstring), so a book needs neither to make a valid ePub.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # Sphinx's messages, in the console language Sphinx logged them in
        # (not ours to translate: no "_" here, for our catalogs' extractor).
        from sphinx.locale import __ as sphinx_console_message

        dropped = {
            sphinx_console_message('conf value "version" should not be empty for EPUB3'),
            sphinx_console_message(
                'conf value "epub_copyright" (or "copyright")should not be empty for EPUB3'
            ),
        }
        return record.msg not in dropped


_METADATA_FILTER = _DroppedMetadataFilter()


def _epub3_logger() -> logging.Logger:
    return sphinx_logging.getLogger("sphinx.builders.epub3").logger


def _before_epub_checks(app: Sphinx) -> None:
    if isinstance(app.builder, FaqEpub3Builder):
        _epub3_logger().addFilter(_METADATA_FILTER)


def _after_epub_checks(app: Sphinx) -> None:
    _epub3_logger().removeFilter(_METADATA_FILTER)


def setup_epub(app: Sphinx) -> None:
    """Replace Sphinx's ``epub`` builder by :class:`FaqEpub3Builder`."""
    app.add_builder(FaqEpub3Builder, override=True)
    for post_transform in POST_TRANSFORMS:
        app.add_post_transform(post_transform)
    # Around Sphinx's own checks of the ePub configuration (priority 500).
    app.connect("builder-inited", _before_epub_checks, priority=100)
    app.connect("builder-inited", _after_epub_checks, priority=900)


def reproducible_zip(path: Path, epoch: str) -> None:
    """Rewrite the zip at *path* with every member dated *epoch* (seconds).

    Member order and compression stay as they were (the ``mimetype`` member
    first and stored, as EPUB requires); permissions become 0644.  The zip
    format cannot hold dates before 1980, so earlier ones become 1980-01-01.
    """
    try:
        stamp = time.gmtime(int(float(epoch)))[:6]
    except (ValueError, OverflowError):
        return  # Sphinx warns about an invalid SOURCE_DATE_EPOCH itself
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for old, data in members:
            info = zipfile.ZipInfo(old.filename, date_time=stamp)
            info.compress_type = old.compress_type
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system builds the book
            target.writestr(info, data)
