"""The merged book's doctree made fit for print (:mod:`sphinx_faq_ext.builders.pdf.doctree`)."""

from __future__ import annotations

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes

from sphinx_faq_ext.builders.pdf.doctree import apply_renames, make_ids_unique


def inlined(name: str, read_from: nodes.document) -> tuple[addnodes.start_of_file,
                                                          nodes.reference]:
    """A document as the Typst engine's ``inline_all_toctrees`` includes it: its top
    nodes keep a copy of their document as parent, not the ``start_of_file``."""
    paragraph = nodes.paragraph("", "", ids=["dup"])
    link = nodes.reference("", "to dup", refid="dup")
    paragraph += link
    read_from += paragraph  # the parent it keeps
    start = addnodes.start_of_file(docname=name)
    start.children = [paragraph]
    return start, link


def book() -> tuple[nodes.document, nodes.reference, nodes.reference]:
    settings = get_default_settings(Parser)
    tree = new_document("index", settings)
    tree["docname"] = "index"
    first, link_x = inlined("x", new_document("x", settings))
    second, link_y = inlined("y", new_document("y", settings))
    section = nodes.section("", ids=["index"])
    section += [first, second]
    tree += section
    return tree, link_x, link_y


def test_a_repeated_id_is_renamed_in_the_document_that_repeats_it() -> None:
    """The rename is the later document's, and only its links follow it: the earlier
    document's link keeps its own target."""
    tree, link_x, link_y = book()
    renamed = make_ids_unique(tree)
    assert renamed == {("y", "dup"): "dup-2"}
    assert link_x["refid"] == "dup"
    assert link_y["refid"] == "dup-2"
    assert [p["ids"] for p in tree.findall(nodes.paragraph)] == [["dup"], ["dup-2"]]


def test_renames_applied_again_give_the_same_tree() -> None:
    """A rebuild that assembles some chapters renames them as the whole book did."""
    tree, _x, _y = book()
    renamed = make_ids_unique(tree)
    again, link_x, link_y = book()
    apply_renames(again, renamed)
    assert (link_x["refid"], link_y["refid"]) == ("dup", "dup-2")
    assert again.pformat() == tree.pformat()


def test_a_link_into_another_volume_goes_to_the_page_of_its_own_document() -> None:
    """A chapter may include documents of its own: a link into one of them, from
    another volume, goes to that document's page of the website, not its chapter's."""
    from sphinx_faq_ext.builders.pdf.parts import Parts

    settings = get_default_settings(Parser)
    tree = new_document("index", settings)
    tree["docname"] = "index"
    root = nodes.section("", ids=["index"])
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    first = addnodes.start_of_file(docname="c1")
    inner = addnodes.start_of_file(docname="c1/sub")
    inner += nodes.section("", nodes.paragraph("", "deep"), ids=["deep"])
    first += [nodes.section("", ids=["c1"]), inner]
    second = addnodes.start_of_file(docname="c2")
    link = nodes.reference("", "see deep", refuri="#deep")
    second += nodes.section("", nodes.paragraph("", "", link), ids=["c2"])
    wrapper += [first, second]
    root += wrapper
    tree += root
    volumes = Parts(tree, [["c1"], ["c2"]])
    assert volumes.resolve_links({}, "https://example.org/book/", lambda doc: doc + ".html") == 1
    assert link["refuri"] == "https://example.org/book/c1/sub.html#deep"
