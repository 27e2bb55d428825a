"""``faq:quote``: an attributed quotation, optionally with a source note."""

from __future__ import annotations

import re
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from sphinx_faq_ext.authoring.base import FaqDirective
from sphinx_faq_ext.authoring.notes import make_note_ref
from sphinx_faq_ext.nodes import quote

_PAGE_RANGE = re.compile(r"[-–,]")


def page_locator(page: str) -> str:
    """``33`` -> ``p. 33``; ``133-4`` -> ``pp. 133-4``; ``ch. 2`` stays as written."""
    page = page.strip()
    if not page or not page[0].isdigit():
        return page
    return f"pp. {page}" if _PAGE_RANGE.search(page) else f"p. {page}"


class QuoteDirective(FaqDirective):
    """A quotation with its attribution: author, work, page, source note."""

    has_content = True
    option_spec: ClassVar[dict] = {
        "author": directives.unchanged,
        "source": directives.unchanged,
        "page": directives.unchanged,
        "cite": directives.unchanged,
        "note": directives.unchanged,
        "url": directives.uri,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        node = quote("\n".join(self.content), classes=["faq-quote", *self.options.get("class", [])])
        self.with_source(node)
        author = self.options.get("author", "").strip()
        source = self.options.get("source", "").strip()
        node["author"] = author
        node["source"] = source

        if self.content:
            node.extend(self.parse_content_to_nodes())
        else:
            self.warn("faq:quote has no quoted text", "empty-quote")
        if not author:
            self.warn("faq:quote has no :author:", "missing-author")

        marker = self.note_marker()
        if marker is not None:
            last = node.children[-1] if node.children else None
            if isinstance(last, nodes.paragraph):
                last += nodes.Text(" ")
                last += marker
            else:
                node += nodes.paragraph("", "", marker)

        attribution = self.attribution(author, source)
        if attribution is not None:
            node += attribution
        return [node]

    def note_marker(self) -> nodes.Element | None:
        """The source note from ``:note:`` (free text) or ``:cite:``, if any."""
        text = self.options.get("note", "").strip()
        if not text:
            cite = self.options.get("cite", "").strip()
            if not cite:
                return None
            # Without a bibliography backend the key and locator stay readable.
            text = cite
        content, messages = self.parse_inline(text, lineno=self.lineno)
        ref = make_note_ref([*content, *messages], text)
        self.with_source(ref)
        return ref

    def attribution(self, author: str, source: str) -> nodes.attribution | None:
        """``Errico Malatesta, *Anarchy*, p. 33`` as an ``attribution`` node."""
        page = self.options.get("page", "").strip()
        url = self.options.get("url", "")
        parts: list[list[nodes.Node]] = []
        if author:
            inline, _messages = self.parse_inline(author, lineno=self.lineno)
            parts.append(list(inline))
        if source:
            inline, _messages = self.parse_inline(source, lineno=self.lineno)
            work: nodes.Element = nodes.title_reference(source, "", *inline)
            if url:
                work = nodes.reference(source, "", work, refuri=url)
            parts.append([work])
        elif url:
            parts.append([nodes.reference(url, url, refuri=url)])
        if page:
            parts.append([nodes.Text(page_locator(page))])
        if not parts:
            return None
        attribution = nodes.attribution()
        self.with_source(attribution)
        for index, part in enumerate(parts):
            if index:
                attribution += nodes.Text(", ")
            attribution.extend(part)
        return attribution
