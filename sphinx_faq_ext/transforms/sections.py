"""Sections of a book: deeper than ``text_sectionchars`` (text writer), and the
documents a toctree at the end of a heading inside a question lists (print)."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_faq_ext.nodes import is_question, section_levels


class DeepSectionsPostTransform(SphinxPostTransform):
    """Let the text writer render sections deeper than ``text_sectionchars``.

    Sphinx's text writer underlines a section title with the character of its
    level and fails (``IndexError``) below the last one: a title, six nested
    questions and a heading inside the innermost answer are eight levels.
    When a document goes deeper, a :class:`section_levels` node at its start
    tells the writer to underline the deeper titles with the last character.
    """

    default_priority = 900
    builders = ("text",)

    def run(self, **kwargs: Any) -> None:
        deepest = 0
        for section in self.document.findall(nodes.section):
            depth = 1
            parent = section.parent
            while parent is not None:
                depth += isinstance(parent, nodes.section)
                parent = parent.parent
            deepest = max(deepest, depth)
        if deepest > len(self.config.text_sectionchars):
            self.document.insert(0, section_levels(depth=deepest))


def _is_toctree_wrapper(node: nodes.Node) -> bool:
    return isinstance(node, nodes.compound) and "toctree-wrapper" in node["classes"]


def lift_answer_toctrees(tree: nodes.Element) -> int:
    """In a book's merged tree, a toctree that ends the text of a heading inside
    a question lists its documents under the question.  Returns how many moved.

    An Anarchist FAQ's appendices are written so: the appendix is a question,
    its answer has a heading (*Introduction*), and a hidden toctree at the end
    of that heading's text lists the appendix's questions.  Inlined where it
    stands, inside the *Introduction*, the printed contents set "Appendix 1.1"
    one step deeper than the introduction, as a part of it, though both are
    parts of the appendix.  Such a toctree (nothing after it in its section)
    moves out of the sections it ends, up to the innermost question, right
    after them: the reading order is the same, the documents' level is the
    question's sections'.  A toctree with text after it, or in no question,
    stays where it is.  (The website's and the ePub's navigation, made from
    each document's own tree, still nest them under the heading.)
    """
    # (node, its ancestors), walking the children lists: in LaTeX's merged
    # tree a document's nodes keep the parent of the document they were read from
    stack: list[tuple[nodes.Element, tuple[nodes.Element, ...]]] = [(tree, ())]
    wrappers: list[tuple[nodes.Element, tuple[nodes.Element, ...]]] = []
    while stack:
        node, ancestors = stack.pop()
        if _is_toctree_wrapper(node):
            wrappers.append((node, ancestors))
        inner = (*ancestors, node)
        stack.extend((child, inner) for child in reversed(node.children)
                     if isinstance(child, nodes.Element))
    return sum(_lift(wrapper, list(ancestors)) for wrapper, ancestors in wrappers)


def _lift(wrapper: nodes.Element, ancestors: list[nodes.Element]) -> bool:
    """Move *wrapper* out of the non-question sections it ends, to its question."""
    steps = 0  # the sections between it and its innermost question
    for node in reversed(ancestors):
        if isinstance(node, addnodes.start_of_file) or not isinstance(node, nodes.section):
            return False
        if is_question(node):
            break
        steps += 1
    else:
        return False
    moved = False
    for _step in range(steps):
        section, outer = ancestors[-1], ancestors[-2]
        if section.children[-1] is not wrapper:
            break  # text after it: it is listed there
        section.children.pop()
        outer.children.insert(outer.children.index(section) + 1, wrapper)
        wrapper.parent = outer
        ancestors.pop()
        moved = True
    return moved
