"""``faq:quote``: an attributed quotation, optionally with a source note."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes

from sphinx_faq_ext.authoring.base import FaqDirective
from sphinx_faq_ext.authoring.cite import cite_note_ref, split_cite
from sphinx_faq_ext.authoring.notes import make_note_ref
from sphinx_faq_ext.nodes import quote
from sphinx_faq_ext.util.names import index_entry

#: Class of the translatable inline holding a ``:note:`` text.
NOTE_TEXT = "faq-note-text"
#: URL schemes ``:url:`` may link to (``javascript:`` and ``data:`` may not).
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "mailto"})
#: Characters that may start inline markup; a text without any is plain already.
_MARKUP = re.compile(r"[*`_|\\\[\]<>{}:]")
_PAGE_RANGE = re.compile("[-\u2013,]")  # hyphen, en dash, comma


def page_locator(page: str) -> str:
    """``33`` -> ``p. 33``; ``133-4`` -> ``pp. 133-4``; ``ch. 2`` stays as written."""
    page = page.strip()
    if not page or not page[0].isdigit():
        return page
    return f"pp. {page}" if _PAGE_RANGE.search(page) else f"p. {page}"


class QuoteDirective(FaqDirective):
    """A quotation with its attribution: author, work, page, source note."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "author": directives.unchanged,
        "source": directives.unchanged,
        "page": directives.unchanged,
        "cite": directives.unchanged,
        "note": directives.unchanged,
        "url": directives.uri,
        # A quotation whose author is unknown on purpose: no missing-author warning.
        "anonymous": directives.flag,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        classes = ["faq-quote", *self.options.get("class", [])]
        node = quote("\n".join(self.content), classes=classes)
        self.with_source(node)
        author = self.options.get("author", "").strip()
        source = self.options.get("source", "").strip()
        # The index of names and the works quoted show plain text, not markup.
        node["author"] = self.plain(author)
        node["source"] = self.plain(source)

        if self.content:
            node.extend(self.parse_content_to_nodes())
        else:
            self.warn("faq:quote has no quoted text", "empty-quote")
        if not author and "anonymous" not in self.options:
            # (docs/reference: ":anonymous:" silences this for one quotation)
            self.warn("faq:quote has no :author:", "missing-author")
        elif author and "anonymous" in self.options:
            self.warn("faq:quote has both :author: and :anonymous:", "anonymous-author")

        for marker in self.note_markers():
            # Joined to the last paragraph by QuoteMarkerTransform, after the
            # i18n transform: translating that paragraph replaces its children.
            marker["faq_quote_marker"] = True
            node += marker

        attribution = self.attribution(author, source)
        if attribution is not None:
            node += attribution
        if not node.children:
            # Nothing to show (warned above); an empty block quote would also
            # trip Sphinx's HandleCodeBlocks transform.
            return []
        if not author:
            return [node]
        # The author goes into the book's index of names (genindex, \printindex).
        # Unique across documents (single-page HTML and the PDF join them all):
        # question anchors are unique, and so is a document's name.
        scope = self.current_anchor() or nodes.make_id(self.env.docname) or "doc"
        target_id = f"{scope}-quote-{self.env.new_serialno(f'faq-quote-{scope}') + 1}"
        node["ids"].append(target_id)
        entry = index_entry(node["author"])
        index = addnodes.index(entries=[("single", entry, target_id, "", None)])
        self.with_source(index)
        return [index, node]

    def note_markers(self) -> list[nodes.Element]:
        """The source notes from ``:cite:`` and ``:note:`` (free text), in that order.

        Both may be given: the citation names the work, the note says more.
        """
        markers: list[nodes.Element] = []
        cite = self.options.get("cite", "").strip()
        if cite:
            key, locator = split_cite(cite)
            locator = locator or page_locator(self.options.get("page", ""))
            ref = cite_note_ref(key, locator, cite, self.env)
            for node in (ref, *ref.children):
                self.with_source(node)
            markers.append(ref)
        text = self.options.get("note", "").strip()
        if text:
            markers.append(self.free_note(text))
        return markers

    def free_note(self, text: str) -> nodes.Element:
        """The marker of a ``:note:``, its text parsed as inline markup."""
        content, messages = self.parse_inline(text, lineno=self.lineno)
        # A translatable inline: the gettext builder extracts the note, and a
        # translation replaces its text (the option is in no paragraph).
        note_text = nodes.inline(text, "", *content, translatable=True, classes=[NOTE_TEXT])
        self.with_source(note_text)
        ref = make_note_ref([note_text, *messages], text)
        self.with_source(ref)
        return ref

    def plain(self, text: str) -> str:
        """*text* (inline markup) as plain text: ``*Kropotkin*`` -> ``Kropotkin``."""
        if not _MARKUP.search(text):
            return " ".join(text.split())
        inline, _messages = self.parse_inline(text, lineno=self.lineno)
        return " ".join(nodes.inline("", "", *inline).astext().split())

    def safe_url(self) -> str:
        """``:url:`` if it is a web, mail or relative address, else ``""`` (warned)."""
        url = self.options.get("url", "")
        scheme = url.partition(":")[0].lower() if ":" in url else ""
        if scheme and not re.fullmatch(r"[a-z][a-z0-9+.-]*", scheme):
            scheme = ""  # "a/b:c" is a relative path, not a scheme
        if scheme and scheme not in SAFE_SCHEMES:
            self.warn(
                f":url: {url!r} is not an http(s), ftp or mailto address; not linked",
                "unsafe-url",
            )
            return ""
        return url

    def attribution(self, author: str, source: str) -> nodes.attribution | None:
        """``Errico Malatesta, *Anarchy*, p. 33`` as an ``attribution`` node."""
        page = self.options.get("page", "").strip()
        url = self.safe_url()
        raw_url = self.options.get("url", "")
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
        elif raw_url:  # an unsafe address: shown, not linked
            parts.append([nodes.Text(raw_url)])
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
