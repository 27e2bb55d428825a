"""``faq:cite``: a numbered source note formatted from a BibTeX entry.

``{faq:cite}`malatesta1974, p. 29``` becomes a :class:`note_ref` whose text is
a :class:`cite_pending` placeholder.  sphinxcontrib-bibtex parses the
``bibtex_bibfiles`` on ``builder-inited``, before any document is read, so the
entry is known at read time: :class:`CiteFormattingTransform` (priority 390)
replaces each placeholder with the formatted note *before* the numbering
transform (400) moves note texts into the question's notes list.  It knows the
whole document, so it can give the first citation of a work in a question the
full form and later ones the short form.

:class:`CiteRegistrationTransform` (after numbering) then tells
sphinxcontrib-bibtex the work is cited, using the note marker's id, so
``{bibliography}`` lists it and can link back.  Each citing document depends
on the bib files: editing one re-reads exactly those documents.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from sphinx_faq_ext.authoring.cite import cites
from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import cite_pending, enclosing_question, note_item, note_ref, quote
from sphinx_faq_ext.transforms import pybtex_style
from sphinx_faq_ext.util.names import index_entry

if TYPE_CHECKING:
    from pybtex.database import Entry
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Class of the formatted note text; it carries ``faq_key``, ``faq_author``, ``faq_work``.
CITE_CLASS = "faq-cite"


@cache
def _backend() -> Any:
    """pybtex's docutils backend, imported by the first document that cites:
    pybtex-docutils loads pybtex's BibTeX parser, which a book without
    ``faq:cite`` never needs."""
    from pybtex_docutils import Backend

    return Backend()


def bibtex_domain(env: BuildEnvironment) -> Any | None:
    """sphinxcontrib-bibtex's ``cite`` domain, or ``None`` if it is not loaded."""
    try:
        return env.get_domain("cite")
    except ExtensionError:
        return None


class CiteFormattingTransform(SphinxTransform):
    """Replace each :class:`cite_pending` by its formatted note text."""

    default_priority = 390  # before NoteNumberingTransform (400) moves note texts

    def apply(self, **kwargs: Any) -> None:
        if not cites(self.env):
            return
        pendings = list(self.document.findall(cite_pending))
        if not pendings:
            return
        domain = bibtex_domain(self.env)
        if domain is None:
            for pending in pendings:
                self.warn(pending, "faq:cite needs 'sphinxcontrib.bibtex' in extensions "
                          "and bibtex_bibfiles in conf.py", "cite-without-bibtex")
                pending.replace_self(self.unresolved(pending))
            return
        for bibfile in domain.bibdata.bibfiles:
            # Editing a bib file re-reads the documents that cite from it.
            self.env.note_dependency(str(bibfile))
        settings = faq_config(self.config)
        style, short = settings.cite_style, settings.cite_short
        seen: dict[int, set[str]] = {}  # question -> keys already cited in it
        for pending in pendings:
            key = pending["key"]
            entry = domain.bibdata.data.entries.get(key) if key else None
            if entry is None:
                if key:
                    self.warn(pending, f"unknown BibTeX key {key!r} in faq:cite", "unknown-cite")
                else:
                    self.warn(pending, "faq:cite needs a BibTeX key, as in "
                              "{faq:cite}`malatesta1974, p. 29`", "malformed-cite")
                pending.replace_self(self.unresolved(pending))
                continue
            question = enclosing_question(pending)
            cited = seen.setdefault(id(question), set())
            later = short and key in cited
            cited.add(key)
            pending.replace_self(self.formatted(pending, entry, style, later))

    def formatted(
        self, pending: cite_pending, entry: Entry, style: str, later: bool
    ) -> nodes.inline:
        """The full (first) or short (later) form of *entry*, then the locator."""
        text = pybtex_style.short_form(entry) if later else pybtex_style.full_form(style, entry)
        inline = nodes.inline(
            "",
            "",
            classes=[CITE_CLASS, f"{CITE_CLASS}-{'short' if later else 'full'}"],
            faq_key=entry.key,
            faq_author=pybtex_style.author_name(entry),
            faq_work=pybtex_style.work_title(entry),
        )
        inline.extend(text.render(self.backend))
        if pending["locator"]:
            inline += nodes.Text(f", {pending['locator']}")
        inline.source, inline.line = pending.source, pending.line
        return inline

    @property
    def backend(self) -> Any:
        """pybtex's docutils backend: rich text to docutils nodes."""
        return _backend()

    def unresolved(self, pending: cite_pending) -> nodes.inline:
        """The key and locator as written, so no text is dropped."""
        text = ", ".join(part for part in (pending["key"], pending["locator"]) if part)
        return nodes.inline(text, text, classes=[CITE_CLASS, f"{CITE_CLASS}-missing"])

    def warn(self, node: nodes.Element, message: str, subtype: str) -> None:
        logger.warning(message, type="faq", subtype=subtype, location=node)


