"""Write the imported book as a Sphinx project: ``conf.py``, ``index.md``, MyST pages.

``split="question"`` (the default) writes one file per question, nested by
number through hidden toctrees (``secA2/a-2-6.md`` under ``secA2/index.md``,
the page of A.2); ``split="section"`` writes one file per source page with
the questions nested in it.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sphinx_faq_ext.importer.check import source_texts
from sphinx_faq_ext.importer.dom import Element
from sphinx_faq_ext.importer.escaping import escape_text
from sphinx_faq_ext.importer.html_reader import read_html_page
from sphinx_faq_ext.importer.model import (
    Block,
    Break,
    Image,
    Inline,
    Link,
    ListBlock,
    Note,
    Page,
    Paragraph,
    Quote,
    Styled,
    Table,
)
from sphinx_faq_ext.importer.plain import conf_of, writers
from sphinx_faq_ext.importer.quotes import notes_in
from sphinx_faq_ext.importer.report import Report
from sphinx_faq_ext.importer.structure import BookBuilder, PageDoc, Question
from sphinx_faq_ext.importer.text_reader import read_text_page
from sphinx_faq_ext.numbering import anchor_for

CONF = '''"""Sphinx configuration written by ``sphinx-faq-ext import``."""

project = {title!r}
author = {author!r}
copyright = {author!r}  # noqa: A001 - the ePub's metadata needs one
version = release = "1"
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
# Links of every scheme the old web pages use stay links (not cross-references).
myst_url_schemes = ["http", "https", "mailto", "ftp", "news", "nntp", "irc", "gopher", "telnet"]
html_theme = "sphinx_faq_ext"
html_title = {title!r}
language = {language!r}
exclude_patterns = ["_build", "_import", "Thumbs.db", ".DS_Store"]
epub_show_urls = "no"
latex_engine = "xelatex"
latex_documents = [("index", "book.tex", {title!r}, {author!r}, "manual")]
'''

#: Where the import keeps its report and the source text of every question.
IMPORT_DIR = "_import"


@dataclass
class ImportOptions:
    """What the command line can change."""

    split: str = "question"
    start: str = "index.html"
    title: str = ""
    author: str = ""
    language: str = "en"
    #: ``faq``: our directives and roles; ``plain``: plain MyST (:mod:`.plain`).
    flavour: str = "faq"


def natural_key(path: Path) -> list[int | str]:
    """``secA10`` after ``secA9``."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", path.name)]


def collect_sources(sources: list[Path], start: str = "index.html") -> list[Path]:
    """Files to import, in book order.

    Folders contribute their ``.html``/``.htm``/``.txt`` files, in natural
    order.  When one of the pages is named *start*, the book follows its
    links instead: breadth first, each page placed under the page linking to
    it whose name shares the longest beginning with its own (``secA1.html``
    under ``secAcon.html``, not under an introduction that mentions it), in
    the order that page links to it.  Pages no link reaches come last.
    """
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += sorted((p for p in source.iterdir()
                             if p.suffix.lower() in (".html", ".htm", ".txt")), key=natural_key)
        else:
            files.append(source)
    by_name = {p.name: p for p in files}
    if start not in by_name:
        return files
    links = {name: _links(path, by_name) for name, path in by_name.items()}
    parent: dict[str, str] = {start: ""}
    level = [start]
    while level:
        found: dict[str, str] = {}
        for page in level:
            for target in links[page]:
                if target in parent:
                    continue
                best = found.get(target)
                if best is None or _common(page, target) > _common(best, target):
                    found[target] = page
        parent.update(found)
        level = list(found)
    children: dict[str, list[str]] = {}
    for page, owner in parent.items():
        if owner:
            children.setdefault(owner, []).append(page)
    ordered: list[str] = []

    def visit(page: str) -> None:
        ordered.append(page)
        kids = children.get(page, [])
        for kid in sorted(kids, key=links[page].index):
            visit(kid)

    visit(start)
    return [by_name[n] for n in ordered] + [p for p in files if p.name not in parent]


def _links(path: Path, by_name: dict[str, Path]) -> list[str]:
    """Pages *path* links to, in order of first appearance."""
    text = path.read_text("utf8", errors="replace")
    names = [h.split("#")[0] for h in re.findall(r'href="([^":]+?)"', text)]
    return list(dict.fromkeys(n for n in names if n in by_name and n != path.name))


