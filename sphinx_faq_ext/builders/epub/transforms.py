"""sphinx-design components as plain, EPUBCheck-valid XHTML in the ePub.

sphinx-design turns its components into screen widgets for every builder of
the ``html`` format, ePub included:

* a tab set becomes radio ``<input>`` elements (written as HTML void tags, so
  the XHTML page is not even well-formed: EPUBCheck RSC-016) whose CSS shows
  one tab at a time: an e-reader without that CSS, or without a way to click,
  loses the other tabs;
* a dropdown becomes ``<details>``: closed, its text is hidden on readers that
  support the element and cannot be opened on many that do not;
* icons (octicons, material icons, the dropdown chevrons) are inline ``<svg>``
  without the SVG namespace: RSC-005 "element svg not allowed here";
* a card link is an invisible ``stretched-link`` laid over the card.

The fix cannot live in our ePub translator's methods: sphinx-design registers
``html=`` visitors for its nodes, which Sphinx sets on each translator
*instance*, above any method of the class.  Instead :class:`EpubDesignTransform`
runs before sphinx-design's own HTML post-transforms (priority 199/200), for
the ``epub`` builder only, and gives each component the structure that
sphinx-design itself documents as its rendering "for non-HTML outputs":

* a tab set is a sequence of its tabs, each tab's label as a bold heading line
  (a ``rubric``, keeping the ids that ``:name:`` gives it) above its content;
* a dropdown is an open box: its title as a rubric, then its body;
* icons are left out (sphinx-design marks them ``aria-hidden``, and skips
  them in LaTeX and text too);
* a card link is an ordinary, visible link at the end of the card.

Only attributes and classes are touched: no text, note marker or target of the
author's is dropped, and the faq notes inside a tab keep their numbers.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from collections.abc import Iterable


#: The classes our ePub stylesheet gives the rewritten components.
TAB_SET = "faq-epub-tab-set"
TAB = "faq-epub-tab"
TAB_LABEL = "faq-epub-tab-label"
TAB_CONTENT = "faq-epub-tab-content"
DROPDOWN = "faq-epub-dropdown"
DROPDOWN_TITLE = "faq-epub-dropdown-title"
DROPDOWN_BODY = "faq-epub-dropdown-body"

#: sphinx-design classes that hide text or lay a link over a whole card:
#: ``.sd-tab-content`` is ``display: none`` until its radio input is checked.
_HIDING_CLASSES = {
    "sd-tab-set", "sd-tab-item", "sd-tab-label", "sd-tab-content",
    "sd-hide-link-text", "sd-stretched-link",
}
#: Animation classes of dropdowns (``sd-fade-in``…): they fade text in from
#: transparent, pointless on paper-like screens.
_ANIMATION_PREFIX = "sd-fade-in"


def _component(node: nodes.Node, name: str) -> bool:
    """Whether *node* is the sphinx-design component *name*."""
    return isinstance(node, nodes.Element) and node.get("design_component") == name


def _kept_classes(classes: Iterable[str]) -> list[str]:
    """*classes* without the ones that hide or animate text."""
    return [
        name for name in classes
        if name not in _HIDING_CLASSES and not name.startswith(_ANIMATION_PREFIX)
    ]


def _plain_container(node: nodes.Element, *classes: str) -> nodes.container:
    """A plain container with *node*'s ids, names and classes plus *classes*.

    It keeps no ``design_component`` mark, so sphinx-design's HTML transforms
    pass it by.  ``is_div`` keeps sphinx-design's ``<div>`` writer from adding
    the ``container`` class, as it does for its own components.
    """
    plain = nodes.container(
        "", classes=[*classes, *_kept_classes(node["classes"])], is_div=True
    )
    plain["ids"] = list(node["ids"])
    plain["names"] = list(node["names"])
    plain.source, plain.line = node.source, node.line
    return plain


def _title_rubric(title: nodes.Element, *classes: str) -> nodes.rubric:
    """*title* (a rubric, or the title of a card) as a rubric with *classes*."""
    rubric = nodes.rubric(
        title.rawsource, "", *title.children,
        classes=[*classes, *_kept_classes(title["classes"])],
    )
    rubric["ids"] = list(title["ids"])
    rubric["names"] = list(title["names"])
    rubric.source, rubric.line = title.source, title.line
    return rubric


def tab_set_as_sections(tab_set: nodes.Element) -> nodes.container:
    """A tab set as its tabs one after the other, each under its label."""
    plain = _plain_container(tab_set, TAB_SET)
    for child in tab_set.children:
        if not _component(child, "tab-item") or len(child.children) != 2:
            # targets kept by sphinx-design, or a malformed item it warned about
            plain += child
            continue
        label, content = child.children
        tab = _plain_container(child, TAB)
        tab += _title_rubric(label, TAB_LABEL)
        body = _plain_container(content, TAB_CONTENT)
        body += content.children
        tab += body
        plain += tab
    return plain


def dropdown_as_box(dropdown: nodes.Element) -> nodes.container:
    """A dropdown as an open box: its title (if any), then its body."""
    box = _plain_container(dropdown, DROPDOWN)
    box["classes"] += _kept_classes(dropdown.get("container_classes", []))
    children = list(dropdown.children)
    if dropdown.get("has_title") and children and isinstance(children[0], nodes.rubric):
        title = _title_rubric(children.pop(0), DROPDOWN_TITLE)
        title["classes"] += _kept_classes(dropdown.get("title_classes", []))
        box += title
    body = nodes.container(
        "", *children, is_div=True,
        classes=[DROPDOWN_BODY, *_kept_classes(dropdown.get("body_classes", []))],
    )
    box += body
    return box


def is_icon(node: nodes.Node) -> bool:
    """An sphinx-design icon: an ``sd_icon`` node, or (before 0.7) raw SVG."""
    if type(node).__name__ == "sd_icon":
        return True
    return (
        isinstance(node, nodes.raw)
        and "html" in node.get("format", "").split()
        and node.astext().lstrip().startswith("<svg")
        and ("sd-octicon" in node.astext() or "sd-material-icon" in node.astext())
    )


class EpubDesignTransform(SphinxPostTransform):
    """Rewrite sphinx-design components for the ePub (module docstring)."""

    #: Before sphinx-design's DropdownHtmlTransform/AsideHtmlTransform (199)
    #: and TabSetHtmlTransform (200); after references are resolved (10), so
    #: that card links are already ``reference`` nodes.
    default_priority = 150
    builders = ("epub",)

    def run(self, **kwargs: Any) -> None:
        """Rewrite tab sets, dropdowns, icons and card links, innermost first."""
        if "sphinx_design" not in sys.modules:
            # Only sphinx-design makes these nodes, and it is imported once a
            # project loads it: no need to walk the book.  (Not
            # ``self.app.extensions``: a transform's ``app`` is deprecated.)
            return
        # One walk finds them all (a book has tens of thousands of elements
        # and usually none of these): the rewrites below only move nodes, so
        # each found node is still in the tree, in the same order, under its
        # current parent.  findall(nodes.Element): docutils walks a tree for
        # a node class much faster than for a test function.
        tab_sets: list[nodes.Element] = []
        dropdowns: list[nodes.Element] = []
        icons: list[nodes.Element] = []
        links: list[nodes.Element] = []
        for node in self.document.findall(nodes.Element):
            component = node.get("design_component")
            if component == "tab-set":
                tab_sets.append(node)
            elif component == "dropdown":
                dropdowns.append(node)
            if is_icon(node):
                icons.append(node)
            if isinstance(node, nodes.reference) and "sd-stretched-link" in node["classes"]:
                links.append(node)
        # Innermost first: a dropdown inside a tab is rewritten before its tab
        # set is, and no replaced node is visited again.
        for tab_set in reversed(tab_sets):
            # parent.replace, not replace_self: that would add the old classes
            tab_set.parent.replace(tab_set, tab_set_as_sections(tab_set))
        for dropdown in reversed(dropdowns):
            dropdown.parent.replace(dropdown, dropdown_as_box(dropdown))
        for icon in icons:
            icon.parent.remove(icon)
        for link in links:
            link["classes"] = [*_kept_classes(link["classes"]), "faq-epub-card-link"]
