"""Run the stages in order and write the project: ``conf.py``, ``index.md``, MyST pages.

``split="question"`` (the default) writes one file per question, nested by
number through hidden toctrees (``secA2/a-2-6.md`` under ``secA2/index.md``,
the page of A.2); ``split="section"`` writes one file per source page with
the questions nested in it.
"""

from __future__ import annotations

import datetime
import gettext
import json
import re
import shutil
import uuid
from dataclasses import InitVar, dataclass, field
from pathlib import Path

from sphinx_faq_ext import LOCALE_DIR
from sphinx_faq_ext.importer.check.fidelity import source_texts
from sphinx_faq_ext.importer.check.report import Report
from sphinx_faq_ext.importer.model.page import (
    Block,
    Break,
    Heading,
    Image,
    Inline,
    Link,
    Page,
    heading_inlines,
    inline_text,
    inlines_in,
)
from sphinx_faq_ext.importer.read.dom import Element
from sphinx_faq_ext.importer.read.html_reader import read_html_page
from sphinx_faq_ext.importer.read.text_reader import read_text_page
from sphinx_faq_ext.importer.recognise.authors import AuthorRules
from sphinx_faq_ext.importer.recognise.bibliography import bibtex
from sphinx_faq_ext.importer.recognise.metadata import Copyright, book_copyright
from sphinx_faq_ext.importer.recognise.order import (
    OTHER_PAGES,
    BookOrder,
    Node,
    book_order,
    is_contents_only,
    natural_key,
    page_title,
    same_pages,
    text_and_link_text,
)
from sphinx_faq_ext.importer.recognise.places import name_places, place_numbers
from sphinx_faq_ext.importer.recognise.quotes import notes_in
from sphinx_faq_ext.importer.recognise.structure import (
    BookBuilder,
    PageDoc,
    Question,
    asks_questions,
    is_contents_line,
    number_of,
)
from sphinx_faq_ext.importer.settings import BookSettings
from sphinx_faq_ext.importer.write.escaping import escape_text
from sphinx_faq_ext.importer.write.plain import conf_of, writers
from sphinx_faq_ext.numbering import anchor_for

CONF = '''"""Sphinx configuration written by ``sphinx-faq-ext import``."""

project = {title!r}
author = {author!r}
copyright = {copyright!r}  # noqa: A001 - the ePub's metadata needs one
version = release = {release!r}
language = {language!r}
extensions = ["myst_parser", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
# Links of every scheme the old web pages use stay links (not cross-references).
myst_url_schemes = ["http", "https", "mailto", "ftp", "news", "nntp", "irc", "gopher", "telnet"]
html_theme = "sphinx_faq_ext"
html_title = {title!r}
exclude_patterns = ["_build", "_import", "Thumbs.db", ".DS_Store"]
# A stable identifier: the same book keeps the same ePub identity from build to build.
epub_identifier = {identifier!r}
epub_scheme = {scheme!r}
epub_uid = "book-id"  # the identifier's XML id (Sphinx's default is "unknown")
epub_show_urls = "no"
# Each page lists its own contents, so the toctrees under it are hidden; the
# ePub's contents (nav.xhtml, toc.ncx) still hold every page and question.
epub_tocscope = "includehidden"
latex_engine = "xelatex"
latex_documents = [("index", "book.tex", {title!r}, {author!r}, "manual")]
# The quotations whose author the importer could not tell are marked :anonymous:
# and listed in _import/report.md; the build does not warn about them again.
{bibtex}{volumes}'''

#: conf.py's lines for a book with a bibliography page: its works are BibTeX data.
BIBTEX_CONF = '''# The bibliography's works, read from its page (_import/report.md counts them):
# each run of entries is a {bibliography} of references.bib, in the order written.
extensions.append("sphinxcontrib.bibtex")
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "faq-notes"
'''

#: Where the import keeps its report and the source text of every question.
IMPORT_DIR = "_import"