def _common(a: str, b: str) -> int:
    """Length of the common beginning of two names."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


class ProjectWriter:
    """Import *sources* into a Sphinx project in *outdir*."""

    def __init__(self, outdir: Path, options: ImportOptions | None = None) -> None:
        self.outdir = outdir
        self.options = options or ImportOptions()
        self.report = Report()
        self.book = BookBuilder(self._report)
        self.bodies: dict[str, Element] = {}
        self.inline, self.writer = writers(self.options.flavour,
                                           lambda slug: "/" + self.page_docname(slug))

    def _report(self, kind: str, page: Page, line: int, message: str) -> None:
        self.report.add(kind, str(page.path), line, message)

    def run(self, sources: list[Path]) -> Report:
        """Read, recognise, write; returns the report (also written to ``_import``)."""
        for path in collect_sources(sources, self.options.start):
            try:
                if path.suffix.lower() == ".txt":
                    page, body = read_text_page(path)
                else:
                    page, body = read_html_page(path)
                doc = self.book.add_page(page)
            except (OSError, ValueError, UnicodeError, AssertionError, IndexError, KeyError,
                    RecursionError) as error:
                # One page the importer cannot make sense of must not stop the book.
                self.report.add("unreadable-page", str(path), 0,
                                f"skipped, nothing written: {type(error).__name__}: {error}")
                continue
            self.bodies[str(path)] = body
            self.report.counts["pages"] += 1
            if not doc.questions and not doc.intro and not page.blocks:
                self.report.add("empty-page", str(path), 0, "no text; written as an empty page")
        self.book.finish()
        self.outdir.mkdir(parents=True, exist_ok=True)
        for doc in self.book.docs:
            doc.docname = self.page_docname(doc.slug)
        for doc in self.book.docs:
            self.write_page(doc)
        self.write_index()
        self.write_texts()
        for file, line, message in self.inline.lost:
            self.report.add("formatting-dropped", file, line, message)
        for key, value in self.writer.counts.items():
            self.report.counts[key] += value
        self.report.write(self.outdir / IMPORT_DIR)
        return self.report

    def page_docname(self, slug: str) -> str:
        """The document of a source page."""
        return f"{slug}/index" if self.options.split == "question" else slug

    def write_page(self, doc: PageDoc) -> None:
        """The page's document, and one per question when split by question."""
        lines: list[str] = []
        self.writer.file = str(doc.page.path)
        questions = list(doc.questions)
        if not doc.title_is_question:
            lines += ["# " + self.inline.render(doc.title, True), ""]
        self.inline.notes_as_text = True
        self._count_inlines(doc.intro)
        lines += self.writer.blocks(doc.intro)
        self.inline.notes_as_text = False
        self.report.counts["citations outside questions, kept in brackets"] += len(
            notes_in(doc.intro))
        split = self.options.split == "question"
        if split and doc.title_is_question:
            first = questions.pop(0)
            first.docname = doc.docname
            lines += self.question(first, doc, 1)
        if split:
            for question in questions:
                self.write_question(question, doc)
            lines += toctree([q.docname.rsplit("/", 1)[-1] for q in questions])
        else:
            for question in questions:
                lines += self.question(question, doc, 1 if doc.title_is_question else 2)
        self.write_file(doc.docname, lines)
        self.copy_images(doc)

    def copy_images(self, doc: PageDoc) -> None:
        """Copy the images *doc* shows beside its documents (same relative paths)."""
        blocks: list[Block] = list(doc.intro)
        todo = list(doc.questions)
        while todo:
            question = todo.pop()
            blocks.extend(question.blocks)
            todo.extend(question.children)
        folder = self.outdir / doc.docname.rpartition("/")[0]
        for inline in _inlines_of(blocks):
            if not isinstance(inline, Image) or re.match(r"^[a-z][a-z0-9+.-]*:", inline.src):
                continue
            source = (doc.page.path.parent / inline.src).resolve()
            target = (folder / inline.src).resolve()
            if not source.is_file() or not target.is_relative_to(self.outdir.resolve()):
                self.report.add("image-missing", str(doc.page.path), 0,
                                f"image {inline.src} not found beside the page")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)

    def write_question(self, question: Question, doc: PageDoc) -> None:
        """A question's own file (split by question)."""
        question.docname = f"{doc.slug}/{anchor_for(question.number)}"
        self.write_file(question.docname, self.question(question, doc))

    def question(self, question: Question, doc: PageDoc, level: int = 1) -> list[str]:
        """The ``faq:question`` directive of *question* (with its sub-questions).

        *level* is its depth in its file (its heading's level in plain MyST).
        """
        self.report.counts["questions"] += 1
        split = self.options.split == "question"
        height = 0 if split else _height(question)
        fence = ":" * (3 + height)
        title = self.inline.render(question.title, True)
        lines = self.writer.question_head(question.number, title, fence, level)
        lines += self.writer.blocks(question.blocks, self.writer.heading_base(level))
        if split:
            for child in question.children:
                self.write_question(child, doc)
            lines += toctree([c.docname.rsplit("/", 1)[-1] for c in question.children])
        else:
            for child in question.children:
                lines += self.question(child, doc, level + 1)
        lines += self.writer.question_tail(fence)
        self._count_inlines(question.blocks)
        return lines

    def write_file(self, docname: str, lines: list[str]) -> None:
        """Write ``docname.md``."""
        path = self.outdir / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(lines).rstrip() + "\n"
        path.write_text(re.sub(r"\n{3,}", "\n\n", text), "utf8")

    def write_index(self) -> None:
        """``index.md`` (every page in book order) and ``conf.py``."""
        title = self.options.title or (self.book.docs[0].page.title if self.book.docs else "FAQ")
        title = re.sub(r"\s*\|[^|]*$", "", title) or "FAQ"
        lines = ["# " + escape_text(title), ""]
        lines += toctree([d.docname for d in self.book.docs], hidden=False)
        (self.outdir / "index.md").write_text("\n".join(lines), "utf8")
        conf = self.outdir / "conf.py"
        text = CONF.format(title=title, author=self.options.author or title,
                           language=self.options.language)
        conf.write_text(conf_of(self.options.flavour, text), "utf8")
        static = self.outdir / IMPORT_DIR
        static.mkdir(exist_ok=True)

    def write_texts(self) -> None:
        """The source text of every question, for :mod:`.check`."""
        texts: dict[str, dict[str, str]] = {}
        for doc in self.book.docs:
            positions = {(f"h{q.level}", q.line): q for q in _all_questions(doc.questions)}
            body = self.bodies.get(str(doc.page.path))
            if body is None:
                continue
            for question, title, text in source_texts(body, positions):
                texts[question.number] = {
                    "file": str(doc.page.path), "line": str(question.line),
                    "docname": question.docname, "source_number": question.source_number,
                    "title": title, "text": text,
                }
        folder = self.outdir / IMPORT_DIR
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source-text.json").write_text(json.dumps(texts, ensure_ascii=False), "utf8")

    def _count_inlines(self, blocks: list[Block]) -> None:
        for inline in _inlines_of(blocks):
            if isinstance(inline, Link):
                kind = ("links to questions" if inline.question else
                        "links to pages" if inline.page and inline.page != "?" else
                        "links kept as text" if inline.page == "?" else "external links")
                self.report.counts[kind] += 1
            elif isinstance(inline, Image):
                self.report.counts["images"] += 1
            elif isinstance(inline, Break):
                self.report.counts["line breaks"] += 1


