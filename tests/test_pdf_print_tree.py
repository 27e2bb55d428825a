"""Preparing the merged book tree for print (``builders/pdf/doctree.py``).

:func:`prepare_print_tree` walks the tree once for the passes that look for
nodes of some classes; each pass, called alone, walks it itself.  Both must
make the same tree.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from conftest import ROOTS
from docutils import nodes
from sphinx import addnodes

from sphinx_faq_ext.builders.pdf.doctree import (
    BACK_MATTER_CLASS,
    keep_last_fragment,
    make_ids_unique,
    mark_back_matter,
    prepare_print_tree,
    resolve_outside_links,
    split_root_intro,
)
from sphinx_faq_ext.nodes import INDEX_CLASS, QUESTION_CLASS, SOURCES_CLASS
from sphinx_faq_ext.transforms.notes import glue_note_markers

if TYPE_CHECKING:
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp

    MakeApp = type[SphinxTestApp]


def _included(docname: str, *children: nodes.Node) -> addnodes.start_of_file:
    """A document inlined as ``inline_all_toctrees`` does: its top nodes' parent is
    a copy of its document, not the ``start_of_file`` whose children they are."""
    shell = nodes.document(None, None)
    shell.children = list(children)
    for child in children:
        shell.setup_child(child)
    start = addnodes.start_of_file(docname=docname)
    start.children = shell.children
    return start


def _table(kind: str, name: str) -> nodes.bullet_list:
    return nodes.bullet_list("", nodes.list_item("", nodes.paragraph(text=name)),
                             classes=[kind])


def _book() -> tuple[nodes.document, dict[str, nodes.Element]]:
    """A merged book: an index table before the last question (not back matter), a
    document of works quoted after it, and tables in the root document after its
    toctree (the second one after its caption)."""
    early = _table(INDEX_CLASS, "early")
    question = nodes.section("", nodes.title(text="Q"), nodes.paragraph(text="text"),
                             ids=["q"], classes=[QUESTION_CLASS])
    chapter = nodes.section("", nodes.title(text="Chapter"), early, question, ids=["ch"])
    works = nodes.section("", nodes.title(text="Works"), _table(SOURCES_CLASS, "works"),
                          ids=["works"])
    wrapper = nodes.compound("", _included("ch", chapter), _included("works", works),
                             classes=["toctree-wrapper"])
    caption = nodes.rubric(text="Index", classes=["faq-caption"])
    index = _table(INDEX_CLASS, "index")
    root = nodes.section("", nodes.title(text="Book"), wrapper,
                         _table(SOURCES_CLASS, "sources"), caption, index, ids=["book"])
    tree = nodes.document(None, None)
    tree["docname"] = "index"
    tree += root
    return tree, {"early": early, "chapter": chapter, "works": works, "root": root,
                  "caption": caption, "index": index}


def test_back_matter_is_what_follows_the_last_question_down_the_children_lists() -> None:
    """The document of works quoted gets the class on its section, found from its
    ``start_of_file`` (not from the parents, which end at its document's copy);
    the root's tables are wrapped, the caption with its table; the index
    table before the last question is left as it is."""
    tree, parts = _book()
    mark_back_matter(tree)
    assert BACK_MATTER_CLASS in parts["works"]["classes"]
    assert BACK_MATTER_CLASS not in parts["chapter"]["classes"]
    assert parts["early"].parent is parts["chapter"]
    wrappers = [child for child in parts["root"].children
                if isinstance(child, nodes.container)]
    assert [w["classes"] for w in wrappers] == [[BACK_MATTER_CLASS]] * 2
    assert wrappers[1].children == [parts["caption"], parts["index"]]
    assert parts["index"].parent is wrappers[1]


def test_no_back_matter_before_a_question() -> None:
    """A question after the tables: none of them is back matter."""
    tree, parts = _book()
    later = nodes.section("", nodes.title(text="Late"), ids=["late"],
                          classes=[QUESTION_CLASS])
    parts["root"] += later
    before = tree.pformat()
    mark_back_matter(tree)
    assert tree.pformat() == before


def test_prepare_print_tree_is_its_passes_one_by_one(make_app: MakeApp,
                                                     tmp_path: Path) -> None:
    """The passes sharing one walk make the tree (and renames) each pass makes alone,
    on a book with repeated ids, links between documents and note markers."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    app = make_app("faqpdf", srcdir=srcdir)
    app.builder.read()
    made = []
    for together in (True, False):
        tree = app.builder.assemble_doctree()
        if together:
            prepared = prepare_print_tree(tree, "https://example.org/")
            renamed, intro = prepared.renamed, prepared.intro
        else:
            renamed = make_ids_unique(tree)
            keep_last_fragment(tree, renamed)
            resolve_outside_links(tree, "https://example.org/")
            glue_note_markers(tree)
            mark_back_matter(tree)
            intro = split_root_intro(tree)
        made.append((tree.pformat(), renamed, [node.pformat() for node in intro]))
    assert "\u00a0" in made[0][0]  # markers were glued
    assert BACK_MATTER_CLASS in made[0][0]
    assert made[0] == made[1]
