"""Let the text writer render sections deeper than ``text_sectionchars``."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_faq_ext.nodes import section_levels


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
