"""WeasyPrint's and pydyf's private code that the WeasyPrint engine depends on.

The guarded home of the engine's patches, beside the engine (the other
libraries' are in :mod:`sphinx_faq_ext.util.upstream`, with the same guards
and the same ``faq.upstream`` / ``faq.weasyprint`` warnings).  Each helper is
a context manager that applies to our own render only and puts the original
back; ``layout.weasyprint_patches()`` applies them.  Each is written up as a
patch for upstream, with its measured effect, in
``docs/develop/weasyprint-patches.md``.

=========================  =================================================
WeasyPrint                 ``layout.block._linebox_layout`` (recompiled with
                           two lines changed), ``layout.page.make_page``
                           (recompiled with sets for lists),
                           ``pdf.tags._build_box_tree`` (wrapped),
                           ``images.RasterImage.__init__`` (given an id
                           made from the image's bytes),
                           ``layout.LayoutContext._update_footnote_area``
                           (replaced by sums, :mod:`.notes_area`),
                           ``layout.make_margin_boxes`` (wrapped, page
                           numbers of a chapter laid out apart,
                           :mod:`.page_numbers`)
pydyf                      ``PDF.page_references`` (made a cached property
                           while WeasyPrint writes)
=========================  =================================================
"""

from __future__ import annotations

import inspect
import textwrap
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

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
    "weasyprint.layout.page.make_page":
        "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
    "weasyprint.layout.layout_document":
        "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
    "weasyprint.layout.LayoutContext._update_footnote_area":
        "0fcc68f3897d5ef0d681d0c7105373ebcea7a030729ce1981a7b2734f32962b5",
    "weasyprint.images.RasterImage.__init__":
        "867c9403e439c2b6b4bf9870a9aaeaa45ce50a4102e9bb080cf8d63a94d19ca9",
    # pydyf 0.13.0 (the getter of the property)
    "pydyf.PDF.page_references":
        "3175bae9885c04002ce255130a135c27ba05233eab15fa2eb9b6caaea0e45865",
}

#: The versions whose code :data:`REVIEWED_SOURCES` fingerprints.  An older
#: one (``nox -s tests_oldest`` installs the floors) has other code, which the
#: helpers' own shape checks cover; the digests are compared from these on.
REVIEWED_VERSIONS: dict[str, str] = {"weasyprint": "70.0", "pydyf": "0.13.0"}


#: The line of WeasyPrint's line-box layout that moves footnotes already on
#: the page to the next page to squeeze in one more line (so a note can end up
#: a page after its marker, against CSS GCPM's "a footnote body must never be
#: placed on a page before [sic: other than] the footnote reference"; WeasyPrint
#: issues 1564 and 2502).  Without it the line breaks as if there were no notes.
_REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
#: The test, made for every box of every line, of whether the box is a footnote
#: still waiting to be laid out.  ``context.footnotes`` is a list of every such
#: footnote of the book, and most boxes have no footnote (``None``), which is
#: looked for through the whole list: with 20,000 notes this made the layout
#: quadratic (a 100-question book took twice as long as two 50-question
#: halves).  Asking ``is not None`` first gives the same answer at once.
_FOOTNOTE_SCAN = "if descendant.footnote in context.footnotes)"
_FOOTNOTE_SCAN_FAST = (
    "if descendant.footnote is not None and descendant.footnote in context.footnotes)"
)


def patched_linebox_source(source: str) -> str:
    """WeasyPrint's ``_linebox_layout`` source with our two lines changed."""
    return source.replace(_REPORT_LINE, "report = False").replace(
        _FOOTNOTE_SCAN, _FOOTNOTE_SCAN_FAST
    )


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
    ``_linebox_layout`` without the footnote "reporting" shortcut, and with
    the footnote lookup made linear (see ``_FOOTNOTE_SCAN``; same result).
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
    if _FOOTNOTE_SCAN not in source:
        _changed("weasyprint.layout.block._linebox_layout",
                 "the layout of a book with many notes may be slow")
    with _recompiled(block, "_linebox_layout", patched_linebox_source(source)):
        yield True