def quoted_with_author(marker: note_ref | None) -> bool:
    """Whether *marker* ends a ``faq:quote`` whose ``:author:`` is indexed already."""
    parent = marker.parent if marker is not None else None
    while parent is not None:
        if isinstance(parent, quote):
            return bool(parent.get("author"))
        parent = parent.parent
    return False


def cite_inlines(tree: nodes.Element) -> list[nodes.inline]:
    """The formatted ``faq:cite`` note texts in *tree*."""
    return [
        node for node in tree.findall(nodes.inline)
        if CITE_CLASS in node["classes"] and node.get("faq_key")
    ]


class CiteRegistrationTransform(SphinxTransform):
    """Record each resolved citation with sphinxcontrib-bibtex; index its author."""

    default_priority = 410  # after NoteNumberingTransform has given markers their ids

    def apply(self, **kwargs: Any) -> None:
        inlines = cite_inlines(self.document) if cites(self.env) else []
        domain = bibtex_domain(self.env) if inlines else None
        if domain is None:
            return
        from sphinxcontrib.bibtex.citation_target import CitationTarget
        from sphinxcontrib.bibtex.roles import CitationRef

        markers = {ref["ids"][0]: ref for ref in self.document.findall(note_ref) if ref["ids"]}
        for inline in inlines:
            marker_id = self.marker_id(inline)
            domain.citation_refs.append(
                CitationRef(
                    citation_ref_id=marker_id,
                    docname=self.env.docname,
                    line=inline.line or 0,
                    targets=[CitationTarget(key=inline["faq_key"], pre="", post="")],
                )
            )
            marker = markers.get(marker_id)
            if inline["faq_author"] and not quoted_with_author(marker):
                self.index_author(inline, marker)

    def marker_id(self, inline: nodes.inline) -> str:
        """The id of the note marker citing, or an id on the text itself."""
        parent = inline.parent
        while parent is not None and not isinstance(parent, note_item):
            parent = parent.parent
        if parent is not None and parent.get("backrefs"):
            return parent["backrefs"][0]
        if not inline["ids"]:  # a note outside any question stays inline
            self.document.set_id(inline)
        return inline["ids"][0]

    @staticmethod
    def outside_brackets(inline: nodes.inline) -> nodes.Element:
        """The bracketed note holding *inline* when it is outside any question.

        The index entry goes beside the brackets, not inside: in a section
        title Sphinx's LaTeX IndexInSectionTitleTransform moves only the index
        nodes that are the title's own children, and fails on nested ones.
        """
        node: nodes.Element = inline
        parent = inline.parent
        while isinstance(parent, nodes.inline):
            if "faq-note-inline" in parent["classes"]:
                node = parent
            parent = parent.parent
        return node

    def index_author(self, inline: nodes.inline, marker: note_ref | None) -> None:
        """An index entry for the cited author, at the marker (or the inline text)."""
        anchor = marker if marker is not None else self.outside_brackets(inline)
        target_id = f"index-{self.env.new_serialno('index')}"
        entry = ("single", index_entry(inline["faq_author"]), target_id, "", None)
        index = addnodes.index(entries=[entry], inline=True)
        target = nodes.target("", "", ids=[target_id])
        position = anchor.parent.index(anchor)
        anchor.parent.insert(position, target)
        anchor.parent.insert(position, index)
