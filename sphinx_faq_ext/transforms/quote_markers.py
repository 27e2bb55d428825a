"""Join each quote's note marker to the end of its last paragraph."""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.transforms import SphinxTransform

from sphinx_faq_ext.nodes import note_ref, quote
from sphinx_faq_ext.util.builder import builder_class
from sphinx_faq_ext.util.walk import collect

#: Class of the translatable inline holding a ``:note:`` text.
NOTE_TEXT = "faq-note-text"
#: URL schemes ``:url:`` may link to (``javascript:`` and ``data:`` may not).
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "mailto"})
#: Characters that may start inline markup; a text without any is plain already.
_MARKUP = re.compile(r"[*`_|\\\[\]<>{}:]")
_PAGE_RANGE = re.compile("[-\u2013,]")  # hyphen, en dash, comma


class QuoteMarkerTransform(SphinxTransform):
    """Join each quote's note marker to the end of its last paragraph.

    Runs after Sphinx's i18n transform (20), which would drop a marker
    already inside a translated paragraph, and before the notes are
    formatted (390) and numbered (400).
    """

    default_priority = 30

    def apply(self, **kwargs: Any) -> None:
        inlines, markers = collect(self.document, nodes.inline, note_ref)
        if not issubclass(builder_class(self.env), MessageCatalogBuilder):
            # Sphinx's RemoveTranslatableInline (999) would unwrap these inlines
            # by moving their text to the *end* of the parent; only the gettext
            # builder needs the flag, to extract the message.
            for inline in inlines:
                if NOTE_TEXT in inline["classes"]:
                    inline.attributes.pop("translatable", None)
        for marker in markers:
            if not marker.get("faq_quote_marker") or not isinstance(marker.parent, quote):
                continue
            node = marker.parent
            node.remove(marker)
            del marker["faq_quote_marker"]
            body = [
                child for child in node.children
                if not isinstance(child, nodes.attribution | note_ref)
            ]
            last = body[-1] if body else None
            if isinstance(last, nodes.paragraph):
                # Glued to the last word, as markers in the text are.
                last += marker
            else:
                node.insert(len(body), nodes.paragraph("", "", marker))