#: In ``weasyprint.layout.page.make_page``, the anchors (element ids) of every
#: earlier page are gathered into a list for each new page, and each anchor of
#: the page is looked for in it: with 40,000 ids (a note marker and a note
#: each) and 3,000 pages this grew with the square of the book (a
#: 500-question book took 1.6 times as long per question as a 100-question
#: one).  The same gathering into sets gives the same answers.
_PAGE_ANCHOR_LINES = (
    ("    cached_anchors = []\n    cached_lookups = []\n",
     "    cached_anchors = set()\n    cached_lookups = set()\n"),
    ("        cached_anchors.extend(x_remake_state.get('anchors', []))\n"
     "        cached_lookups.extend(x_remake_state.get('content_lookups', []))\n",
     "        cached_anchors.update(x_remake_state.get('anchors', []))\n"
     "        cached_lookups.update(x_remake_state.get('content_lookups', []))\n"),
    ("            cached_anchors.append(anchor)\n", "            cached_anchors.add(anchor)\n"),
    ("                cached_lookups.append(counter_lookup_id)\n",
     "                cached_lookups.add(counter_lookup_id)\n"),
)


def patched_make_page_source(source: str) -> str | None:
    """``make_page``'s source with its anchor lists made sets (None: not as we know it)."""
    for old, new in _PAGE_ANCHOR_LINES:
        if source.count(old) != 1:
            return None
        source = source.replace(old, new)
    return source


@contextmanager
def page_anchors_as_sets() -> Iterator[bool]:
    """Make WeasyPrint's per-page anchor bookkeeping linear while we lay out.

    Yields whether it applied; a WeasyPrint whose ``make_page`` differs gets a
    warning (the layout is then only slower, never different).
    """
    from weasyprint.layout import page

    patched = patched_make_page_source(_source_of(page.make_page))
    if patched is None:
        _changed("weasyprint.layout.page.make_page",
                 "the layout of a long book may be slow")
        yield False
        return
    with _recompiled(page, "make_page", patched):
        yield True


#: pydyf's ``PDF.page_references`` as we know it: a property that builds the
#: tuple of every page's reference each time it is read.  WeasyPrint reads it
#: for every element of the structure tree of a tagged PDF (and every link
#: target), which made writing a 3,000-page PDF/UA quadratic.
_PAGE_REFERENCES_BODY = "for object_number in self.pages['Kids'][::3])"


def _cached_page_references(pdf: Any) -> tuple[bytes, ...]:
    """pydyf's page references, rebuilt only when a page has been added."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_faq_page_references")
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (len(kids), references)
        pdf.__dict__["_faq_page_references"] = cached
    return cached[1]


@contextmanager
def page_references_cached() -> Iterator[bool]:
    """Make ``pydyf.PDF.page_references`` cached while WeasyPrint writes.

    The answer is the same tuple (rebuilt whenever the page list grows); only
    its cost changes.  Yields whether it applied; a pydyf whose property looks
    different gets a warning and is left alone.
    """
    try:
        import pydyf
    except ImportError:  # pragma: no cover - WeasyPrint depends on pydyf
        yield False
        return
    original = pydyf.PDF.__dict__.get("page_references")
    getter = getattr(original, "fget", None)
    try:
        source = inspect.getsource(getter) if getter is not None else ""
    except (OSError, TypeError):
        source = ""
    if _PAGE_REFERENCES_BODY not in source:
        _changed("pydyf.PDF.page_references",
                 "writing a long tagged PDF may be slow")
        yield False
        return
    pydyf.PDF.page_references = property(_cached_page_references)
    try:
        yield True
    finally:
        pydyf.PDF.page_references = original


#: The class of our footnote spans (writers/html.py).
FOOTNOTE_CLASS = "faq-footnote"


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
