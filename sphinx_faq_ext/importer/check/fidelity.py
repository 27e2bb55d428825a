"""Prove nothing was lost: the source text of each question against the built HTML.

At import time :func:`source_texts` takes each question's text straight
from the source page's element tree (not from what the importer made of
it).  After ``sphinx-build -b html``, :func:`check_build` finds each
question's ``<section>``, puts each note's text back in brackets where its
marker stands (``[1]`` → ``[Anarchy, p. 29]``), leaves out what the book adds
(attribution lines, the notes list, sub-questions, contents), and compares
the two after :func:`normalise`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_faq_ext.importer.model.page import inline_text
from sphinx_faq_ext.importer.read.dom import BLOCK, SKIP, Element, parse_html

if TYPE_CHECKING:
    from sphinx_faq_ext.importer.recognise.structure import Question


def normalise(text: str) -> str:
    """Compare text, not typography (smart quotes, dashes, ellipses, spacing)."""
    text = text.replace("\u00ad", "").replace("\ufe0e", "")
    text = re.sub(r"[\u201c\u201d\u201e\"\u00ab\u00bb]", "", text)
    text = re.sub(r"[\u2018\u2019]", "'", text)
    text = text.replace("\u2014", "---").replace("\u2013", "--").replace("\u2026", "...")
    text = re.sub(r"\.(\s*\.)+", lambda m: "." * (m.group(0).count(".")), text)
    text = text.replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text)
    # Spacing around brackets and punctuation is the writer's, not the author's.
    text = re.sub(r"\s*([\[\]()])\s*", r"\1", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text.strip()


def source_texts(body: Element, positions: dict[tuple[str, int], Question]
                 ) -> list[tuple[Question, str, str]]:
    """Title and body text of each question whose heading is at *positions*."""
    parts: dict[int, list[str]] = {}
    titles: dict[int, str] = {}
    order: dict[int, Question] = {}
    current: list[int] = []

    def walk(element: Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                if current:
                    parts[current[0]].append(child)
                continue
            if child.tag in SKIP:
                continue
            question = positions.get((child.tag, child.line))
            if question is not None:
                key = id(question)
                current[:] = [key]
                order[key] = question
                parts[key] = []
                titles[key] = child.text()
                continue
            block = child.tag in BLOCK or child.tag == "br"
            if block and current:
                parts[current[0]].append(" ")
            walk(child)
            if block and current:
                parts[current[0]].append(" ")

    opening = positions.get(("h1", 0))  # a question titled by the page's <title>
    if opening is not None:
        key = id(opening)
        current[:] = [key]
        order[key], parts[key] = opening, []
        titles[key] = inline_text(opening.title)
    walk(body)
    return [(order[k], titles[k], "".join(parts[k])) for k in order]


@dataclass
class Mismatch:
    """A question whose built text differs from its source."""

    number: str
    file: str
    line: str
    detail: str


@dataclass
class CheckResult:
    """How many questions were compared, and those that differ."""

    compared: int = 0
    missing: list[str] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def equal(self) -> int:
        """Questions whose text is equal."""
        return self.compared - len(self.mismatches) - len(self.missing)

    def summary(self) -> str:
        """One line."""
        return (f"text check: {self.equal}/{self.compared} questions equal to their source, "
                f"{len(self.missing)} missing, {len(self.mismatches)} different")


def _has_class(element: Element, name: str) -> bool:
    return name in element.attrs.get("class", "").split()


def built_sections(html_dir: Path) -> dict[str, Element]:
    """Every question's ``<section>`` in the built HTML, by id."""
    found: dict[str, Element] = {}
    for path in sorted(html_dir.rglob("*.html")):
        if path.name in ("genindex.html", "search.html") or "_static" in path.parts:
            continue
        root, _ = parse_html(path.read_text("utf8"))
        for section in root.iter("section"):
            if _has_class(section, "faq-question"):
                for anchor in section.attrs.get("id", "").split():
                    found.setdefault(anchor, section)
    return found


def built_text(section: Element) -> tuple[str, str]:
    """Title (without its number) and body text of a built question, notes in brackets."""
    notes: dict[str, str] = {}
    for element in section.iter():
        if element.tag == "section" and element.attrs.get("role") == "doc-endnotes" and \
                element.parent is not None and _owner(element) is section:
            for item in element.iter("li"):
                for link in item.iter("a"):
                    if link.attrs.get("role") == "doc-backlink" and link.parent is not None:
                        link.parent.children.remove(link)
                notes[item.attrs.get("id", "")] = item.text()
    title = ""
    parts: list[str] = []

    def walk(element: Element) -> None:
        nonlocal title
        for child in element.children:
            if isinstance(child, str):
                parts.append(child)
                continue
            if child.tag in SKIP or child.tag in ("figcaption", "script", "style"):
                continue
            classes = child.attrs.get("class", "").split()
            if child.tag == "section" and ("faq-question" in classes or
                                           child.attrs.get("role") == "doc-endnotes"):
                continue
            if "headerlink" in classes or "toctree-wrapper" in classes:
                continue
            if re.fullmatch(r"h[1-6]", child.tag) and not title and element is section:
                title = "".join(c if isinstance(c, str) else
                                ("" if _has_class(c, "faq-number") or _has_class(c, "headerlink")
                                 else c.text()) for c in child.children)
                continue
            if child.attrs.get("role") == "doc-noteref":
                target = child.attrs.get("href", "").lstrip("#")
                parts.append(" [" + notes.get(target, "?") + "] ")
                continue
            block = child.tag in BLOCK or child.tag in ("figure", "section", "br")
            if block:
                parts.append(" ")
            walk(child)
            if block:
                parts.append(" ")

    walk(section)
    return title, "".join(parts)


def _owner(element: Element) -> Element | None:
    parent = element.parent
    while parent is not None and not (parent.tag == "section" and
                                      _has_class(parent, "faq-question")):
        parent = parent.parent
    return parent


def _strip_number(title: str, number: str) -> str:
    if not number:
        return title
    pattern = (rf"^\s*(?:(?:Section|Chapter|Part)\s+)?{re.escape(number)}(?!\w)\.?\s*"
               r"(?:[-\u2013\u2014:]+\s+)?")
    return re.sub(pattern, "", title)


def first_difference(source: str, built: str) -> str:
    """Where two normalised texts part, with some context."""
    index = next((i for i, (a, b) in enumerate(zip(source, built, strict=False)) if a != b),
                 min(len(source), len(built)))
    return (f"at {index}: source …{source[max(0, index - 60):index + 60]!r} / "
            f"built …{built[max(0, index - 60):index + 60]!r}")


def check_build(project: Path, html_dir: Path) -> CheckResult:
    """Compare every imported question of *project* with its build in *html_dir*."""
    from sphinx_faq_ext.numbering import anchor_for

    texts = json.loads((project / "_import" / "source-text.json").read_text("utf8"))
    sections = built_sections(html_dir)
    result = CheckResult()
    for number, source in texts.items():
        result.compared += 1
        section = sections.get(anchor_for(number))
        if section is None:
            result.missing.append(number)
            continue
        title, body = built_text(section)
        want_title = normalise(_strip_number(source["title"], source["source_number"]))
        if normalise(title) != want_title:
            result.mismatches.append(Mismatch(number, source["file"], source["line"],
                                              f"title {normalise(title)!r} != {want_title!r}"))
            continue
        want, got = normalise(source["text"]), normalise(body)
        if want != got:
            result.mismatches.append(Mismatch(number, source["file"], source["line"],
                                              first_difference(want, got)))
    return result
