"""The ``faqpdf`` builder with the Typst engine (``faq_pdf_engine = "typst"``, the default).

The whole project becomes one doctree (as for the single-page builders), made
fit for print by the same preparation as the WeasyPrint engine's
(:func:`~sphinx_faq_ext.builders.pdf.doctree.prepare_print_tree`, volumes by
:func:`~sphinx_faq_ext.builders.pdf.parts.volumes_of`), written as Typst
markup by :class:`~sphinx_faq_ext.writers.typst.translator.TypstTranslator` into
``<name>.typ`` beside the book template ``faq-book.typ``, and compiled into a
tagged PDF/UA-1 by the Typst compiler (:mod:`.compile`).

Images are copied to ``_images/`` under a name made of their content's hash,
so the PDF does not depend on the folder it was built in.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import shutil
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from docutils import nodes
from sphinx.builders import Builder
from sphinx.locale import get_translation
from sphinx.util import logging
from sphinx.util.logging import pending_warnings
from sphinx.util.osutil import make_filename_from_project

from sphinx_faq_ext.builders.pdf.doctree import (
    ContentsEntry,
    PrintTree,
    contents_entries,
    prepare_print_tree,
)
from sphinx_faq_ext.builders.pdf.parts import (
    Parts,
    chapters_of,
    volumes_of,
)
from sphinx_faq_ext.builders.pdf.timeline import phase
from sphinx_faq_ext.builders.pdf.typst.chapters import (
    FRONT_MATTER,
    PARTS_FOLDER,
    Front,
    Laid,
    OtherParts,
    Part,
    PartsBook,
    PartsFeed,
    digest,
    exported,
    where_linked,
)
from sphinx_faq_ext.builders.pdf.typst.compile import (
    TypstCompileError,
    TypstMissingError,
    compile_in_children,
    image_problem,
    load_typst,
)
from sphinx_faq_ext.builders.pdf.typst.rebuild import (
    BookState,
    NotCanonicalError,
    Reuse,
    assemble,
    chapter_documents,
    doctree_digests,
    entry_row,
    env_digest,
    fast_book,
    ids_digest,
    unreviewed,
)
from sphinx_faq_ext.builders.pdf.typst.translated import (
    CountWarnings,
    KeptChapters,
    Translated,
    context_digest,
    fingerprint,
)
from sphinx_faq_ext.config import PAGE_SIZES, faq_config
from sphinx_faq_ext.util.builder import JOIN_SCHEME, fail_build, parallel_jobs
from sphinx_faq_ext.writers.typst.markup import label, string
from sphinx_faq_ext.writers.typst.translator import TypstTranslator

if TYPE_CHECKING:
    from collections.abc import Callable, Set

    from sphinx.config import Config
    from sphinx.util.logging import MemoryHandler

logger = logging.getLogger(__name__)
_ = get_translation("sphinx_faq_ext")

STATIC = Path(__file__).parent / "template"
TEMPLATE = "faq-book.typ"
IMAGES = "_images"
#: The label of the index of names' heading (``faq-index`` in ``faq-book.typ``).
INDEX_ANCHOR = "faq-index"


def root_anchor(config: Config) -> str:
    """The anchor of the root document (``#document-index``): its title is the
    title page, where a link to it lands (its introduction is on the title page
    or just after the contents; in a volume, the volume's title page)."""
    return f"document-{config.root_doc}"
#: Longest root-document introduction (characters) set on the title page.
INTRO_ON_TITLE_PAGE = 400


class FaqTypstBuilder(Builder):
    """Write the book as Typst markup and compile it into a tagged PDF."""

    name = "faqpdf"
    format = "typst"
    epilog = _("The PDF is in %(outdir)s.")
    default_translator_class = TypstTranslator
    supported_image_types = ["image/svg+xml", "image/png", "image/jpeg", "image/gif",
                             "image/webp"]
    supported_remote_images = False

    def init(self) -> None:
        """Say before reading anything when Typst cannot be used (then nothing is made)."""
        #: Why the book cannot be made (a missing extra): said once, nothing built.
        self.missing = ""
        try:
            load_typst()
        except TypstMissingError as error:
            self.missing = str(error)
            fail_build(self, self.missing)
        super().init()
        #: Images Typst cannot print (source name -> why); their alt text stands in.
        self.image_problems: dict[str, str] = {}

    def get_outdated_docs(self) -> str:
        """The book is one file: it is always written again."""
        return "all documents"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        """Every document is in the one book (as for the single-page builders)."""
        if docname in self.env.all_docs:
            return "#document-" + docname
        return docname + ".html"

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        """The same as :meth:`get_target_uri`: one book."""
        return self.get_target_uri(to, typ)

    def prepare_writing(self, docnames: Set[str]) -> None:
        """Nothing to prepare: the book is written in :meth:`write_documents`."""

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        """Not used: the whole book is one doctree."""

    @property
    def pdf_path(self) -> Path:
        """``faq_pdf_filename`` in the output folder."""
        filename = faq_config(self.config).pdf_filename or (
            make_filename_from_project(self.config.project) + ".pdf"
        )
        return Path(self.outdir) / filename

    def assemble_doctree(self) -> nodes.document:
        """The root document with every document of its toctrees inlined, references
        resolved (:func:`.rebuild.assemble`)."""
        return assemble(self)

    def write_documents(self, _docnames: Set[str]) -> None:
        """Assemble, prepare and write the book (or each volume), then compile it.

        Python's cycle collector is paused meanwhile: the book's doctree is
        millions of objects, which it would walk again and again while they
        are made (3.8 s of the 4.5 s of CPU that unpickling a 500-question
        book's doctrees took), and writing throws little away (each tree
        made is kept; text is freed as it goes).
        """
        self._book_written = True
        if self.missing:  # said once, by init
            return
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.write_book_pdfs()
        finally:
            if collecting:
                gc.enable()

    def write_book_pdfs(self) -> None:
        """What :meth:`write_documents` does.

        A book (or volume) laid out in parts is laid out as it is written:
        :meth:`write_parts` hands each part, once translated, to a thread
        that lays the book out (:meth:`.chapters.PartsBook.build`, with the
        parts of a :class:`.chapters.PartsFeed`), so that a worker lays part
        1 out while this process translates part 2.  One such thread lays
        the books out one after another.

        The book's doctree is made, and its markup written, in
        :meth:`write_markup`: once it returns, the doctree is garbage (its
        nodes point at their parents, so only the cycle collector frees it:
        3.4 s for a 500-question book, all of it new objects, so a
        collection of the youngest generation), collected here while the
        workers lay the parts out, rather than at the first collection after
        the build, when nothing else is left to do.
        """
        feeds: list[PartsFeed] = []
        with ThreadPoolExecutor(1, thread_name_prefix="faq-typst-layout") as layout:
            failed = threading.Event()

            def start(pdf: Path, feed: PartsFeed, processes: int) -> Future[Laying]:
                feeds.append(feed)
                book = PartsBook(Path(self.outdir) / PARTS_FOLDER, pdf.stem,
                                 self.template_text(), self.fonts(), processes)
                return layout.submit(_lay_out_book, book, feed, pdf, failed)

            try:
                with phase("write the markup"):
                    jobs, books = self.write_markup(start)
            except BaseException:
                for feed in feeds:
                    feed.abandon()
                raise
            if books:
                _collect()
            # The first failure fails the build: one error, and no volume
            # laid out after it (it would only repeat the same error).
            for pdf, parts, laying in books:
                if not self.compile_parts(pdf, parts, laying.result()):
                    failed.set()
                    return
        if jobs:
            self.compile(jobs)

    def write_markup(self, start: Callable[[Path, PartsFeed, int], Future[Laying]],
                     ) -> tuple[list[tuple[Path, Path]],
                                list[tuple[Path, list[Part], Future[Laying]]]]:
        """Assemble and prepare the book, and write its markup: the ``.typ`` to
        compile whole, and the books (or volumes) laid out in parts, each
        laid out (by *start*) as it is written."""
        settings = faq_config(self.config)
        reuse: Reuse | None = None
        if settings.pdf_by_chapter:
            with phase("look for the chapters no edit changed"):
                reuse = self.reuse()
        volumes: Parts | None
        if reuse is not None and reuse.fast is not None:
            tree, prepared = reuse.fast.tree, reuse.fast.prepared
            volumes = reuse.fast.volumes  # their links resolved already
        else:
            with CountWarnings() as warned:
                with phase("assemble the doctree"):
                    tree = self.assemble_doctree()
                if reuse is not None:
                    with phase("hash each chapter's ids"):
                        reuse.chapter_ids = {chapter["docname"]: ids_digest(chapter)
                                             for chapter in chapters_of(tree)}
                with phase("prepare it for print"):
                    prepared = prepare_print_tree(tree, self.config.html_baseurl)
                volumes = volumes_of(tree, settings.pdf_volumes, self.confdir)
                if volumes is not None:
                    volumes.resolve_links(
                        prepared.renamed, self.config.html_baseurl, lambda doc: doc + ".html"
                    )
                self.post_process_images(tree)
                self.copy_images()
            if reuse is not None:
                # a warning resolving a chapter must be said again next time
                reuse.warned = warned.count > 0
        self.copy_template()
        jobs: list[tuple[Path, Path]] = []
        books: list[tuple[Path, list[Part], Future[Laying]]] = []
        by_chapter = settings.pdf_by_chapter
        if volumes is None:
            if by_chapter and len(chapters_of(tree)) > 1:
                books.append(self.write_parts(tree, prepared.intro, self.pdf_path, None, start,
                                              reuse, prepared))
            else:
                BookState.forget(Path(self.outdir) / PARTS_FOLDER, self.pdf_path.stem)
                jobs.append(self.write_book(tree, prepared.intro, self.pdf_path, None))
        else:
            for volume in range(volumes.count):
                pdf = self.pdf_path.with_name(
                    f"{self.pdf_path.stem}-{volume + 1}{self.pdf_path.suffix}")
                with volumes.only(volume):
                    intro = prepared.intro if volume == 0 else []
                    if by_chapter and len(chapters_of(tree)) > 1:
                        books.append(self.write_parts(tree, intro, pdf, (volume, volumes), start,
                                                      reuse, prepared))
                    else:
                        BookState.forget(Path(self.outdir) / PARTS_FOLDER, pdf.stem)
                        jobs.append(self.write_book(tree, intro, pdf, (volume, volumes)))
        return jobs, books

    def write_book(
        self, tree: nodes.document, intro: list[nodes.Node], pdf: Path,
        volume: tuple[int, Parts] | None,
    ) -> tuple[Path, Path]:
        """Write one PDF's ``.typ``: the template's calls around the translated book."""
        settings = faq_config(self.config)
        depth = settings.pdf_toc_depth
        translator = self.typst_translator(tree)
        translator.outlined = {entry.anchor for entry in contents_entries(tree, depth)}
        tree.walkabout(translator)
        intro_markup = ""
        if intro:
            intro_translator = self.typst_translator(tree)
            intro_translator.targets = translator.targets
            intro_markup = intro_translator.render(intro).strip()
        intro_length = sum(len(node.astext()) for node in intro)
        volume_line = self.volume_line(volume)
        lines = [*self.preamble(self.user_templates()),
                 *self.title_page(intro_markup, intro_length, volume_line),
                 f"#faq-contents(title: [{_escape(_('Contents'))}])"]
        if intro_markup and intro_length > INTRO_ON_TITLE_PAGE:
            lines.append(f"#faq-front-intro[{intro_markup}]")
        lines.append("#show: faq-main-matter")
        translator.labelled.add(root_anchor(self.config))  # on the title page
        body = translator.astext()
        tail = ""
        if translator.index_entries:
            tail = f"\n#faq-index(title: [{_escape(_('Index'))}])\n"
        source = pdf.with_suffix(".typ")
        source.write_text("\n".join(lines) + "\n" + body + tail, encoding="utf8")
        return source, pdf

    def volume_line(self, volume: tuple[int, Parts] | None) -> str:
        """"Volume 2 of 5" as Typst content, or ``none``."""
        if volume is None:
            return "none"
        return "[" + _escape(_("Volume %(number)d of %(total)d") % {
            "number": volume[0] + 1, "total": volume[1].count}) + "]"

    def preamble(self, user_templates: list[str], root: str = "") -> list[str]:
        """The lines every ``.typ`` of the book starts with: imports, page, type.

        *root* is put before the imported files' names (``/``: from the
        output folder, for the parts in their folder).
        """
        settings = faq_config(self.config)
        title = settings.pdf_title or self.config.project
        language = (self.config.language or "en").replace("-", "_")
        lang, _sep, region = language.partition("_")
        authors = [self.config.author] if self.config.author else []
        return [
            "// Written by sphinx-faq-ext (faqpdf, Typst engine) at each build: "
            "edit the sources, or restyle in a faq_pdf_typst file.",
            f'#import "{root}{TEMPLATE}": *',
            *(f"#import {string(root + name)}: *" for name in user_templates),
            "#show: faq-book.with(",
            f"  title: {string(title)},",
            f"  author: ({''.join(string(a) + ', ' for a in authors)}),",
            f"  lang: {string(lang.lower())},",
            f"  region: {string(region.upper()) if region else 'none'},",
            f"  {self.page_size()},",
            f"  measure: {settings.pdf_measure},",
            *self.note_marker(),
            ")",
            "#show: faq-custom",
        ]

    def title_page(self, intro_markup: str, intro_length: int, volume_line: str) -> list[str]:
        """The title page's call."""
        settings = faq_config(self.config)
        title = settings.pdf_title or self.config.project
        release = " · ".join(part for part in (self.config.release, self.today_text()) if part)
        return [
            f"#metadata(none) {label(root_anchor(self.config))}",
            "#faq-title-page(",
            f"  title: {string(title)},",
            f"  subtitle: {_content(_escape(settings.pdf_subtitle))},",
            f"  volume: {volume_line},",
            f"  intro: {_content(intro_markup if intro_length <= INTRO_ON_TITLE_PAGE else '')},",
            f"  author: {_content(_escape(self.config.author or ''))},",
            f"  release: [{_escape(release)}],",
            ")",
        ]

    def write_parts(
        self, tree: nodes.document, intro: list[nodes.Node], pdf: Path,
        volume: tuple[int, Parts] | None,
        start: Callable[[Path, PartsFeed, int], Future[Laying]],
        reuse: Reuse | None = None, prepared: PrintTree | None = None,
    ) -> tuple[Path, list[Part], Future[Laying]]:
        """The book (or volume) as one part a chapter (:mod:`.chapters`).

        Each chapter is translated alone: links to what another part prints
        are ``faq-join:`` links, page numbers of other parts are read from the
        part's data.  Each part is laid out (*start*: by a thread of
        :meth:`write_book_pdfs`) as soon as it is written, so its report
        gives the places of every anchor another part *may* need (linked
        from another part, or in the contents); the join names those the
        others' markup turned out to need.  The front matter's markup is made
        once the page numbers are known (a function of them).

        *reuse*: what the last build kept of the book (:mod:`.rebuild`); when
        it knew every chapter but those an edit changed (``reuse.fast``),
        *tree* holds only those, and the rest comes from it.  What this build
        knows is kept for the next.
        """
        settings = faq_config(self.config)
        chapters = chapters_of(tree)
        units = Parts(tree, [[chapter["docname"]] for chapter in chapters])
        kept = KeptChapters(Path(self.outdir) / PARTS_FOLDER)
        fast = (reuse.fast.pdfs.get(pdf.stem)
                if reuse is not None and reuse.fast is not None else None)
        linked: dict[int, set[str]] = {}
        if fast is not None:
            home, targets, across = fast.home, fast.targets, fast.across
            entries, context = fast.entries, fast.context
            outlined = {entry.anchor for entry in entries}
        else:
            with phase("find each id's part, the links"):
                home, targets, across = where_linked(tree, units, linked)
                home[root_anchor(self.config)] = FRONT_MATTER  # on the title page
                entries = list(contents_entries(tree, settings.pdf_toc_depth))
                outlined = {entry.anchor for entry in entries}
                context = context_digest(
                    self.config, self.extension_versions(), targets, outlined, home.items(),
                    self.images.items(), self.image_problems.items())
        keys: list[str] = []
        stem = pdf.stem
        preamble = "\n".join(self.preamble(self.user_templates(), root="/")) + "\n"
        # an index of names is known once every chapter is written: a slot for it
        feed = PartsFeed(units.count + 1)
        laying = start(pdf, feed, min(parallel_jobs(self), units.count + 1))
        chapters_done: list[Translated] = []
        translated = 0
        for index in range(units.count):
            name = f"{stem}-{index + 1:03d}"
            known = fast.known.get(index) if fast is not None else None
            if known is not None:
                key, done = known
            else:
                with units.only(index), phase(f"translate {name}"):
                    key = fingerprint(tree, context)
                    found = kept.get(name, key)
                    if found is None:
                        found, warned = self.translate_part(tree, targets, outlined,
                                                            OtherParts(home, index))
                        kept.put(name, key, None if warned else found)
                        translated += 1
                    done = found
            keys.append(key)
            chapters_done.append(done)
            anchors = [anchor for anchor in done.labelled if home.get(anchor) == index
                       and (anchor in outlined or anchor in across)]
            feed.add(Part(name, self.part_markup(preamble, done.body, anchors), anchors,
                          sorted(done.pages_elsewhere), links=dict(done.linked_elsewhere)))
        logger.info(_("%s: %d of %d chapters converted to Typst (the others unchanged)"),
                    pdf.name, translated, units.count)
        if reuse is not None and prepared is not None:
            with phase("keep what the next build may reuse"):
                self.keep_state(reuse, tree, prepared, pdf.stem, volume, home, linked,
                                targets, across, entries, context, keys)
        wanted = outlined.union(*(done.linked_elsewhere for done in chapters_done))
        exports = exported(home, wanted)
        changed = False
        for index, (part, done) in enumerate(zip(feed.parts, chapters_done, strict=True)):
            labelled = set(done.labelled)
            part.named = {a for a in exports.get(index, []) if a in labelled}
            if not part.named <= set(part.exports):  # not foreseen: laid out again
                part.exports = sorted(part.named.union(part.exports))
                part.markup = self.part_markup(preamble, done.body, part.exports)
                changed = True
        has_index = any(done.index_entries for done in chapters_done)
        if has_index:
            head = (preamble + "#show: faq-main-matter\n"
                    + f"#faq-index(title: [{_escape(_('Index'))}], entries: ")
            # its heading's anchor: a line of the contents, as in the book in one piece
            feed.add(Part(f"{stem}-index", "", [INDEX_ANCHOR], [], index=(
                head, f")\n#faq-part-report(({string(INDEX_ANCHOR)},))\n")))
        intro_markup = ""
        if intro:
            intro_translator = self.typst_translator(tree)
            intro_translator.targets = targets
            intro_translator.elsewhere = OtherParts(home, FRONT_MATTER)
            intro_markup = intro_translator.render(intro).strip()
        intro_length = sum(len(node.astext()) for node in intro)
        front_lines = [preamble.rstrip("\n"),
                       *self.title_page(intro_markup, intro_length, self.volume_line(volume))]

        def front(numbers: dict[str, str]) -> Front:
            # the contents' entries go in the front matter's data, where the
            # template's faq-contents (or the book's own) reads them
            listed: list[list[object]] = []
            for entry in entries:
                text = f"{entry.number} {entry.title}" if entry.number else entry.title
                listed.append([entry.level, text, JOIN_SCHEME + entry.anchor,
                               numbers.get(entry.anchor, "?")])
            if has_index:
                listed.append([1, _("Index"), JOIN_SCHEME + INDEX_ANCHOR,
                               numbers.get(INDEX_ANCHOR, "?")])
            lines = [*front_lines, f"#faq-contents(title: [{_escape(_('Contents'))}])"]
            if intro_markup and intro_length > INTRO_ON_TITLE_PAGE:
                lines.append(f"#faq-front-intro[{intro_markup}]")
            lines.append(f"#faq-part-report(({string(root_anchor(self.config))},))")
            return Front("\n".join(lines) + "\n", listed)

        parts = list(feed.parts)
        feed.close(front, changed)
        return pdf, parts, laying

    def book_key(self) -> str | None:
        """What, besides its documents, the book's chapters are made of: the
        environment, the configuration, the tags, the code (:mod:`.rebuild`); None when
        it cannot be told (a post-transform not reviewed, data with no
        canonical form): nothing is then kept for the next build."""
        from sphinx_faq_ext.util.upstream.sphinx import builder_app

        if unreviewed(builder_app(self), self):
            return None
        try:
            environment = env_digest(self.env)
        except NotCanonicalError:
            return None
        # the tags too: ``only`` is resolved at write time from them, and they
        # are no part of the environment or the configuration (``-t``, or
        # ``tags.add`` in ``conf.py``)
        return digest(environment, context_digest(self.config, self.extension_versions()),
                      self.pdf_path.stem, "\0".join(sorted(self.tags)))

    def reuse(self) -> Reuse | None:
        """What the last build kept of the book, and the book assembled from the
        chapters an edit changed when the rest can be reused (:func:`.rebuild.fast_book`)."""
        folder = Path(self.outdir) / PARTS_FOLDER
        stem = self.pdf_path.stem
        key = self.book_key()
        if key is None:
            logger.verbose("faqpdf: the whole book is assembled: a post-transform or "
                           "handler not reviewed, or data of no canonical form")
            BookState.forget(folder, stem)
            return None
        reuse = Reuse(key, doctree_digests(self.env, sorted(self.env.all_docs)))
        states = self.last_states(folder, stem)
        if states is None or any(state.key != key for state in states.values()):
            reuse.why = ("nothing kept of the last build" if states is None
                         else "the environment, configuration or code changed")
        else:
            with pending_warnings() as held, CountWarnings() as warned:
                self.fast_book(reuse, states, folder)
                if reuse.fast is None:  # said when the whole book is resolved
                    cast("MemoryHandler", held).buffer.clear()
                reuse.warned = warned.count > 0
        if reuse.fast is not None:
            logger.info(_("%s: %d of %d chapters assembled (the others unchanged)"),
                        self.pdf_path.name, reuse.fast.changed, reuse.fast.chapters)
        else:
            logger.verbose("faqpdf: the whole book is assembled: %s", reuse.why)
        return reuse

    def last_states(self, folder: Path, stem: str) -> dict[str, BookState] | None:
        """The last build's state of the book, or of each of its volumes, by PDF stem."""
        if not faq_config(self.config).pdf_volumes:
            state = BookState.load(folder, stem)
            return None if state is None else {stem: state}
        first = BookState.load(folder, f"{stem}-1")
        if first is None or len(first.volumes) < 2:
            return None
        states = {f"{stem}-1": first}
        for number in range(2, len(first.volumes) + 1):
            state = BookState.load(folder, f"{stem}-{number}")
            if state is None or state.volumes != first.volumes:
                return None
            states[f"{stem}-{number}"] = state
        return states

    def fast_book(self, reuse: Reuse, states: dict[str, BookState], folder: Path) -> None:
        """:func:`.rebuild.fast_book`, and every image checked against the last build's."""
        reuse.fast, reuse.why = fast_book(self, states, reuse.docs, folder)
        if reuse.fast is not None:
            # every image must be the last build's, its content too (the kept
            # chapters' markup names each by its content's hash)
            first = next(iter(states.values()))
            self.post_process_images(reuse.fast.tree)
            for name in [*first.images, *first.image_problems]:
                self.images.setdefault(name, name)
            self.copy_images()
            if self.images != first.images or self.image_problems != first.image_problems:
                reuse.fast, reuse.why = None, "the images changed"
                self.images, self.image_problems = {}, {}

    def keep_state(self, reuse: Reuse, tree: nodes.document, prepared: PrintTree, stem: str,
                   volume: tuple[int, Parts] | None, home: dict[str, int],
                   linked: dict[int, set[str]], targets: set[str], across: set[str],
                   entries: list[ContentsEntry], context: str, keys: list[str]) -> None:
        """Keep what this build knows of the book (or volume) *stem* for the next
        (:class:`.rebuild.BookState`)."""
        folder = Path(self.outdir) / PARTS_FOLDER
        if reuse.warned:  # the next build resolves every chapter, and warns again
            BookState.forget(folder, stem)
            return
        fast = reuse.fast.pdfs.get(stem) if reuse.fast is not None else None
        if fast is not None:
            dataclasses.replace(fast.state, docs=reuse.docs, keys=keys).save(folder, stem)
            return
        chapters = [chapter_documents(self.env, chapter["docname"])
                    for chapter in chapters_of(tree)]
        every = [name for names in chapters for name in names]
        ids = [reuse.chapter_ids.get(names[0]) for names in chapters]
        if len(every) != len(set(every)) or None in ids:
            BookState.forget(folder, stem)  # a document in two chapters: not reused
            return
        questions = [home[entry.anchor] for entry in entries
                     if entry.question and entry.anchor in home]
        state = BookState(
            key=reuse.key, docs=reuse.docs, chapters=chapters, ids=[str(i) for i in ids],
            home=list(home.items()),
            linked=[sorted(linked.get(index, ())) for index in range(len(chapters))],
            across=sorted(across), targets=sorted(targets),
            entries=[entry_row(entry) for entry in entries],
            renamed=[(document, old, new) for (document, old), new in prepared.renamed.items()],
            titles=prepared.titles, last_question=max(questions, default=-1),
            volumes=[] if volume is None else [list(names) for names in volume[1].names],
            context=context, keys=keys, images=dict(self.images),
            image_problems=dict(self.image_problems),
            documents={} if volume is None else {
                ident: document for ident, (number, document) in volume[1].homes.items()
                if number == volume[0]})
        state.save(folder, stem)

    @staticmethod
    def part_markup(preamble: str, body: str, anchors: list[str]) -> str:
        """A chapter's ``.typ``: its body, and the report of where *anchors* are."""
        return (preamble + "#show: faq-main-matter\n" + body
                + f"\n#faq-part-report(({''.join(string(a) + ', ' for a in anchors)}))\n")

    def translate_part(self, tree: nodes.document, targets: set[str], outlined: set[str],
                       elsewhere: OtherParts) -> tuple[Translated, bool]:
        """The part *tree* holds now, translated; and whether translating it warned."""
        translator = self.typst_translator(tree)
        translator.targets = targets
        translator.outlined = outlined
        translator.elsewhere = elsewhere
        with CountWarnings() as warnings:
            tree.walkabout(translator)
            body = translator.astext()
        links = {anchor: logging.get_node_location(node) or ""
                 for anchor, node in sorted(translator.linked_elsewhere.items())}
        return Translated(body, sorted(translator.labelled), links,
                          sorted(translator.pages_elsewhere),
                          translator.index_entries), warnings.count > 0

    def extension_versions(self) -> dict[str, str]:
        """Each loaded extension's version: another version translates anew."""
        from sphinx_faq_ext.util.upstream.sphinx import builder_app

        return {name: str(extension.version)
                for name, extension in builder_app(self).extensions.items()}

    def template_text(self) -> str:
        """The template and the book's own Typst files: a part is laid out again
        when one of them changed."""
        texts = [(STATIC / TEMPLATE).read_text("utf8")]
        for entry in faq_config(self.config).pdf_typst:
            path = Path(self.confdir) / entry
            if path.is_file():
                texts.append(path.read_text("utf8"))
        texts += [str(Path(self.confdir) / f) for f in faq_config(self.config).pdf_fonts]
        return "\n".join(texts)

    def compile_parts(self, pdf: Path, parts: list[Part], laying: Laying) -> bool:
        """Say how laying out the parts went (:func:`_lay_out_book`): Typst's
        warnings, links to nowhere.  False when Typst could not compile a part:
        the build has failed.
        """
        logger.info(_("writing %s with Typst, %d chapters (%d at a time)… "),
                    pdf.name, len(parts), min(laying.processes, len(parts)), nonl=True)
        laid = laying.laid
        if laid is None:
            logger.info("")
            self.remove_pdfs([pdf])
            fail_build(self, f"{laying.error}\n" + _("no PDF was written"))
            return False
        logger.info(_("done (%.1f s)"), laying.seconds)
        folder = Path(self.outdir) / PARTS_FOLDER
        for part, report in [*zip(parts, laid.reports, strict=True),
                             (None, laid.front)]:
            source = folder / f"{part.name if part else pdf.stem + '-front'}.typ"
            for message in report.warnings:
                logger.warning("Typst: %s", message, type="faq", subtype="typst",
                               location=f"{source}:")
        if laid.unsettled:
            logger.warning(
                "faqpdf: the page counts of %s kept changing with its page numbers; "
                "some page numbers may be off", pdf.name, type="faq", subtype="typst",
                location=(self.config.root_doc, None))
        for anchor in laid.joined.unresolved:
            # where the first part linking there links (the contents: the root document)
            where = next((part.links[anchor] for part in parts
                          if part.links.get(anchor)), None)
            logger.warning("faqpdf: a link to #%s, which no chapter holds, is plain text",
                           anchor, type="faq", subtype="typst",
                           location=where or (self.config.root_doc, None))
        logger.info(_("%s: %d pages, %d of %d parts laid out"), pdf.name, laid.joined.pages,
                    laid.compiled, len(parts) + 1)
        return True

    def fonts(self) -> list[Path]:
        """The folders of ``faq_pdf_fonts``."""
        return [Path(self.confdir) / folder for folder in faq_config(self.config).pdf_fonts]

    def typst_translator(self, tree: nodes.document) -> TypstTranslator:
        """A translator with the ``typst=`` visitors of every extension's nodes."""
        translator = self.create_translator(tree, self)
        assert isinstance(translator, TypstTranslator)
        return translator

    def page_size(self) -> str:
        """``paper: "a5"`` or ``width: …, height: …`` from ``faq_pdf_page_size``."""
        size = faq_config(self.config).pdf_page_size.strip()
        named = PAGE_SIZES.get(size.lower())
        parts = named or tuple(size.split())
        if len(parts) == 2 and all(_is_length(part) for part in parts):
            return f"width: {parts[0]}, height: {parts[1]}"
        logger.warning(
            "faq_pdf_page_size = %r is not a page size the Typst engine knows "
            "(%s, or two lengths such as '148mm 210mm'); using A5",
            size, ", ".join(PAGE_SIZES), type="faq", subtype="config",
            location=(self.config.root_doc, None),
        )
        return 'paper: "a5"'

    def note_marker(self) -> list[str]:
        """The text around the note number in a marker (``[`` and ``]`` by default)."""
        prefix, _sep, suffix = faq_config(self.config).note_marker.partition("{number}")
        return [f"  note-prefix: {string(prefix)},", f"  note-suffix: {string(suffix)},"]

    def today_text(self) -> str:
        """``today`` / ``today_fmt`` as Sphinx formats it for |today|."""
        from sphinx.util.i18n import format_date

        if self.config.today:
            return str(self.config.today)
        return format_date(
            self.config.today_fmt or "%b %d, %Y", language=self.config.language
        )

    def user_templates(self) -> list[str]:
        """``faq_pdf_typst`` files, copied beside the book; a missing one warns."""
        names = []
        for entry in faq_config(self.config).pdf_typst:
            path = Path(self.confdir) / entry
            if not path.is_file():
                logger.warning("faq_pdf_typst: no Typst file %s; ignored", path,
                               type="faq", subtype="config",
                               location=(self.config.root_doc, None))
                continue
            shutil.copyfile(path, Path(self.outdir) / path.name)
            names.append(path.name)
        return names

    def copy_template(self) -> None:
        """The book template beside the book's ``.typ``."""
        Path(self.outdir).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATIC / TEMPLATE, Path(self.outdir) / TEMPLATE)

    def copy_images(self) -> None:
        """Each image to ``_images/<hash of its content><suffix>``; ``images`` maps to it."""
        folder = Path(self.outdir) / IMAGES
        for source_name in list(self.images):
            source = Path(self.srcdir) / source_name
            try:
                data = source.read_bytes()
            except OSError as error:
                logger.warning("faqpdf: cannot read image %s: %s", source, error,
                               type="faq", subtype="image")
                del self.images[source_name]
                continue
            name = hashlib.sha256(data).hexdigest()[:20] + source.suffix.lower()
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            if not target.exists():
                target.write_bytes(data)
            problem = image_problem(folder, name)
            if problem is not None:
                self.image_problems[source_name] = problem
                del self.images[source_name]
                continue
            # from the output folder (Typst's root): the parts' .typ are in a folder
            self.images[source_name] = f"/{IMAGES}/{name}"

    def compile(self, jobs: list[tuple[Path, Path]]) -> bool:
        """Compile each ``.typ``, ``-j`` at once; Typst's warnings become faq.typst warnings.

        False when Typst could not compile one: the build has failed.
        """
        processes = min(parallel_jobs(self), len(jobs))
        logger.info(_("writing %s with Typst (%d at a time)… "),
                    ", ".join(pdf.name for _source, pdf in jobs), processes, nonl=True)
        started = time.perf_counter()
        try:
            compiled = list(compile_in_children(jobs, self.fonts(), processes))
        except TypstCompileError as error:
            logger.info("")
            self.remove_pdfs([pdf for _source, pdf in jobs])
            fail_build(self, f"{error}\n" + _("no PDF was written"))
            return False
        logger.info(_("done (%.1f s)"), time.perf_counter() - started)
        for (source, _pdf), result in zip(jobs, compiled, strict=True):
            for message in result.warnings:
                logger.warning("Typst: %s", message, type="faq", subtype="typst",
                               location=f"{source}:")
        return True

    def remove_pdfs(self, pdfs: list[Path]) -> None:
        """Nothing left that looks like the book: neither this build's PDFs (a
        volume laid out alone is no book) nor the last build's."""
        stem = self.pdf_path.stem
        for pdf in [*pdfs, self.pdf_path, *self.pdf_path.parent.glob(f"{stem}-*.pdf")]:
            if pdf == self.pdf_path or pdf.stem.removeprefix(f"{stem}-").isdigit():
                pdf.unlink(missing_ok=True)

    def finish(self) -> None:
        """Write the book here if Sphinx did not call :meth:`write_documents`.

        Sphinx before 8.1 has no ``write_documents``: its ``Builder.write``
        calls :meth:`write_doc` (which does nothing here) for each document.
        """
        if not getattr(self, "_book_written", False):
            self.write_documents(set())


@dataclass
class Laying:
    """How laying out a book in parts went (:func:`_lay_out_book`)."""

    processes: int  #: the parts laid out at once
    laid: Laid | None = None  #: None: it failed, or was not tried
    error: TypstCompileError | None = None
    seconds: float = 0.0


def _lay_out_book(book: PartsBook, feed: PartsFeed, pdf: Path,
                  failed: threading.Event) -> Laying:
    """Lay out *feed*'s parts as they are written, into *pdf*: in the thread of
    :meth:`FaqTypstBuilder.write_book_pdfs`.  A book after one that failed
    (*failed*) is not tried."""
    laying = Laying(book.processes)
    if failed.is_set():
        return laying
    started = time.perf_counter()
    try:
        laying.laid = book.build(feed, pdf)
    except TypstCompileError as error:
        failed.set()
        laying.error = error
    except BaseException:
        failed.set()
        raise
    laying.seconds = time.perf_counter() - started
    return laying


def _collect() -> None:
    """The youngest generation collected (the book's doctree), on the timeline."""
    with phase("collect the doctree"):
        gc.collect(0)


def _content(markup: str) -> str:
    """``[markup]``, or ``none`` for nothing."""
    return f"[{markup}]" if markup else "none"


def _escape(text: str) -> str:
    from sphinx_faq_ext.writers.typst.markup import escape

    return escape(text)


def _is_length(text: str) -> bool:
    import re

    return re.fullmatch(r"\d+(\.\d+)?(mm|cm|in|pt)", text) is not None
