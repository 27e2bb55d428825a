"""Every use of another library's private API, in one place.

Each helper below leans on something its library does not promise to keep.
Each checks that the thing is still there and in the shape we know (a version
or a fingerprint of the code), falls back to documented behaviour when it is
not, and then says so with a ``faq.upstream`` (or ``faq.weasyprint``) warning
instead of failing silently.  ``tests/test_upstream.py`` fails as soon as the
upstream code changes, so a dependency update is reviewed here first.

=========================  =================================================
Sphinx                     ``env._app`` (8.2+), ``env._builder_cls``, the
                           LaTeX translator's ``context[-1]``, ``Theme._dirs``
MyST-Parser                ``DocutilsRenderer._level_to_section``
WeasyPrint                 ``layout.block._linebox_layout`` (recompiled with
                           two lines changed), ``pdf.tags._build_box_tree``
                           (wrapped)
pydyf                      ``PDF.page_references`` (made a cached property
                           while WeasyPrint writes)
=========================  =================================================
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.util import logging
from sphinx.util.nodes import nested_parse_with_titles

if TYPE_CHECKING:
    from collections.abc import Iterator

    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

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
    # pydyf 0.13.0 (the getter of the property)
    "pydyf.PDF.page_references":
        "3175bae9885c04002ce255130a135c27ba05233eab15fa2eb9b6caaea0e45865",
}

_warned: set[str] = set()


def _changed(what: str, consequence: str) -> None:
    """Warn (once per process) that *what* is not what we know; say what it costs."""
    if what in _warned:
        return
    _warned.add(what)
    logger.warning(
        "%s has changed upstream (sphinx-faq-ext needs an update): %s",
        what, consequence, type="faq", subtype="upstream",
    )


def source_digest(function: Any) -> str:
    """sha256 of *function*'s source, dedented ("" if it has none)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode("utf8")).hexdigest()


# -- Sphinx ------------------------------------------------------------------


def env_app(env: BuildEnvironment) -> Sphinx:
    """The application of *env*: ``env._app`` from Sphinx 8.2 (``env.app`` is
    deprecated there), the public ``env.app`` before."""
    if sphinx.version_info >= (8, 2):
        app = getattr(env, "_app", None)
        if app is not None:
            return app
        _changed("sphinx.environment.BuildEnvironment._app", "using env.app")
    return env.app


def env_builder_class(env: BuildEnvironment) -> type[Builder] | None:
    """The builder class Sphinx records on *env* (``env._builder_cls``).

    Unlike ``env.app.builder`` it is known in parallel-read worker processes.
    ``None`` when Sphinx no longer records it.
    """
    cls = getattr(env, "_builder_cls", None)
    if cls is None and sphinx.version_info >= (8, 2):
        _changed("sphinx.environment.BuildEnvironment._builder_cls",
                 "using the application's builder")
    return cls


def latex_after_heading(translator: Any, text: str) -> None:
    """Write *text* after the heading the LaTeX translator is in.

    ``visit_title`` pushes the heading's closing brace and label on the
    translator's ``context`` stack and ``depart_title`` writes it: appending to
    the top entry puts *text* right after the heading.
    """
    context = getattr(translator, "context", None)
    if not isinstance(context, list) or not context or not isinstance(context[-1], str):
        _changed("sphinx.writers.latex.LaTeXTranslator.context",
                 "a note in a heading is written in the heading")
        translator.body.append(text)
        return
    context[-1] += text


def theme_dirs(theme: Any) -> list[str]:
    """The folders of *theme* and the themes it inherits (``Theme._dirs``)."""
    dirs = getattr(theme, "_dirs", None)
    if dirs is None:
        _changed("sphinx.theming.Theme._dirs",
                 "a theme inheriting ours gets no breadcrumbs or downloads")
        return []
    return [str(d) for d in dirs]


# -- MyST-Parser -------------------------------------------------------------


def parse_with_headings_under(
    state: Any, content: StringList, offset: int, section: nodes.section, levels: range
) -> None:
    """Parse *content* into *section*, its headings becoming sub-sections of it.

    MyST attaches a heading to the section of the level above it *in the
    whole document* (``DocutilsRenderer._level_to_section``); every level in
    *levels* is made to resolve to *section* for this parse, so ``## Heading``
    nests under the question.  reStructuredText needs nothing of the sort.
    """
    renderer = getattr(state, "_renderer", None)
    if renderer is not None and not hasattr(renderer, "_level_to_section"):
        _changed("myst_parser DocutilsRenderer._level_to_section",
                 "headings in a MyST answer may not nest under their question")
    if renderer is None or not hasattr(renderer, "_level_to_section"):
        nested_parse_with_titles(state, content, section, offset)
        return
    saved = renderer._level_to_section
    renderer._level_to_section = dict.fromkeys(levels, section)
    try:
        state.nested_parse(content, offset, section, match_titles=True)
    finally:
        renderer._level_to_section = saved


# -- WeasyPrint --------------------------------------------------------------


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

    original = block._linebox_layout
    try:
        source = textwrap.dedent(inspect.getsource(original))
    except (OSError, TypeError):
        source = ""
    if _REPORT_LINE not in source:
        _changed("weasyprint.layout.block._linebox_layout",
                 "a footnote may be laid out a page after its marker")
        yield False
        return
    if _FOOTNOTE_SCAN not in source:
        _changed("weasyprint.layout.block._linebox_layout",
                 "the layout of a book with many notes may be slow")
    namespace: dict[str, Any] = {}
    code = compile(patched_linebox_source(source), block.__file__, "exec")
    exec(code, block.__dict__, namespace)
    block._linebox_layout = namespace["_linebox_layout"]
    try:
        yield True
    finally:
        block._linebox_layout = original


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
