"""WeasyPrint's private code that the WeasyPrint engine depends on.

The guarded home of the engine's patches, beside the engine (the other
libraries' are in :mod:`sphinx_faq_ext.util.upstream`, with the same guards
and the same ``faq.upstream`` / ``faq.weasyprint`` warnings).  Patches that
only made WeasyPrint or pydyf faster were measured at 500 questions and
removed under 5 % (see the write-up).  Each helper is
a context manager that applies to our own render only and puts the original
back; ``layout.weasyprint_patches()`` applies them.  Each is written up as a
patch for upstream, with its measured effect, in
``docs/develop/weasyprint-patches.md``.

=========================  =================================================
WeasyPrint                 ``layout.block._linebox_layout`` (recompiled with
                           one line changed),
                           ``pdf.tags._build_box_tree`` (wrapped),
                           ``images.RasterImage.__init__`` (given an id
                           made from the image's bytes),
                           ``layout.LayoutContext._update_footnote_area``
                           (replaced by sums, :mod:`.notes_area`),
                           ``layout.make_margin_boxes`` (wrapped, page
                           numbers of a chapter laid out apart,
                           :mod:`.page_numbers`)
=========================  =================================================
"""

from __future__ import annotations

import inspect
import textwrap
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sphinx_faq_ext.util.builder import FOOTNOTE_CLASS
from sphinx_faq_ext.util.upstream import _changed, logger

if TYPE_CHECKING:
    from collections.abc import Iterator

#: sha256 of the upstream functions we copy or wrap, as last reviewed.
#: ``tests/test_upstream.py`` compares them with the installed code.
#: A mismatch does not stop the helper (it checks the exact shape it needs
#: at run time); it tells a developer to review the helper against the change.
REVIEWED_SOURCES: dict[str, str] = {
    # WeasyPrint 70.0
    "weasyprint.layout.block._linebox_layout":
        "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d",
    "weasyprint.pdf.tags._build_box_tree":
        "f716251a83e7096e9cae972b63e633aab21c664d200582166dd0d5096780f9c4",
    "weasyprint.layout.layout_document":
        "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
    "weasyprint.layout.LayoutContext._update_footnote_area":
        "0fcc68f3897d5ef0d681d0c7105373ebcea7a030729ce1981a7b2734f32962b5",
    "weasyprint.images.RasterImage.__init__":
        "867c9403e439c2b6b4bf9870a9aaeaa45ce50a4102e9bb080cf8d63a94d19ca9",
}

#: The versions whose code :data:`REVIEWED_SOURCES` fingerprints.  An older
#: one (``nox -s tests_oldest`` installs the floors) has other code, which the
#: helpers' own shape checks cover; the digests are compared from these on.
REVIEWED_VERSIONS: dict[str, str] = {"weasyprint": "70.0"}


#: The line of WeasyPrint's line-box layout that moves footnotes already on
#: the page to the next page to squeeze in one more line (so a note can end up
#: a page after its marker, against CSS GCPM's "a footnote body must never be
#: placed on a page before [sic: other than] the footnote reference"; WeasyPrint
#: issues 1564 and 2502).  Without it the line breaks as if there were no notes.
_REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
def patched_linebox_source(source: str) -> str:
    """WeasyPrint's ``_linebox_layout`` source with the report line changed."""
    return source.replace(_REPORT_LINE, "report = False")


def _source_of(function: Any) -> str:
    """*function*'s source, dedented ("" when Python cannot find it)."""
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return ""


@contextmanager
def _recompiled(module: Any, name: str, source: str) -> Iterator[None]:
    """*module*.*name* compiled from *source* in the module's namespace, then put back."""
    original = getattr(module, name)
    namespace: dict[str, Any] = {}
    exec(compile(source, module.__file__, "exec"), module.__dict__, namespace)
    setattr(module, name, namespace[name])
    try:
        yield
    finally:
        setattr(module, name, original)


