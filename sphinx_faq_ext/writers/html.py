"""HTML (and, through fallback, ePub and singlehtml) rendering.

ePub needs ``epub:type`` beside the ARIA roles so e-readers show pop-up notes;
the visitors branch on the builder instead of registering ``epub=`` visitors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.locale import get_translation

from sphinx_faq_ext.config import faq_config
from sphinx_faq_ext.nodes import quote_parts
from sphinx_faq_ext.transforms.notes import glued_before
from sphinx_faq_ext.util.builder import FOOTNOTE_CLASS, is_epub, is_print_html

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_faq_ext.nodes import note_backlink, note_item, note_ref, notes_list, quote

_ = get_translation("sphinx_faq_ext")


def _is_epub(self: HTML5Translator) -> bool:
    return is_epub(self.builder)


def visit_quote(self: HTML5Translator, node: quote) -> None:
    """``<figure><blockquote>…</blockquote><figcaption>— …</figcaption></figure>``."""
    self.body.append(self.starttag(node, "figure", "", CLASS="faq-quote"))
    url = ""
    for ref in node.findall(nodes.reference):
        if isinstance(ref.parent, nodes.attribution) and ref.get("refuri"):
            url = ref["refuri"]
            break
    attrs = {"cite": url} if url else {}
    self.body.append(self.starttag(nodes.Element(), "blockquote", "", **attrs))
    body, attribution = quote_parts(node)
    for child in body:
        child.walkabout(self)
    self.body.append("</blockquote>\n")
    if attribution is not None:
        self.body.append('<figcaption class="attribution">—\u00a0')
        for child in attribution.children:
            child.walkabout(self)
        self.body.append("</figcaption>\n")
    self.body.append("</figure>\n")
    raise nodes.SkipNode


def depart_quote(self: HTML5Translator, node: quote) -> None:
    """Never reached: :func:`visit_quote` renders the whole quote."""


def visit_note_ref(self: HTML5Translator, node: note_ref) -> None:
    """The marker, linking to its note; sidenote text in ``footnotes`` style."""
    number = node.get("number", 0)
    if is_print_html(self.builder) and node.get("style") == "footnotes" and node.children:
        # WeasyPrint floats this span to the foot of the marker's page and
        # draws the marker itself (::footnote-call) from data-marker.
        marker = faq_config(self.config).marker(number)
        self.body.append(
            self.starttag(
                node, "span", "", CLASS=FOOTNOTE_CLASS,
                **{"data-number": str(number), "data-marker": marker},
            )
        )
        return
    attrs = {
        "href": f"#{node['refid']}",
        "role": "doc-noteref",
        "CLASS": "faq-noteref",
    }
    if _is_epub(self):
        attrs["epub:type"] = "noteref"
        _glue_to_text_before(self, node)
    self.body.append(self.starttag(node, "a", "", **attrs))
    self.body.append(self.encode(faq_config(self.config).marker(number)))
    self.body.append("</a>")
    if node.get("style") == "footnotes" and node.children and not _is_epub(self):
        # Shown in the margin on wide screens; the end list serves narrow ones.
        self.body.append(
            f'<span class="faq-sidenote" aria-hidden="true">'
            f'<span class="faq-sidenote-number">{number}</span> '
        )
        return
    raise nodes.SkipNode


def _glue_to_text_before(self: HTML5Translator, node: note_ref) -> None:
    """The ePub's :func:`~sphinx_faq_ext.transforms.notes.glue_note_markers`,
    done on the text just written instead of on the doctree.

    A marker after a space (``behaviour." [1]``) may start a line on an
    e-reader's narrow screen: the space becomes a no-break space.  The
    translator meets every marker anyway, so the ePub no longer walks each
    page's doctree once more to find them before writing it (0.12 G of the
    26.6 G instructions of a 100-question book).  The text
    written last is replaced only when it is the encoded text node before
    the marker, so the page is the one the doctree glued beforehand made.
    """
    glued = glued_before(node)
    if glued is not None and self.body and self.body[-1] == self.encode(glued[0].astext()):
        # A Text node keeps rST escapes as NULs: astext() drops them.
        self.body[-1] = self.encode(glued[1].astext())


def depart_note_ref(self: HTML5Translator, node: note_ref) -> None:
    """Close the sidenote opened by :func:`visit_note_ref`."""
    self.body.append("</span>")


def notes_label(node: notes_list) -> str:
    """The accessible name of a question's notes: "Notes to A.2.6".

    A page holding several questions holds several ``doc-endnotes``
    landmarks; each needs its own name (axe ``landmark-unique``).
    """
    question = node.get("question")
    if not question:
        return _("Notes")
    return _("Notes to %(question)s") % {"question": question}


def visit_notes_list(self: HTML5Translator, node: notes_list) -> None:
    """``<section role="doc-endnotes">`` (``epub:type="endnotes"`` in ePub)."""
    attrs = {"role": "doc-endnotes", "CLASS": "faq-notes", "aria-label": notes_label(node)}
    if _is_epub(self):
        attrs["epub:type"] = "endnotes"
    self.body.append(self.starttag(node, "section", "", **attrs))


def depart_notes_list(self: HTML5Translator, node: notes_list) -> None:
    """Close the notes section."""
    self.body.append("</section>\n")


def visit_note_item(self: HTML5Translator, node: note_item) -> None:
    """One ``<li>`` per note (``epub:type="endnote"`` in ePub)."""
    attrs = {"CLASS": "faq-note"}
    if _is_epub(self):
        attrs["epub:type"] = "endnote"
    self.body.append(self.starttag(node, "li", "", **attrs))


def depart_note_item(self: HTML5Translator, node: note_item) -> None:
    """Close the list item."""
    self.body.append("</li>\n")


def visit_note_backlink(self: HTML5Translator, node: note_backlink) -> None:
    """``<a role="doc-backlink">`` back to the marker."""
    self.body.append(
        self.starttag(
            node,
            "a",
            "",
            href=f"#{node['refid']}",
            role="doc-backlink",
            CLASS="faq-backlink",
            **{"aria-label": _("Back to text")},
        )
    )
    # U+FE0E keeps the arrow a text glyph instead of an emoji on phones.
    self.body.append("↩\ufe0e</a>")
    raise nodes.SkipNode


def depart_note_backlink(self: HTML5Translator, node: note_backlink) -> None:
    """Never reached."""


def visit_notes_placeholder(self: HTML5Translator, node: nodes.Element) -> None:
    """Placeholders are replaced at read time; render nothing if one survives."""
    raise nodes.SkipNode


def depart_notes_placeholder(self: HTML5Translator, node: nodes.Element) -> None:
    """Never reached."""
