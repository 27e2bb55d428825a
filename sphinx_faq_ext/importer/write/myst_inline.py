"""Inline runs as MyST: emphasis, links by number, notes as ``faq:note`` roles.

Emphasis is the subtle part: CommonMark only reads ``*word*`` as emphasis
under its flanking rules, so spaces and line breaks move outside the
delimiters, and each run is parsed back (:func:`.escaping.read_back`);
emphasis MyST would misread is dropped — never its text — and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sphinx_faq_ext.importer.model.page import (
    Break,
    Image,
    Inline,
    Link,
    Note,
    Styled,
    Text,
    inline_text,
)
from sphinx_faq_ext.importer.write.escaping import (
    SPACES,
    escape_line_start,
    escape_text,
    read_back,
    role,
)


@dataclass
class _Token:
    kind: str  # "text", "open", "close"
    value: str
    pair: int = -1
    plain: str = ""
    note: bool = False  # a note marker (faq:note role)


@dataclass
class InlineWriter:
    """Render inline runs; links go through *resolve* (question and page links)."""

    doc_of_page: Callable[[str], str] = lambda slug: slug
    lost: list[tuple[str, int, str]] = field(default_factory=list)
    where: tuple[str, int] = ("", 0)
    #: Outside questions a citation stays in brackets: notes belong to questions.
    notes_as_text: bool = False
    _open: list[str] = field(default_factory=list)

    def render(self, inlines: list[Inline], single_line: bool = False) -> str:
        """MyST for *inlines*, whitespace collapsed, edges trimmed."""
        tokens: list[_Token] = []
        saved, self._open = self._open, []
        try:
            self._tokens(inlines, tokens, single_line)
        finally:
            self._open = saved
        _collapse(tokens)
        _glue_notes(tokens)
        self._check_flanking(tokens)
        return self._verified(tokens)

    def _verified(self, tokens: list[_Token]) -> str:
        """The MyST of *tokens*, proven to read back as the same text.

        CommonMark's emphasis rules (flanking, the rule of three, nesting)
        are subtle: the text is parsed back with markdown-it, and emphasis
        pairs are dropped, first to last, until it reads as the same text
        as without any emphasis.  Dropped emphasis is reported.
        """
        text = _finish(tokens)
        pairs = [t.pair for t in tokens if t.kind == "open" and "*" in t.value]
        if not pairs:
            return text
        plain = [_Token(t.kind, t.value.replace("*", "") if t.kind != "text" else t.value)
                 for t in tokens]
        want = read_back(_finish(plain))
        for pair in [None, *pairs]:
            if pair is not None:
                _drop(*(t for t in tokens if t.pair == pair and t.kind != "text"))
                self.lost.append((*self.where, "emphasis dropped (MyST would misread it) in: "
                                  f"{_finish(plain)[:70]!r}"))
            text = _finish(tokens)
            if read_back(text) == want:
                return text
        return text

    def _tokens(self, inlines: list[Inline], out: list[_Token], single_line: bool) -> None:
        for inline in inlines:
            if isinstance(inline, Text):
                out.append(_Token("text", escape_text(SPACES.sub(" ", inline.text)),
                                  plain=inline.text))
            elif isinstance(inline, Break):
                out.append(_Token("text", " " if single_line else "\\\n", plain="\n"))
            elif isinstance(inline, Styled):
                self._styled(inline, out, single_line)
            elif isinstance(inline, Link):
                # Spaces at the edges of a link's text are the sentence's, not the link's.
                text = inline_text(inline.children)
                if text[:1].isspace():
                    out.append(_Token("text", " "))
                out.append(_Token("text", self.link(inline), plain=text))
                if text[-1:].isspace():
                    out.append(_Token("text", " "))
            elif isinstance(inline, Note) and self.notes_as_text:
                out.append(_Token("text", "\\["))
                self._tokens(inline.children, out, single_line)
                out.append(_Token("text", "\\]"))
            elif isinstance(inline, Note):
                out.append(_Token("text", self.note(inline), plain="[]", note=True))
            elif isinstance(inline, Image):
                alt = escape_text(inline.alt)
                out.append(_Token("text", f"![{alt}](<{inline.src}>)", plain=inline.alt))

    def _styled(self, inline: Styled, out: list[_Token], single_line: bool) -> None:
        text = inline_text(inline.children)
        if not text.strip() and not any(isinstance(c, Note | Image) for c in inline.children):
            self._tokens(inline.children, out, single_line)
            return
        if inline.kind in ("sup", "sub", "code"):
            name = {"sup": "sup", "sub": "sub", "code": "code"}[inline.kind]
            content = SPACES.sub(" ", text)
            out.append(_Token("text", role(name, content) if content.strip() else content,
                              plain=text))
            return
        delimiter = "**" if inline.kind == "strong" else "*"
        if delimiter in self._open:  # emphasis inside the same emphasis: already marked
            self._tokens(inline.children, out, single_line)
            return
        pair = len(out)
        out.append(_Token("open", delimiter, pair))
        self._open.append(delimiter)
        try:
            self._tokens(inline.children, out, single_line)
        finally:
            self._open.pop()
        out.append(_Token("close", delimiter, pair))

    def note(self, note: Note) -> str:
        """A note of a question: the ``faq:note`` role."""
        return role("faq:note", self.render(titles_in_italics(note.children), True))

    def question_ref(self, text: str, number: str) -> str:
        """A link saying *text* to question *number*: the ``faq:ref`` role."""
        return role("faq:ref", f"{text} <{number}>")

    def link(self, link: Link) -> str:
        """A question reference, a page reference or an external link."""
        text = " ".join(inline_text(link.children).split())
        plain_ok = text and not re.search(r"[`<>\\]", text)
        if link.question:
            if plain_ok:
                return self.question_ref(text, link.question)
            self.lost.append((*self.where,
                              f"link text {text!r} kept without its link to {link.question}"))
            return self.render(link.children, True)
        if link.page == "?":
            return self.render(link.children, True)
        if link.page:
            if plain_ok:
                return role("doc", f"{text} <{self.doc_of_page(link.page)}>")
            return self.render(link.children, True)
        inner = self.render(link.children, True) or escape_text(link.href)
        return f"[{inner}](<{link.href.replace('>', '%3E').replace(' ', '%20')}>)"

    def _check_flanking(self, tokens: list[_Token]) -> None:
        """Drop emphasis around nothing (``<i> </i>``); its spaces stay."""
        opens = {t.pair: i for i, t in enumerate(tokens) if t.kind == "open"}
        for index, token in enumerate(tokens):
            if token.kind == "close":
                start = opens[token.pair]
                if not "".join(t.value for t in tokens[start + 1:index]).strip():
                    _drop(tokens[start], token)


def _finish(tokens: list[_Token]) -> str:
    """Join *tokens*: edges trimmed, no break at the end, line starts escaped."""
    text = "".join(t.value for t in tokens).strip(" ")
    # A line break ending the paragraph would be read as a literal backslash.
    text = re.sub(r"(\s*\\\n)+\s*$", "", text)
    return "\n".join(escape_line_start(line.strip(" ")) for line in text.split("\n"))


def _drop(*delimiters: _Token) -> None:
    for token in delimiters:
        token.value = token.value.replace("*", "")


def _glue_notes(tokens: list[_Token]) -> None:
    """Drop the spaces before each note marker: it belongs to the word it follows.

    Sources often write ``behaviour." [1]``; printed, the marker follows the
    word or mark directly.  Only plain spaces are taken, over closing
    emphasis delimiters (``*free."* [1]``), never line breaks or escapes.
    """
    for index, token in enumerate(tokens):
        if not token.note:
            continue
        for before in reversed(tokens[:index]):
            if before.kind == "close":  # "* " (spaces moved out of emphasis): "*"
                if before.value.endswith("\n"):
                    break
                before.value = before.value.rstrip(" ")
                continue
            if before.kind != "text" or before.note or "\\" in before.value:
                break
            before.value = before.value.rstrip(" ")
            if before.value:
                break


def _collapse(tokens: list[_Token]) -> None:
    """Move spaces and line breaks out of emphasis; collapse runs of spaces.

    ``<i>word </i>`` must become ``*word* ``: CommonMark does not close
    emphasis after a space.  Moving works outwards through nested
    delimiters (``***word***``).
    """
    for index in range(len(tokens) - 1, -1, -1):  # openers, innermost first
        token = tokens[index]
        if token.kind == "open" and index + 1 < len(tokens):
            following = tokens[index + 1]
            stripped = following.value.lstrip(" ")
            if following.kind != "close" and len(stripped) < len(following.value):
                following.value = stripped
                token.value = " " + token.value
    for index, token in enumerate(tokens):  # closers, innermost first
        if token.kind != "close":
            continue
        moved = ""
        before = index - 1
        while before >= 0 and tokens[before].kind == "text" and \
                re.fullmatch(r"(?:\\\n| )*", tokens[before].value):
            moved = tokens[before].value + moved
            tokens[before].value = ""
            before -= 1
        previous = tokens[before] if before >= 0 else None
        if previous is not None and previous.kind == "text":
            match = re.search(r"(?:\\\n| )+$", previous.value)
            if match and not previous.value[:match.start()].endswith("\\"):
                previous.value, ending = previous.value[:match.start()], match.group(0)
                moved = ending + moved
        token.value += moved
    _bubble(tokens)
    previous_space = True
    for token in tokens:
        if previous_space:
            token.value = token.value.lstrip(" ") if token.value.strip() or \
                token.kind == "text" else token.value
        if token.value:
            token.value = re.sub(" {2,}", " ", token.value)
            previous_space = token.value.endswith((" ", "\n"))


def _bubble(tokens: list[_Token]) -> None:
    """Spaces moved out of inner emphasis go outside the outer one too."""
    visible = [t for t in tokens if t.value]
    for index, token in enumerate(visible[:-1]):
        following = visible[index + 1]
        if token.kind == "close" and following.kind == "close":
            match = re.search(r"(?:\\\n| )+$", token.value)
            if match:
                token.value, moved = token.value[:match.start()], match.group(0)
                following.value += moved
    for index in range(len(visible) - 1, 0, -1):
        token, previous = visible[index], visible[index - 1]
        if token.kind == "open" and previous.kind == "open" and token.value.startswith(" "):
            token.value = token.value.lstrip(" ")
            previous.value = " " + previous.value.lstrip(" ")


def titles_in_italics(inlines: list[Inline]) -> list[Inline]:
    """A citation's bold work titles set in italics, as notes and the seed print them."""
    return [Styled("em", titles_in_italics(i.children)) if isinstance(i, Styled)
            and i.kind == "strong" else i for i in inlines]
