"""Written pages' doctrees are freed by reference counting (``builders/html/release.py``).

The builds run their write phase with the cycle collector off (the read
phase's garbage, which still points to the documents, is collected first):
without the release, each written doctree stays in memory until a full
collection (its nodes point to their parents).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import ROOTS, warnings_of
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

from sphinx_faq_ext.builders.html.release import release_doctree
from sphinx_faq_ext.testing import copy_root

if TYPE_CHECKING:
    from conftest import MakeApp
    from sphinx.application import Sphinx


def small_document() -> nodes.document:
    """A document with a section, a paragraph, a note and the document's tables filled."""
    document = new_document("<test>", get_default_settings(Parser))
    section = nodes.section("", nodes.title("", "Title"), ids=["title"])
    marker = nodes.footnote_reference("", "1", ids=["ref-1"], refid="note-1")
    paragraph = nodes.paragraph("", "", nodes.Text("A "), nodes.emphasis("", "paragraph"), marker)
    note = nodes.footnote("", nodes.label("", "1"), nodes.paragraph("", "A note."), ids=["note-1"])
    section += [paragraph, note]
    document += section
    for node in (section, marker, note):
        document.set_id(node)
    document.note_refid(marker)
    return document


@contextmanager
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_released_doctree_is_freed_without_the_collector() -> None:
    doctree = small_document()
    paragraph = doctree.next_node(nodes.paragraph)
    refs = [weakref.ref(doctree), weakref.ref(paragraph)]
    del paragraph
    with collector_off():
        release_doctree(doctree)
        del doctree
        assert [ref() for ref in refs] == [None, None]


def test_a_doctree_not_released_waits_for_the_collector() -> None:
    """The test above can fail: a doctree as docutils makes it is cyclic."""
    doctree = small_document()
    ref = weakref.ref(doctree)
    with collector_off():
        del doctree
        assert ref() is not None
    gc.collect()
    assert ref() is None


def collector_off_while_writing(app: Sphinx) -> None:
    def pause(app: Sphinx, builder: object) -> None:
        gc.collect()
        gc.disable()

    app.connect("write-started", pause)


def written_nodes(app: Sphinx) -> list[weakref.ref[nodes.Element]]:
    """Weak references to the elements of every page the builder writes.

    Not to the documents themselves: the page's translator (cyclic garbage, as
    Sphinx gives it bound methods for extensions' nodes) still points to its
    document, which is empty once released.
    """
    collector_off_while_writing(app)
    written: list[weakref.ref[nodes.Element]] = []

    def keep(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
             doctree: nodes.document | None) -> None:
        if doctree is not None:
            written.extend(weakref.ref(node)
                           for node in doctree.findall(nodes.Element, include_self=False))

    app.connect("html-page-context", keep, priority=100)
    return written


def bibtex_citation_nodes(app: Sphinx) -> Iterator[nodes.Node]:
    domain: Any = app.env.get_domain("cite")
    for bibliography in domain.bibliographies.values():
        for citation in bibliography.citation_nodes.values():
            yield from citation.findall()


@pytest.mark.parametrize("builder", ["html", "dirhtml", "epub"])
def test_website_pages_are_freed_as_they_are_written(
    make_app: MakeApp, tmp_path: Path, builder: str
) -> None:
    src = tmp_path / "src"
    copy_root(ROOTS / "test-book", src)
    first = make_app(builder, srcdir=src)
    first.build()
    assert warnings_of(first) == ""
    # Written again from the pickled doctrees: in the build that read them,
    # the last page read stays referenced by parsing objects (Sphinx's role
    # instances keep their last inliner), released or not.
    app = make_app(builder, srcdir=src)
    written = written_nodes(app)
    try:
        app.builder.build_all()
        alive = [node for ref in written if (node := ref()) is not None]
    finally:
        gc.enable()
    assert len(written) > 100
    # sphinxcontrib-bibtex keeps its citation nodes in the environment and puts
    # those very nodes in the page: they live on.  And a node that resolving
    # replaced (a ``pending_xref``) still names its old parent, so that parent
    # (a paragraph of cross-references here) waits for the collector: a few.
    held = {id(node) for node in bibtex_citation_nodes(app)}
    assert held
    left = [node for node in alive if id(node) not in held]
    assert len(left) <= len(written) // 20, left
