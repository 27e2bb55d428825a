"""schema.org ``FAQPage`` JSON-LD for the questions of each HTML page.

Built from the page's doctree in ``html-page-context``: one ``Question`` per
question section, named ``"A.2.6 Why is solidarity important to anarchists?"``,
whose ``acceptedAnswer`` is the text of the answer without its sub-questions,
note markers and notes list.  ePub builders also fire ``html-page-context`` but
an e-book is no web page for search engines: they get nothing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_faq_ext.nodes import is_question, note_ref, notes_list
from sphinx_faq_ext.util.builder import is_website

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Characters that could end the ``<script>`` element or open a comment or
#: entity inside it, and their ``\\uXXXX`` escapes (JSON allows writing them so).
#: Replaced one by one with ``str.replace``: ``str.translate`` with a table
#: looks each character up in it, which took 2.14 s for the 700 pages of the
#: real book (10.9 million characters of JSON) against 0.11 s.
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def wants_jsonld(app: Sphinx) -> bool:
    """HTML-format builders that publish web pages (not ePub)."""
    return is_website(app.builder)


def question_name(section: nodes.section) -> str:
    """``"A.2.6 Why is solidarity important to anarchists?"``."""
    title = section.next_node(nodes.title)
    text = _block_text(title) if title is not None else ""
    number = str(section.get("faq_number", ""))
    if number and not text.startswith(number):
        text = f"{number} {text}".strip()
    return text


def _is_note(node: nodes.Node) -> bool:
    """A note marker, or a note shown inline (the "inline" notes style)."""
    return isinstance(node, note_ref) or (
        isinstance(node, nodes.inline) and "faq-note-inline" in node["classes"]
    )


def _text_without_notes(node: nodes.Node) -> str:
    """``node.astext()`` with every note left out, without copying the tree.

    A left-out note leaves its parent's ``child_text_separator`` (whitespace)
    around an empty string; :func:`_block_text` collapses whitespace, so that
    reads the same as removing it.  A node holding a note with its own
    ``astext`` or a separator that is not whitespace (``option_group``) is
    copied and stripped as before.
    """
    if _is_note(node):
        return ""
    if not isinstance(node, nodes.Element):
        return node.astext()
    if type(node).astext is not nodes.Element.astext or node.child_text_separator.strip():
        if any(True for _ in node.findall(_is_note, include_self=False)):
            return _copy_without_notes(node).astext()
        return node.astext()
    return node.child_text_separator.join(
        _text_without_notes(child) for child in node.children
    )


def _copy_without_notes(node: nodes.Node) -> nodes.Node:
    copy = node.deepcopy()
    for marker in list(copy.findall(note_ref)):
        marker.parent.remove(marker)
    for inline in list(copy.findall(nodes.inline)):  # the "inline" notes style
        if "faq-note-inline" in inline["classes"]:
            inline.parent.remove(inline)
    return copy


def _block_text(node: nodes.Node) -> str:
    """The text of one body element, without note markers (or sidenote copies)."""
    return " ".join(_text_without_notes(node).split())


def answer_text(section: nodes.section) -> str:
    """The answer: the question's own body, paragraphs separated by blank lines."""
    blocks = []
    for child in section.children:
        if isinstance(child, nodes.title | notes_list | nodes.target) or is_question(child):
            continue
        if isinstance(child, nodes.section):
            # A heading inside the answer is part of it; its questions are not.
            blocks.append(answer_text(child))
            continue
        text = _block_text(child)
        if text:
            blocks.append(text)
    return "\n\n".join(block for block in blocks if block)


def faq_page(doctree: nodes.document) -> dict[str, Any] | None:
    """The ``FAQPage`` object of a page, or ``None`` when it holds no question."""
    questions = [
        {
            "@type": "Question",
            "name": question_name(section),
            "acceptedAnswer": {"@type": "Answer", "text": answer_text(section)},
        }
        for section in doctree.findall(nodes.section)
        if is_question(section)
    ]
    if not questions:
        return None
    return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}


def script_json(data: Any) -> str:
    """*data* as JSON that cannot break out of, or be misparsed in, ``<script>``."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    for character, escape in _SCRIPT_ESCAPES:  # no escape holds a character escaped
        text = text.replace(character, escape)
    return text


def add_jsonld(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``html-page-context``: append the page's JSON-LD to ``metatags``."""
    if doctree is None or not wants_jsonld(app):
        return
    data = faq_page(doctree)
    if data is None:
        return
    script = f'\n<script type="application/ld+json">{script_json(data)}</script>'
    context["metatags"] = context.get("metatags", "") + script


def setup_jsonld(app: Sphinx) -> None:
    """Add JSON-LD to the HTML pages that hold questions."""
    app.connect("html-page-context", add_jsonld)