@contextmanager
def footnotes_stay_with_calls() -> Iterator[bool]:
    """Keep every footnote on its marker's page while WeasyPrint lays out.

    Swaps in, for the duration of our render only, a copy of WeasyPrint's
    ``_linebox_layout`` without the footnote "reporting" shortcut.
    Yields whether the footnote fix applied (False on a WeasyPrint whose
    code differs; the tests then tell us).
    """
    from weasyprint.layout import block

    source = _source_of(block._linebox_layout)
    if _REPORT_LINE not in source:
        _changed("weasyprint.layout.block._linebox_layout",
                 "a footnote may be laid out a page after its marker")
        yield False
        return
    with _recompiled(block, "_linebox_layout", patched_linebox_source(source)):
        yield True




@contextmanager
def footnotes_tagged_as_notes() -> Iterator[bool]:
    """Tag our footnotes ``Note`` (not ``Span``) in the PDF structure tree.

    WeasyPrint chooses a structure type from the HTML tag name alone
    (``weasyprint.pdf.tags._build_box_tree``); a screen reader should know a
    footnote for what it is.  Wraps that generator for our render only and
    retypes the elements made for a ``span.faq-footnote``.  Yields whether
    it applied; a WeasyPrint without that function gets a warning.
    """
    try:
        from weasyprint.pdf import tags
    except ImportError:
        tags = None
    original = getattr(tags, "_build_box_tree", None)
    if original is None or len(inspect.signature(original).parameters) != 7:
        logger.warning(
            "this WeasyPrint tags footnotes as plain spans (its tagging code has "
            "changed; sphinx-faq-ext needs an update)",
            type="faq", subtype="weasyprint",
        )
        yield False
        return

    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        footnote = (
            element is not None and getattr(box, "element_tag", None) == "span"
            and FOOTNOTE_CLASS in (element.get("class") or "").split()
        )
        for item in original(box, *args):
            if footnote and item.get("S") == "/Span":
                item["S"] = "/Note"
            yield item

    tags._build_box_tree = build_box_tree
    try:
        yield True
    finally:
        tags._build_box_tree = original


@contextmanager
def images_named_by_content() -> Iterator[bool]:
    """Name each raster image in the PDF by its bytes, not by its URL.

    WeasyPrint names an image's XObject ``i<md5 of its URL>`` (in
    ``weasyprint.images.get_image_from_uri``), and the URL of a book's image
    is a ``file:`` URL of the build folder: two builds of the same book in
    two folders gave two PDFs (``SOURCE_DATE_EPOCH`` notwithstanding).  The
    id ``RasterImage.__init__`` is given is replaced by a digest of the
    image's bytes and orientation, which also shares one XObject between two
    copies of an image.  Yields whether it applied; a WeasyPrint whose
    ``RasterImage`` takes other arguments gets a warning and is left alone.
    """
    import hashlib

    try:
        from weasyprint import images
    except ImportError:  # pragma: no cover - checked by load_weasyprint first
        yield False
        return
    original = images.RasterImage.__init__
    names = list(inspect.signature(original).parameters)
    if names[:4] != ["self", "pillow_image", "image_id", "image_data"] or (
        "orientation" not in names
    ):
        _changed("weasyprint.images.RasterImage",
                 "a PDF with images differs between build folders")
        yield False
        return
    orientation_at = names.index("orientation") - 4  # in *args after image_data

    def init(self: Any, pillow_image: Any, image_id: str, image_data: Any,
             *args: Any, **kwargs: Any) -> None:
        if image_data is not None:
            orientation = kwargs.get(
                "orientation", args[orientation_at] if len(args) > orientation_at else "")
            digest = hashlib.sha256(bytes(image_data))
            digest.update(repr(orientation).encode("utf8"))
            image_id = digest.hexdigest()[:32]
        original(self, pillow_image, image_id, image_data, *args, **kwargs)

    images.RasterImage.__init__ = init
    try:
        yield True
    finally:
        images.RasterImage.__init__ = original