@dataclass
class ImportOptions:
    """How to write the book, and what it is (its :class:`.BookSettings`).

    The book's contents page (*start*, ``--start``), *title*, *author* and
    *language* are laid over the settings when given: they are the settings'
    ``contents``, ``title``, ``author`` and ``language``, kept there only
    (``ImportOptions(title="X").settings.title == "X"``).
    """

    split: str = "question"
    #: ``faq``: our directives and roles; ``plain``: plain MyST (:mod:`.plain`).
    flavour: str = "faq"
    #: The book's settings file, read (``--settings``), with the options above laid on.
    settings: BookSettings = field(default_factory=BookSettings)
    start: InitVar[str] = ""
    title: InitVar[str] = ""
    author: InitVar[str] = ""
    language: InitVar[str] = ""

    def __post_init__(self, start: str, title: str, author: str, language: str) -> None:
        self.settings = self.settings.layered(contents=start, title=title, author=author,
                                              language=language)


def collect_files(sources: list[Path]) -> list[Path]:
    """The files to import: the pages of each folder, in natural order, and the files given."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += sorted((p for p in source.iterdir() if p.is_file() and
                             p.suffix.lower() in (".html", ".htm", ".xhtml", ".txt")),
                            key=lambda p: natural_key(p.name))
        else:
            files.append(source)
    return files


class ProjectWriter:
    """Import *sources* into a Sphinx project in *outdir*."""

    def __init__(self, outdir: Path, options: ImportOptions | None = None) -> None:
        self.outdir = outdir
        self.options = options or ImportOptions()
        self.report = Report()
        settings = self.options.settings
        self.book = BookBuilder(self._report, AuthorRules.from_settings(
            settings.authors, settings.path or "settings") if settings.authors else None)
        self.bodies: dict[str, Element] = {}
        #: The page read for each source name, once recognised.
        self.docs: dict[str, PageDoc] = {}
        self.aliases: dict[str, str] = {}
        self.order = BookOrder()
        #: The book's one copyright line, if its pages have one.
        self.copyright: Copyright | None = None
        self.inline, self.writer = writers(self.options.flavour,
                                           lambda slug: "/" + self.page_docname(slug))

    def _report(self, kind: str, page: Page, line: int, message: str) -> None:
        self.report.add(kind, str(page.path), line, message)

    def run(self, sources: list[Path]) -> Report:
        """Read, recognise, write; returns the report (also written to ``_import``)."""
        pages, bodies = self.read(sources)
        first_numbers: dict[str, str] = {}
        local: dict[str, list[str]] = {}
        for name, page in pages.items():
            numbers = [n[0] for b in page.blocks if isinstance(b, Heading) and
                       not is_contents_line(b) and (n := number_of(b))]
            first_numbers[name] = numbers[0] if numbers else ""
            local[name] = [n for n in numbers if not n[0].isalpha()]
        settings = self.options.settings
        self.copyright = book_copyright(pages.values())
        self.order = book_order(pages, first_numbers, settings.contents)
        if settings.contents and self.order.contents != settings.contents:
            self.report.add("contents-not-found", settings.contents, 0,
                            f"no such page; the contents page found is {self.order.contents!r}")
        self.book.aliases.update(self.aliases)
        self.book.aliases.update(self.order.folded)
        self.report.counts["contents pages made toctrees"] += len(self.order.folded)
        prefixes, titled = place_numbers(self.order, local, dict(settings.numbers))
        # Pages of questions without numbers are numbered by their place among
        # themselves (after any numbers the book uses): 1, 2, …
        asking = [n for n in self.order.pages() if n not in self.order.folded and
                  asks_questions(pages[n])]
        taken = {n.split(".")[0] for numbers in local.values() for n in numbers}
        taken |= {p.split(".")[0] for p in prefixes.values()}
        # Parts numbered by place and titled alike (``Appendix - …``): ``Appendix 1``.
        name_places(prefixes, titled, {n: page_title(pages[n]) for n in prefixes if n in pages},
                    settings.numbers)
        count = 0
        for name in asking:
            count += 1
            while str(count) in taken:
                count += 1
            prefixes[name] = settings.numbers.get(name, str(count))
        for name in [self.order.contents] * bool(self.order.contents) + self.order.pages():
            if name in self.order.folded:
                continue
            page = pages[name]
            try:
                doc = self.book.add_page(page, prefixes.get(name, ""), name in titled,
                                         name in asking)
            except (ValueError, AssertionError, IndexError, KeyError, RecursionError) as error:
                # One page the importer cannot make sense of must not stop the book.
                self.report.add("unreadable-page", str(page.path), 0,
                                f"skipped, nothing written: {type(error).__name__}: {error}")
                continue
            self.docs[name] = doc
            self.bodies[str(page.path)] = bodies[name]
            self.report.counts["pages"] += 1
            if not doc.questions and not doc.intro and not page.blocks:
                self.report.add("empty-page", str(page.path), 0,
                                "no text; written as an empty page")
        self.book.finish()
        self.outdir.mkdir(parents=True, exist_ok=True)
        for doc in self.book.docs:
            doc.docname = self.page_docname(doc.slug)
        nodes = self.order.nodes()
        for name, doc in self.docs.items():
            if name != self.order.contents:
                self.write_page(doc, nodes.get(name))
        self.write_index()
        self.write_texts()
        for file, line, message in self.inline.lost:
            self.report.add("formatting-dropped", file, line, message)
        for key, value in self.writer.counts.items():
            self.report.counts[key] += value
        self.report.write(self.outdir / IMPORT_DIR)
        return self.report

    def read(self, sources: list[Path]) -> tuple[dict[str, Page], dict[str, Element]]:
        """Every page of *sources* read once, navigation dropped; unreadable ones reported."""
        files = collect_files(sources)
        self.aliases = same_pages(files)
        skip = set(self.options.settings.skip)
        pages: dict[str, Page] = {}
        bodies: dict[str, Element] = {}
        for path in files:
            if path.name in self.aliases:
                self.report.counts["pages read under another name, read once"] += 1
                continue
            if path.name in skip:
                self.report.counts["pages skipped by the settings"] += 1
                continue
            try:
                if path.suffix.lower() == ".txt":
                    page, body = read_text_page(path)
                else:
                    page, body = read_html_page(path, self.options.settings.navigation)
            except (OSError, ValueError, UnicodeError, AssertionError, IndexError, KeyError,
                    RecursionError) as error:
                self.report.add("unreadable-page", str(path), 0,
                                f"skipped, nothing written: {type(error).__name__}: {error}")
                continue
            for kind, _line in page.dropped:
                self.report.counts[f"{kind} blocks dropped"] += 1
            pages[path.name] = page
            bodies[path.name] = body
        return pages, bodies

    def page_docname(self, slug: str) -> str:
        """The document of a source page (the contents page's is the root, ``index``)."""
        contents = self.docs.get(self.order.contents)
        if contents is not None and slug == contents.slug:
            return "index"
        return f"{slug}/index" if self.options.split == "question" else slug

    def write_page(self, doc: PageDoc, node: Node | None = None) -> None:
        """The page's document, and one per question when split by question.

        *node* is the page's place in the book: the pages under it follow its
        own questions in its toctree.  A page that is only a list of links
        (a contents page) is written as its title and that toctree.
        """
        lines: list[str] = []
        self.writer.file = str(doc.page.path)
        questions = list(doc.questions)
        children = ["/" + self.docs[c.name].docname for c in (node.children if node else [])
                    if c.name in self.docs]
        contents_only = bool(children) and not questions and is_contents_only(doc.page)
        if not doc.title_is_question:
            lines += ["# " + self.inline.render(heading_inlines(doc.title), True), ""]
        if contents_only:
            # Its links are the toctree now; the book's contents shows them.
            self.report.counts["contents pages made toctrees"] += 1
            self.write_file(doc.docname, lines + toctree(children, hidden=False))
            return
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
            # A page that is one question: the pages under it go inside it (after
            # its sub-questions), so that they are its sub-sections in the
            # navigation, the contents, the bookmarks and print, as the pages
            # under a page's heading are.
            inside = toctree(children) if not questions else None
            lines += self.question(first, doc, 1, inside=inside)
            if inside:
                children = []
        if split:
            for question in questions:
                self.write_question(question, doc)
            lines += toctree([q.docname.rsplit("/", 1)[-1] for q in questions] + children)
        elif doc.title_is_question and len(questions) == 1:
            # the same, in a file a page
            lines += self.question(questions[0], doc, 1, inside=toctree(children))
        else:
            for question in questions:
                lines += self.question(question, doc, 1 if doc.title_is_question else 2)
            lines += toctree(children)
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

    def question(self, question: Question, doc: PageDoc, level: int = 1,
                 inside: list[str] | None = None) -> list[str]:
        """The ``faq:question`` directive of *question* (with its sub-questions).

        *level* is its depth in its file (its heading's level in plain MyST);
        *inside*: lines it ends with, after its sub-questions (a toctree).
        """
        self.report.counts["questions"] += 1
        split = self.options.split == "question"
        height = 0 if split else _height(question)
        fence = ":" * (3 + height)
        title = self.inline.render(heading_inlines(question.title), True)
        lines = self.writer.question_head(question.number, title, fence, level)
        lines += self.writer.blocks(question.blocks, self.writer.heading_base(level))
        if split:
            for child in question.children:
                self.write_question(child, doc)
            lines += toctree([c.docname.rsplit("/", 1)[-1] for c in question.children])
        else:
            for child in question.children:
                lines += self.question(child, doc, level + 1)
        lines += inside or []
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
        """``index.md`` (the contents, grouped as the book's contents page groups it)
        and ``conf.py``."""
        settings = self.options.settings
        contents = self.docs.get(self.order.contents)
        first = contents or (self.book.docs[0] if self.book.docs else None)
        title = settings.title or (
            inline_text(first.title) if first else "") or "FAQ"
        title = " ".join(re.sub(r"\s*\|[^|]*$", "", title).split()) or "FAQ"
        lines = ["# " + escape_text(title), ""]
        if contents is not None:
            # The contents page's own words (a preface, a note on the edition);
            # its lists of links are the toctrees below.
            self.writer.file = str(contents.page.path)
            self.inline.notes_as_text = True
            kept = [b for b in contents.intro if not _mostly_links(b)]
            self.report.counts["contents lines made toctrees"] += len(contents.intro) - len(kept)
            lines += self.writer.blocks(kept)
            self.inline.notes_as_text = False
        chapters: list[list[str]] = []
        for group in self.order.groups:
            entries = [self.docs[e.name].docname for e in group.entries if e.name in self.docs]
            if not entries:
                continue
            chapters.append(entries)
            words = group.caption
            if words == OTHER_PAGES:  # the importer's words, not the source's
                words = own_words(words, settings.language)
            caption = [f":caption: {escape_text(words)}"] if words else []
            lines += ["```{toctree}", ":maxdepth: 1", *caption, "", *entries, "```", ""]
        (self.outdir / "index.md").write_text("\n".join(lines), "utf8")
        conf = self.outdir / "conf.py"
        # The author: as given, else the holder of the book's copyright line.
        notice = self.copyright
        author = settings.author or (notice.holder if notice else title)
        works = self.book.names.works if self.writer.bibliographies else []
        if works:
            (self.outdir / "references.bib").write_text(bibtex(works), "utf8")
            self.report.counts["bibliography works (references.bib)"] = len(works)
        text = CONF.format(**conf_values(title, author, settings.language or "en", settings,
                                         self.volumes(chapters),
                                         notice if notice and notice.holder == author else None),
                           bibtex=BIBTEX_CONF if works else "")
        conf.write_text(conf_of(self.options.flavour, text), "utf8")
        static = self.outdir / IMPORT_DIR
        static.mkdir(exist_ok=True)

    def volumes(self, chapters: list[list[str]]) -> list[list[str]]:
        """The chapters of each printed volume (``[]``: one volume).

        The settings' ``volumes`` name them; else each captioned group of the
        contents page is a volume (``Volume 1``, ``Volume 2``) when there are
        two or more; pages the contents does not reach join the last one.
        """
        every = [c for group in chapters for c in group]
        volumes: list[list[str]] = []
        if self.options.settings.volumes:
            index = {d: i for i, d in enumerate(every)}
            starts: list[int] = []
            for volume in self.options.settings.volumes:
                first = self.docs.get(volume.first)
                if first is None or first.docname not in index:
                    self.report.add("volume-not-found", self.options.settings.path, 0,
                                    f"volume {volume.title!r}: {volume.first} is no chapter "
                                    f"of the contents; the book is one volume")
                    return []
                starts.append(index[first.docname])
            starts[0] = 0  # what comes before the first volume belongs to it
            ends = [*starts[1:], len(every)]
            volumes = [every[start:end] for start, end in zip(starts, ends, strict=True)]
            return volumes if len(volumes) > 1 and all(volumes) else []
        listed = self.order.groups[:self.order.listed]
        if len(listed) < 2 or not all(g.caption for g in listed) or \
                len(chapters) < len(listed):
            return []
        volumes = [list(c) for c in chapters[:len(listed)]]
        for rest in chapters[len(listed):]:
            volumes[-1].extend(rest)
        return volumes

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


def _mostly_links(block: Block) -> bool:
    """A block of the contents page that the toctrees replace: a heading (a group's
    caption), or text that is mostly links, every one to a page of the book."""
    if isinstance(block, Heading):
        return True
    total, linked = text_and_link_text([block])
    links = [i for i in _inlines_of([block]) if isinstance(i, Link)]
    return total > 0 and linked >= 0.5 * total and \
        all(link.question or (link.page and link.page != "?") for link in links)


def conf_values(title: str, author: str, language: str, settings: BookSettings,
                volumes: list[list[str]], notice: Copyright | None = None) -> dict[str, str]:
    """The values :data:`CONF` is filled with (*notice*: the book's copyright line,
    whose years date the copyright when the settings give no date)."""
    date = settings.date
    year = date[:4] if re.match(r"\d{4}", date) else notice.years if notice else ""
    identifier = settings.epub_identifier or \
        f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'sphinx-faq-ext:' + title + '|' + author)}"
    scheme = ("ISBN" if identifier.lower().startswith("urn:isbn:") else
              "URL" if re.match(r"https?://", identifier) else "UUID")
    lines = [f"faq_pdf_volumes = {volumes!r}", ""] if volumes else []
    if date:
        # The edition's date on the title pages, not the day of the build, as the
        # book's language writes it ("November 26, 2019", not "2019-11-26").
        lines = [f"today = {printed_date(date, language)!r}", *lines]
    return {"title": title, "author": author,
            "copyright": f"{year}, {author}" if year else author,
            "release": settings.version, "language": language, "identifier": identifier,
            "scheme": scheme, "volumes": "\n".join(lines)}


