"""One walk of a doctree for several node classes at once.

docutils' ``findall`` is a generator nested once per level of the tree, and
each transform that asks for one class walks the whole document again: our
read-time transforms used to walk each document some fourteen times.
:func:`collect` walks it once, with a stack instead of nested generators,
and sorts what it meets into one list per class.
"""

from __future__ import annotations

from docutils import nodes


def collect(tree: nodes.Node, *kinds: type[nodes.Element]) -> list[list[nodes.Element]]:
    """For each class of *kinds*, its instances in *tree* (*tree* included).

    Each list is in document order, the order of ``list(tree.findall(kind))``;
    a node of several of the classes is in each of their lists.
    """
    found: list[list[nodes.Element]] = [[] for _ in kinds]
    pairs = list(zip(kinds, found, strict=True))
    stack: list[nodes.Node] = [tree]
    pop, push = stack.pop, stack.extend
    element = nodes.Element
    while stack:
        node = pop()
        if not isinstance(node, element):
            continue
        for kind, bucket in pairs:
            if isinstance(node, kind):
                bucket.append(node)
        push(reversed(node.children))
    return found
