"""Read a plain-text FAQ laid out like the seed into the page model.

The layout: an optional breadcrumb line, numbered question lines
(``A.2.6 Why is solidarity important to anarchists?``), paragraphs separated
by blank lines, note markers ``[1]`` in the text and the numbered notes
(``  1. Anarchy, p. 29``) after the question.  Markers become notes holding
the text of the note with the same number; a marker with no note, or a note
no marker uses, stays in the text (and is reported by the structure).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx_faq_ext.importer.model.page import Block, Heading, Inline, Note, Page, Paragraph, Text
from sphinx_faq_ext.importer.read.dom import Element

_QUESTION = re.compile(r"^([A-Z](?:\.\d+)+|\d+(?:\.\d+)+)\s+\S")
_NOTE = re.compile(r"^\s+(\d+)\.\s+(.*)$")
_MARKER = re.compile(r"\[(\d+)\]")


def read_text_page(path: Path) -> tuple[Page, Element]:
    """The page model of the text file at *path*, and an element tree of its text.

    The element tree (headings and paragraphs with their lines) is what the
    text check compares the build with.
    """
    lines = path.read_text("utf8").splitlines()
    blocks: list[Block] = []
    body = Element("div", line=1)
    questions: list[tuple[Heading, list[Paragraph], dict[int, str]]] = []
    paragraph: list[str] = []
    start = 0

    def flush() -> None:
        if paragraph and questions:
            questions[-1][1].append(Paragraph([Text(" ".join(paragraph))], start))
        elif paragraph:
            blocks.append(Paragraph([Text(" ".join(paragraph))], start))
        paragraph.clear()

    first_question = next((i for i, line in enumerate(lines)
                           if _QUESTION.match(line.removesuffix("Edit").strip())), 0)
    for number, line in enumerate(lines, start=1):
        if number == 1 and first_question > 0:
            continue  # a breadcrumb or title line: the page's title
        title = line.removesuffix("Edit").strip()
        note = _NOTE.match(line)
        if _QUESTION.match(title) and not note:
            flush()
            questions.append((Heading(2, [Text(title)], number), [], {}))
            body.children.append(Element("h2", children=[title], line=number))
            continue
        if note and questions:
            flush()
            questions[-1][2][int(note.group(1))] = note.group(2).strip()
            continue
        if not line.strip():
            flush()
            continue
        if not paragraph:
            start = number
        paragraph.append(line.strip())
    flush()
    for heading, paragraphs, notes in questions:
        blocks.append(heading)
        for block in paragraphs:
            raw = " ".join(c.text for c in block.children if isinstance(c, Text))
            # The check's source text: the paragraph with each note in brackets.
            text = _MARKER.sub(lambda m, n=notes: f"[{n[int(m.group(1))]}]"  # type: ignore[misc]
                               if int(m.group(1)) in n else m.group(0), raw)
            body.children.append(Element("p", children=[text], line=block.line))
            block.children = _markers_to_notes(block.children, notes, block.line)
            blocks.append(block)
    title = lines[0].strip() if lines and not _QUESTION.match(lines[0]) else path.stem
    return Page(path=path, title=title or path.stem, blocks=blocks), body


def _markers_to_notes(children: list[Inline], notes: dict[int, str], line: int) -> list[Inline]:
    out: list[Inline] = []
    for child in children:
        if not isinstance(child, Text):
            out.append(child)
            continue
        position = 0
        for match in _MARKER.finditer(child.text):
            number = int(match.group(1))
            if number not in notes:
                continue
            out.append(Text(child.text[position:match.start()]))
            out.append(Note([Text(notes[number])], line))
            position = match.end()
        out.append(Text(child.text[position:]))
    return out