def own_words(message: str, language: str) -> str:
    """The importer's own *message* (``Other pages``) in the book's *language*, from
    the extension's catalogs; as written when they have no translation.

    Only the words the importer makes up are translated: a number's word
    (``Appendix 1.3``) and the captions of the contents are the source's own,
    taken from its titles and its contents page, and stay in its language.
    """
    if not language or language.startswith("en"):
        return message
    translation = gettext.translation("sphinx_faq_ext", LOCALE_DIR, fallback=True,
                                      languages=[language.replace("-", "_")])
    return translation.gettext(message)


def printed_date(date: str, language: str) -> str:
    """*date* (``YYYY-MM-DD``) as *language* writes it in full; else as given."""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        day = datetime.date.fromisoformat(date)
        return format_date(day, format="long", locale=language.replace("-", "_") or "en")
    except (ValueError, UnknownLocaleError):
        return date


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
    """Every inline the project writes of *blocks*: notes' text too, headings not."""
    return list(inlines_in(blocks, headings=False, notes=True))


def import_book(sources: list[Path], outdir: Path,
                options: ImportOptions | None = None) -> Report:
    """Import *sources* (files or folders) into a Sphinx project in *outdir*."""
    if outdir.exists() and (outdir / IMPORT_DIR).exists():
        for child in outdir.iterdir():  # a previous import: start afresh
            if child.name != "_build":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    return ProjectWriter(outdir, options).run(sources)
