"""Recognise bracketed citations (``[<b>Anarchy</b>, p. 29]``) and turn them into notes.

A bracket is a citation when it stands outside the quoted (italic) text and
carries a sign of one: a work title in bold, a page (``p. 29``, ``pp. 3-4``),
``Op. Cit.``, ``Ibid.``, ``quoted in``, ``vol.``, a year or a URL.  Brackets
inside a word (``[n]othing``), editorial ones (``[sic]``, ``[or her]``,
``[...]``) and brackets inside quoted text stay in the text.  A bracket with
no sign either way stays in the text and is reported as uncertain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sphinx_faq_ext.importer.model.page import Inline, Link, Note, Styled, Text, inline_text

_SIGNS = re.compile(
    r"\bpp?\.\s*[\dxivlc]|\bop\.?\s*cit|\bibid|\bquoted (?:in|by)\b|\bvol\.|\bno\.\s*\d|"
    r"\bchapter\b|\bch\.\s*\d|https?://|\b(?:1[4-9]|20)\d\d\b|\bpage\b|\bed\.|\beds\.|"
    r"\bcited in\b|\bloc\.?\s*cit",
    re.IGNORECASE,
)
_EDITORIAL = re.compile(r"^\s*(?:sic|\.[\s.]*|…|\?|!|emphasis\b.*|my emphasis.*|original "
                        r"emphasis.*|our emphasis.*)\s*$", re.IGNORECASE)

#: Report callback: (kind, line, message).
Reporter = Callable[[str, int, str], None]


@dataclass
class _Span:
    """Where a bracket opens and closes in a list of siblings."""

    start: int  # index of the sibling holding "["
    start_offset: int
    end: int  # index of the sibling holding "]"
    end_offset: int


def _find_close(siblings: list[Inline], index: int, offset: int) -> tuple[int, int] | None:
    """The sibling and offset of the ``]`` matching the ``[`` at (*index*, *offset*)."""
    depth = 0
    for i in range(index, len(siblings)):
        node = siblings[i]
        if isinstance(node, Text):
            text = node.text
            for j in range(offset + 1 if i == index else 0, len(text)):
                if text[j] == "[":
                    depth += 1
                elif text[j] == "]":
                    if depth == 0:
                        return i, j
                    depth -= 1
        elif isinstance(node, Styled | Link):
            inner = inline_text(node.children)
            depth += inner.count("[") - inner.count("]")
            if depth < 0:
                return None  # the bracket closes inside formatting: not ours to move
    return None


def _span_content(siblings: list[Inline], span: _Span) -> list[Inline]:
    """The inlines between the brackets of *span*."""
    if span.start == span.end:
        text = siblings[span.start]
        assert isinstance(text, Text)
        return [Text(text.text[span.start_offset + 1:span.end_offset])]
    first = siblings[span.start]
    last = siblings[span.end]
    assert isinstance(first, Text) and isinstance(last, Text)
    content: list[Inline] = [Text(first.text[span.start_offset + 1:])]
    content.extend(siblings[span.start + 1:span.end])
    content.append(Text(last.text[:span.end_offset]))
    return [c for c in content if not (isinstance(c, Text) and not c.text)]


def classify(content: list[Inline], before: str, after: str) -> str:
    """``citation``, ``editorial`` or ``uncertain`` for a bracket's *content*.

    *before*/*after* are the characters around the brackets.
    """
    text = inline_text(content).strip()
    if not text:
        return "editorial"
    if (before and before.isalnum()) or (after and after.isalnum()):
        return "editorial"  # [n]othing, man[kind]
    if _EDITORIAL.match(text):
        return "editorial"
    titled = any(isinstance(c, Styled) and c.kind in ("strong", "em") for c in content)
    if titled or _SIGNS.search(text):
        return "citation"
    if len(text.split()) <= 5:
        return "editorial"  # [or her], [and women], [on the ruling elite]
    return "uncertain"


class CitationFinder:
    """Replace citations in inline runs by :class:`Note` inlines."""

    def __init__(self, report: Reporter) -> None:
        self.report = report

    def run(self, siblings: list[Inline], line: int, in_quote_text: bool = False) -> list[Inline]:
        """*siblings* with their citations made notes (recursing outside italics)."""
        out: list[Inline] = []
        index = 0
        siblings = list(siblings)
        while index < len(siblings):
            node = siblings[index]
            if isinstance(node, Styled):
                quoted = in_quote_text or node.kind in ("em", "code")  # code: never notes
                node.children = self.run(node.children, line, quoted)
            if not isinstance(node, Text) or "[" not in node.text or in_quote_text:
                out.append(node)
                index += 1
                continue
            offset = node.text.index("[")
            close = _find_close(siblings, index, offset)
            if close is None:
                self.report("unbalanced-bracket", line,
                            f"a '[' with no matching ']' stays in the text: "
                            f"{node.text[offset:offset + 60]!r}")
                out.append(Text(node.text[:offset + 1]))
                siblings[index] = Text(node.text[offset + 1:])
                continue
            span = _Span(index, offset, *close)
            content = _span_content(siblings, span)
            before = node.text[offset - 1] if offset else _last_char(out)
            last = siblings[span.end]
            assert isinstance(last, Text)
            after = last.text[span.end_offset + 1:span.end_offset + 2]
            kind = classify(content, before, after)
            if kind == "uncertain":
                self.report("uncertain-bracket", line,
                            f"bracket kept in the text (no sign of a citation): "
                            f"[{inline_text(content).strip()[:80]}]")
            if kind != "citation":
                out.append(Text(node.text[:offset + 1]))
                if span.end == index:
                    siblings[index] = Text(node.text[offset + 1:])
                else:
                    siblings[index] = Text(node.text[offset + 1:])
                continue
            out.append(Text(node.text[:offset]))
            out.append(Note(_strip_edges(content), line))
            siblings[span.end] = Text(last.text[span.end_offset + 1:])
            index = span.end
        return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _last_char(out: list[Inline]) -> str:
    text = inline_text(out[-1:]) if out else ""
    return text[-1:] if text else ""


def _strip_edges(content: list[Inline]) -> list[Inline]:
    """Content without the spaces just inside the brackets."""
    if content and isinstance(content[0], Text):
        content[0] = Text(content[0].text.lstrip())
    if content and isinstance(content[-1], Text):
        content[-1] = Text(content[-1].text.rstrip())
    return [c for c in content if not (isinstance(c, Text) and not c.text)]


_QUOTER = re.compile(
    r"^(?:(?P<speaker>.*?)[,;]?\s+)?(?:as\s+)?(?:(?:quoted|cited)(?:\s+approvingly)?"
    r"(?:\s+(?:by|in))?|contained\s+in)[,:]?\s+(?P<quoter>.+)$",
    re.IGNORECASE)
_EDITOR = re.compile(r"\(\s*(?:ed|eds|editors?|trans|tr)\.?\s*\)|\beds?\.$", re.IGNORECASE)
_LEADING_NOISE = re.compile(r"^(?:see(?:\s+also)?|cf\.?|also|in|our emphasis|my emphasis|"
                            r"emphasis added|original emphasis)[,:]?\s+", re.IGNORECASE)


@dataclass
class CitationHead:
    """Who a citation names before its first title (``[Lenin, quoted by Brinton, <b>…``).

    ``speakers`` wrote the words cited; ``quoters`` quote them in their own
    work; ``editors`` edited the work cited.  A speaker may be no name at all
    (``C.N.T. member``): then nobody can be sure who speaks.
    """

    speakers: list[str]
    quoters: list[str]
    editors: list[str]


def _names(text: str) -> list[str]:
    """``Marx, Engels and Lenin`` → the three; ``(ed.)`` marks are left out."""
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    parts = re.split(r",\s*and\s+|\s+and\s+|\s*&\s*|,\s*", text)
    if len(parts) == 2 and len(parts[0].split()) == 1 and len(parts[1].split()) == 2:
        # ``Daniel and Gabriel Cohn-Bendit``: a lone given name shares the surname.
        parts[0] = f"{parts[0]} {parts[1].split()[1]}"
    return [p.strip(" .") if not re.search(r"\b[A-Z]\.$", p.strip()) else p.strip()
            for p in parts if p.strip(" .")]


def citation_head(note: list[Inline]) -> CitationHead | None:
    """The names a citation starts with, up to its first title; ``None`` if it names none."""
    before: list[str] = []
    for child in note:
        if isinstance(child, Styled):
            break
        before.append(inline_text([child]))
    else:
        # No title: ``[quoted by Avrich, p. 3]``: only a quoter can be read off.
        text = inline_text(note)
        match = re.search(r"\b(?:quoted|cited)\s+(?:by|in)\s+([^,;\]]+)", text, re.IGNORECASE)
        return CitationHead([], _names(match.group(1)), []) if match else None
    text = re.sub(r"\s+", " ", "".join(before)).strip()
    if not text.endswith((",", ":")) and not re.search(r"\b(?:in|by)$", text):
        return None
    text = _LEADING_NOISE.sub("", text.rstrip(",: ")).strip()
    text = re.sub(r"\s*\((?:a\.k\.a\.|aka|i\.e\.)[^)]*\)", "", text)
    if not text:
        return None
    head = CitationHead([], [], [])
    match = _QUOTER.match(text)
    if match:
        head.quoters = _names(_EDITOR.sub("", match.group("quoter")))
        text = (match.group("speaker") or "").strip(" ,;")
        if not text:
            return head
    if _EDITOR.search(text):
        head.editors = _names(_EDITOR.sub("", text))
        return head
    head.speakers = _names(re.sub(r"\s*\([^)]*\)", "", text))
    return head


def cited_names(note: list[Inline]) -> list[str]:
    """Every name the head of citation *note* gives (speakers, quoters, editors)."""
    head = citation_head(note)
    return [] if head is None else [*head.speakers, *head.quoters, *head.editors]
