"""Escaping for MyST: any text, written by the importer, reads back as the same text.

Everything the reader's text contains is escaped: CommonMark's punctuation
(``*``, ``_``, ``[``, backticks, ``<``, ``&``, ``|``, ``$``, braces), markers
that only count at the start of a line (``#``, ``>``, ``-``, ``+``, ``=``,
``:::``, ``%``, ``1.``), role content (fenced with more backticks than it
holds) and option values (single-quoted YAML scalars).  :func:`read_back`
parses MyST's CommonMark back to text, to prove it.
"""

from __future__ import annotations

import re
from typing import Any

_ESCAPED = re.compile(r"([\\`*_\[\]<>&|$~{}])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=:%~|]|\d+(?=[.)])|\()")
SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


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



_MARKDOWN: list[object] = []


def read_back(text: str) -> str:
    """The text CommonMark reads from *text* (markup removed, spacing normalised)."""
    if not _MARKDOWN:
        from markdown_it import MarkdownIt

        _MARKDOWN.append(MarkdownIt("commonmark"))
    parser = _MARKDOWN[0]
    parts: list[str] = []

    def walk(tokens: list[Any]) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            if token.children:
                walk(token.children)

    walk(parser.parse(text))  # type: ignore[attr-defined]
    return " ".join("".join(parts).split())
