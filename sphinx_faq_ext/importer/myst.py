"""Render the page model as MyST Markdown with our directives and roles.

Everything the reader's text contains is escaped so that MyST reads it back
as the same text: CommonMark's punctuation (``*``, ``_``, ``[``, backticks,
``<``, ``&``, ``|``, ``$``, braces), markers that only count at the start of
a line (``#``, ``>``, ``-``, ``+``, ``=``, ``:::``, ``%``, ``1.``), role
content (fenced with more backticks than it holds) and option values
(single-quoted YAML scalars).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sphinx_faq_ext.importer.model import (
    Block,
    Break,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Quote,
    Rule,
    Styled,
    Table,
    Text,
    inline_text,
)

_ESCAPED = re.compile(r"([\\`*_\[\]<>&|$~{}])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=:%~|]|\d+(?=[.)])|\(|!)")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def escape_text(text: str) -> str:
    """*text* with every character CommonMark or MyST would read as markup escaped."""
    return _ESCAPED.sub(r"\\\1", text)


def escape_line_start(line: str) -> str:
    """Escape a block marker at the start of *line* (``# ``, ``- ``, ``1.``, ``:::`` …)."""
    match = _LINE_START.match(line)
    if not match:
        return line
    indent, marker = match.groups()
    if marker.isdigit():
        rest = line[match.end():]
        return f"{indent}{marker}\\{rest}"
    return f"{indent}\\{line[len(indent):]}"


def role(name: str, content: str) -> str:
    """``{name}`content``` with a backtick fence longer than any run in *content*."""
    runs = [len(m) for m in re.findall(r"`+", content)]
    fence = "`" * (max(runs, default=0) + 1)
    if content.startswith("`") or content.endswith("`") or \
            (content.startswith(" ") and content.endswith(" ")):
        content = f" {content} "
    return f"{{{name}}}{fence}{content}{fence}"


def yaml_scalar(value: str) -> str:
    """*value* as a single-quoted scalar for a directive option."""
    return "'" + value.replace("'", "''") + "'"


@dataclass
class _Token:
    kind: str  # "text", "open", "close"
    value: str
    pair: int = -1
    plain: str = ""


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
        want = _read_back(_finish(plain))
        for pair in [None, *pairs]:
            if pair is not None:
                _drop(*(t for t in tokens if t.pair == pair and t.kind != "text"))
                self.lost.append((*self.where, "emphasis dropped (MyST would misread it) in: "
                                  f"{_finish(plain)[:70]!r}"))
            text = _finish(tokens)
            if _read_back(text) == want:
                return text
        return text

    def _tokens(self, inlines: list[Inline], out: list[_Token], single_line: bool) -> None:
        for inline in inlines:
            if isinstance(inline, Text):
                out.append(_Token("text", escape_text(_SPACES.sub(" ", inline.text)),
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
                content = self.render(_titles_in_italics(inline.children), True)
                out.append(_Token("text", role("faq:note", content), plain="[]"))
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
            content = _SPACES.sub(" ", text)
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

    def link(self, link: Link) -> str:
        """A question reference, a page reference or an external link."""
        text = " ".join(inline_text(link.children).split())
        plain_ok = text and not re.search(r"[`<>\\]", text)
        if link.question:
            if plain_ok:
                return role("faq:ref", f"{text} <{link.question}>")
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


_MARKDOWN: list[object] = []


def _read_back(text: str) -> str:
    """The text CommonMark reads from *text* (markup removed, spacing normalised)."""
    if not _MARKDOWN:
        from markdown_it import MarkdownIt

        _MARKDOWN.append(MarkdownIt("commonmark"))
    parser = _MARKDOWN[0]
    parts: list[str] = []

    def walk(tokens: list) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            if token.children:
                walk(token.children)

    walk(parser.parse(text))  # type: ignore[attr-defined]
    return " ".join("".join(parts).split())


def _drop(*delimiters: _Token) -> None:
    for token in delimiters:
        token.value = token.value.replace("*", "")


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


@dataclass
class BlockWriter:
    """Render blocks as MyST lines; counts what it writes."""

    inline: InlineWriter
    counts: dict[str, int] = field(default_factory=dict)
    file: str = ""

    def count(self, kind: str, n: int = 1) -> None:
        """Add *n* to the count of *kind*."""
        self.counts[kind] = self.counts.get(kind, 0) + n

    def blocks(self, blocks: list[Block], heading_base: int = 1) -> list[str]:
        """Lines for *blocks*; headings start at level ``heading_base + 1``."""
        lines: list[str] = []
        levels: list[int] = []
        for block in blocks:
            rendered = self.block(block, heading_base, levels)
            if rendered:
                lines.extend(rendered)
                lines.append("")
        return lines

    def block(self, block: Block, base: int, levels: list[int]) -> list[str]:
        """Lines for one block (no trailing blank line)."""
        self.inline.where = (self.file, getattr(block, "line", 0))
        if isinstance(block, Paragraph):
            text = self.inline.render(block.children)
            if not self.inline.notes_as_text:
                self.count("notes", len(_notes(block.children)))
            return text.split("\n") if text else []
        if isinstance(block, Heading):
            while levels and levels[-1] >= block.level:
                levels.pop()
            levels.append(block.level)
            depth = min(base + len(levels), 6)
            self.count("sub-sections")
            return ["#" * depth + " " + self.inline.render(block.children, True)]
        if isinstance(block, Quote):
            return self.quote(block)
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Rule):
            self.count("rules dropped")
            return []
        return []

    def nested(self, blocks: list[Block]) -> list[str]:
        """Blocks inside a quote or list: headings become bold paragraphs."""
        flat: list[Block] = [
            Paragraph([Styled("strong", b.children)], b.line) if isinstance(b, Heading) else b
            for b in blocks
        ]
        lines = self.blocks(flat)
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def quote(self, quote: Quote) -> list[str]:
        """A ``faq:quote`` when it is a quotation, else a Markdown block quote."""
        if quote.note is None and not quote.author and not _opens_with_quote_mark(quote):
            self.count("indented blocks")
            return [f"> {line}".rstrip() for line in self.nested(quote.blocks)]
        self.count("quotes")
        _strip_quote_marks(quote)
        body = self.nested(quote.blocks)
        depth = max((len(m) for m in re.findall(r"^`{3,}", "\n".join(body), re.M)), default=2)
        fence = "`" * (depth + 1)
        lines = [f"{fence}{{faq:quote}}"]
        for option in ("author", "source", "page"):
            value = getattr(quote, option)
            if value:
                lines.append(f":{option}: {yaml_scalar(escape_text(value))}")
        if quote.note is not None and self.inline.notes_as_text:
            cited = self.inline.render([Text(" ["), *quote.note, Text("]")], True)
            body = [*body[:-1], body[-1] + " " + cited] if body else [cited]
        elif quote.note is not None:
            self.count("notes")
            note = self.inline.render(_titles_in_italics(quote.note), True)
            lines.append(f":note: {yaml_scalar(note)}")
        lines.append("")
        lines.extend(body)
        lines.append(fence)
        return lines

    def list_block(self, block: ListBlock) -> list[str]:
        """A bulleted or numbered list."""
        self.count("lists")
        lines: list[str] = []
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}. " if block.ordered else "- "
            body = self.nested(item) or [""]
            lines.append(marker + body[0])
            lines.extend((" " * len(marker) + line) if line else "" for line in body[1:])
        return lines

    def table(self, block: Table) -> list[str]:
        """A pipe table; the first row is its header."""
        self.count("tables")
        width = max(len(row) for row in block.rows)
        rows = [[self.inline.render(cell, True) for cell in row] + [""] * (width - len(row))
                for row in block.rows]
        if not block.header:
            rows.insert(0, [""] * width)
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
        return lines


def _titles_in_italics(inlines: list[Inline]) -> list[Inline]:
    """A citation's bold work titles set in italics, as notes and the seed print them."""
    return [Styled("em", _titles_in_italics(i.children)) if isinstance(i, Styled)
            and i.kind == "strong" else i for i in inlines]


def _notes(inlines: list[Inline]) -> list[Note]:
    found: list[Note] = []
    for inline in inlines:
        if isinstance(inline, Note):
            found.append(inline)
        elif isinstance(inline, Styled | Link):
            found.extend(_notes(inline.children))
    return found


def _opens_with_quote_mark(quote: Quote) -> bool:
    first = next((b for b in quote.blocks if isinstance(b, Paragraph)), None)
    return first is not None and inline_text(first.children).lstrip()[:1] in "\"“"


def _strip_quote_marks(quote: Quote) -> None:
    """Drop the quotation marks around a block quotation: the quote shows it is one."""
    paragraphs = [b for b in quote.blocks if isinstance(b, Paragraph)]
    if not paragraphs or not _opens_with_quote_mark(quote):
        return
    for paragraph in paragraphs:
        _edit_edge(paragraph.children, first=True, chars="\"“")
    _edit_edge(paragraphs[-1].children, first=False, chars="\"”")
    for paragraph in paragraphs:
        _unwrap_whole_emphasis(paragraph)


def _edit_edge(inlines: list[Inline], first: bool, chars: str) -> bool:
    """Remove one of *chars* at the first (or last) text edge of *inlines*."""
    order = inlines if first else list(reversed(inlines))
    for index, inline in enumerate(order):
        if isinstance(inline, Text):
            text = inline.text.lstrip() if first else inline.text.rstrip()
            if not text:
                continue
            edge = text[0] if first else text[-1]
            if edge in chars:
                new = Text(text[1:] if first else text[:-1])
                position = index if first else len(inlines) - 1 - index
                inlines[position] = new
                return True
            return False
        if isinstance(inline, Styled | Link):
            return _edit_edge(inline.children, first, chars)
        if isinstance(inline, Note):
            if first:
                return False
            continue
        return False
    return False


def _unwrap_whole_emphasis(paragraph: Paragraph) -> None:
    """A quotation wholly in italics (the web edition's style) is set upright."""
    visible = [c for c in paragraph.children
               if not (isinstance(c, Text) and not c.text.strip()) and not isinstance(c, Note)]
    if len(visible) == 1 and isinstance(visible[0], Styled) and visible[0].kind == "em":
        index = paragraph.children.index(visible[0])
        paragraph.children[index:index + 1] = visible[0].children