def toctree(entries: list[str], hidden: bool = True) -> list[str]:
    """A toctree directive listing *entries* (nothing when there are none)."""
    if not entries:
        return []
    options = [":hidden:"] if hidden else [":maxdepth: 1"]
    return ["```{toctree}", *options, "", *entries, "```", ""]


def _height(question: Question) -> int:
    return 1 + max((_height(c) for c in question.children), default=-1) if \
        question.children else 0


def _all_questions(questions: list[Question]) -> list[Question]:
    found: list[Question] = []
    for question in questions:
        found.append(question)
        found.extend(_all_questions(question.children))
    return found


def _inlines_of(blocks: list[Block]) -> list[Inline]:
    found: list[Inline] = []

    def walk(inlines: list[Inline]) -> None:
        for inline in inlines:
            found.append(inline)
            if isinstance(inline, Styled | Link | Note):
                walk(inline.children)

    for block in blocks:
        if isinstance(block, Paragraph):
            walk(block.children)
        elif isinstance(block, Quote):
            found.extend(_inlines_of(block.blocks))
            walk(block.note or [])
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(_inlines_of(item))
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    walk(cell)
    return found


def import_book(sources: list[Path], outdir: Path,
                options: ImportOptions | None = None) -> Report:
    """Import *sources* (files or folders) into a Sphinx project in *outdir*."""
    if outdir.exists() and (outdir / IMPORT_DIR).exists():
        for child in outdir.iterdir():  # a previous import: start afresh
            if child.name != "_build":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    return ProjectWriter(outdir, options).run(sources)
