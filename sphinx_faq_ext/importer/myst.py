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
import unicodedata
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


def _is_punct(char: str) -> bool:
    return bool(char) and unicodedata.category(char)[0] in "PS"


def _is_space(char: str) -> bool:
    return not char or char.isspace()


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

    def render(self, inlines: list[Inline], single_line: bool = False) -> str:
        """MyST for *inlines*, whitespace collapsed, edges trimmed."""
        tokens: list[_Token] = []
        self._tokens(inlines, tokens, single_line)
        _collapse(tokens)
        self._check_flanking(tokens)
        text = "".join(t.value for t in tokens).strip(" ")
        # A line break ending the paragraph would be read as a literal backslash.
        text = re.sub(r"(\s*\\\n)+\s*$", "", text)
        lines = [escape_line_start(line.strip(" ")) for line in text.split("\n")]
        return "\n".join(lines)

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
                out.append(_Token("text", self.link(inline), plain=inline_text([inline])))
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
        pair = len(out)
        out.append(_Token("open", delimiter, pair))
        self._tokens(inline.children, out, single_line)
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
        """Drop emphasis delimiters CommonMark would not read as such (text is kept)."""
        opens = {t.pair: i for i, t in enumerate(tokens) if t.kind == "open"}
        for index, token in enumerate(tokens):
            if token.kind != "close":
                continue
            start = opens[token.pair]
            inner = "".join(t.value for t in tokens[start + 1:index])
            if not inner.strip():
                _drop(tokens[start], token)
                continue
            before = " " if tokens[start].value.startswith(" ") else _char_before(tokens, start)
            after = " " if token.value.endswith(" ") else _char_after(tokens, index)
            first, last = inner[0], inner[-1]
            left_ok = not _is_space(first) and (not _is_punct(first) or _is_space(before)
                                                or _is_punct(before))
            right_ok = not _is_space(last) and (not _is_punct(last) or _is_space(after)
                                                or _is_punct(after))
            if not (left_ok and right_ok):
                _drop(tokens[start], token)
                self.lost.append((*self.where,
                                  f"emphasis dropped (MyST cannot mark it here): {inner[:60]!r}"))


def _drop(*delimiters: _Token) -> None:
    for token in delimiters:
        token.value = token.value.replace("*", "")


def _char_before(tokens: list[_Token], index: int) -> str:
    for token in reversed(tokens[:index]):
        if token.value:
            return token.value[-1]
    return ""


def _char_after(tokens: list[_Token], index: int) -> str:
    for token in tokens[index + 1:]:
        if token.value:
            return token.value[0]
    return ""


def _collapse(tokens: list[_Token]) -> None:
    """Move spaces out of emphasis and collapse runs of spaces across tokens."""
    for index, token in enumerate(tokens):
        if token.kind == "open":
            nxt = _next_text(tokens, index)
            if nxt is not None and tokens[nxt].value.startswith(" "):
                tokens[nxt].value = tokens[nxt].value.lstrip(" ")
                token.value = " " + token.value
        elif token.kind == "close":
            prev = _prev_text(tokens, index)
            if prev is not None and tokens[prev].value.endswith(" "):
                tokens[prev].value = tokens[prev].value.rstrip(" ")
                token.value = token.value + " "
    for index, token in enumerate(tokens):
        if token.kind == "close":
            prev = _prev_text(tokens, index)
            if prev is not None and tokens[prev].value.endswith("\\\n"):
                # A line break ending emphasis (a poem's last line) goes after it.
                tokens[prev].value = tokens[prev].value[:-2]
                token.value = token.value + "\\\n"
    previous_space = True
    for token in tokens:
        if previous_space:
            token.value = token.value.lstrip(" ") if token.value.strip() or \
                token.kind == "text" else token.value
        if token.value:
            token.value = re.sub(" {2,}", " ", token.value)
            previous_space = token.value.endswith((" ", "\n"))


def _next_text(tokens: list[_Token], index: int) -> int | None:
    for i in range(index + 1, len(tokens)):
        if tokens[i].kind == "text" and tokens[i].value:
            return i
        if tokens[i].kind == "close":
            return None
    return None


def _prev_text(tokens: list[_Token], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        if tokens[i].kind == "text" and tokens[i].value:
            return i
        if tokens[i].kind == "open":
            return None
    return None


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
