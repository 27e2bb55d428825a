"""A Typst book laid out chapter by chapter, on every core, then joined into one PDF.

Typst lays a document out in one process and keeps every page in memory
(about 1.5 MB a page: 6.5 GB for a 500-question book in one piece), and its
running heads look through the whole document from every page.  So a book
of two or more chapters (``faq_pdf_by_chapter``, the default) is written as
one ``.typ`` a chapter (a *part*, in ``_parts/``), each compiled by a worker
process (``python -m sphinx_faq_ext.builders.pdf.typst.compile --serve``, on the
protocol of :mod:`..workers`, as the WeasyPrint engine's), as many at once as
``-j`` says, each as soon as the builder has translated it (a
:class:`PartsFeed`: a worker lays part 1 out while the build translates part
2); the front matter (title page, contents) is
compiled last, with the page numbers of the parts, and
:func:`~sphinx_faq_ext.builders.pdf.join.join` (the WeasyPrint engine's join)
puts the PDFs together: one structure tree, bookmarks, page labels i, ii…
then 1…, named destinations, and blank pages so that chapters open on
right-hand pages.

Page numbers without laying a chapter out twice: a chapter's page count does
not depend on its first page number (each chapter opens on a right-hand
page, so even the inside and outside margins are the same), so a child
lays its part out, reports its page count, and gets its first page number
once the parts before it have reported theirs.  The number is read by the
template from the part's JSON file (``faq-part-data`` in ``faq-book.typ``),
and Typst, compiling again in the same process with only that file changed,
reuses its layout: the second compile costs about a seventh of the first.

A link into another part is written ``"faq-join:ID"`` by the translator; the
part reports where each such anchor stands, and the join turns the link
into a link inside the book.  As a part is laid out before the parts after
it are translated, its report lists every anchor another part may link to
(:func:`where_linked`: something outside its part links there) or the
contents list; the join names those the other parts did link to
(:attr:`Part.named`), so the book is the same as if each part had been
written knowing them.  The parts that print page numbers of other
parts (the question index, the works quoted, the index of names) are given
those numbers in their JSON file; should one of them change the page count
of the parts after it, those are laid out again (:data:`SETTLE_ROUNDS`).

Rebuilding reuses unchanged parts: a part's PDF is kept in ``_parts/`` with
the hash of its markup, the template and its numbers (``<stem>.parts.json``),
and is laid out again only when one of them, or its first page, changed.
The joined book is reused too: what the join made of each part is kept
(``<stem>.join.json``, with the hash of the book it wrote), and when the
front matter and every part's first page and page count are the same as
then, :func:`~sphinx_faq_ext.builders.pdf.join.rejoin` replaces only the
parts laid out again in the last book (a one-question edit of a
500-question book: 3.9 s of CPU against 7.4-7.8 s for a full join).  The
join is made by a child process (:mod:`..join_worker`), which reads the last
book while the parts are laid out and ends without freeing it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_faq_ext.builders.pdf.join import Joined
from sphinx_faq_ext.builders.pdf.join_worker import JoinWorker
from sphinx_faq_ext.builders.pdf.timeline import phase
from sphinx_faq_ext.builders.pdf.typst.compile import (
    TypstCompileError,
    compile_error,
    typst_workers,
)
from sphinx_faq_ext.builders.pdf.workers import FirstPages, Workers, in_order
from sphinx_faq_ext.util.builder import JOIN_SCHEME
from sphinx_faq_ext.util.walk import collect
from sphinx_faq_ext.writers.typst.base import add_link_targets

if TYPE_CHECKING:
    from collections.abc import Callable, Container

    from sphinx_faq_ext.builders.pdf.parts import Parts

#: Where the parts' markup, data and PDFs go, in the output folder.
PARTS_FOLDER = "_parts"
#: Rounds of laying out the parts whose page numbers (or first page) changed
#: before giving up on a book whose page counts keep changing with them.
SETTLE_ROUNDS = 4
#: What a part prints for a page number not known yet (as wide as most).
PLACEHOLDER = "000"


#: The front matter's place in ``home`` (the part of each id; chapters from 0):
#: what the title page defines (the root document's anchor) is printed there.
FRONT_MATTER = -1


class OtherParts:
    """The ids printed in parts other than *part*: the translator's ``elsewhere``."""

    def __init__(self, home: dict[str, int], part: int) -> None:
        self.home, self.part = home, part

    def __contains__(self, node_id: object) -> bool:
        return self.home.get(str(node_id), self.part) != self.part


def where_linked(tree: nodes.document, units: Parts,
                 per_part: dict[int, set[str]] | None = None,
                 ) -> tuple[dict[str, int], set[str], set[str]]:
    """Where *tree*'s ids are, what it links to, what may be linked across parts.

    Returns the part of each id of a chapter (the first it is in), every id
    something links to (:func:`~sphinx_faq_ext.writers.typst.base.link_targets`),
    and the ids that something outside their part links to: a chapter
    linking to another's, or text outside the chapters (printed in every
    part, or the front matter's).  One walk of the tree.  *per_part*, when
    given, receives what each part links to.
    """
    home: dict[str, int] = {}
    targets: set[str] = set()
    by_part: list[tuple[int, set[str]]] = []
    inside: set[int] = set()
    for unit, part in units.units():
        inside.add(id(unit))
        linked: set[str] = set()
        for node in collect(unit, nodes.Element)[0]:
            for node_id in node.attributes.get("ids", ()):
                home.setdefault(node_id, part)
            add_link_targets(node, linked)
        by_part.append((part, linked))
        targets |= linked
        if per_part is not None:
            per_part.setdefault(part, set()).update(linked)
    across: set[str] = set()
    stack: list[nodes.Node] = [tree]
    while stack:  # the text outside the chapters
        node = stack.pop()
        if id(node) in inside or not isinstance(node, nodes.Element):
            continue
        add_link_targets(node, across)
        stack.extend(node.children)
    targets |= across
    for part, linked in by_part:
        across.update(anchor for anchor in linked if home.get(anchor, part) != part)
    return home, targets, across


@dataclass
class Part:
    """One part of the book: its markup, and what it shares with the others."""

    name: str  #: file stem in :data:`PARTS_FOLDER`
    markup: str  #: the ``.typ`` (for the index of names: made from the reports)
    #: Its anchors others may need, whose places its report gives.
    exports: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)  #: anchors elsewhere it prints pages of
    #: For the index of names: the markup before and after its entries.
    index: tuple[str, str] | None = None
    #: Anchors of other parts it links to, each with where its first link
    #: is (``source:line``, for a warning when the join finds no such anchor).
    links: dict[str, str] = field(default_factory=dict)
    #: Those of :attr:`exports` the join names in the book (None: all); set
    #: once every part is written (:class:`PartsFeed`).
    named: set[str] | None = None


class FeedAbandonedError(Exception):
    """The builder stopped writing the parts (an error of its own): nothing to lay out."""


class PartsFeed:
    """A book's parts as the builder writes them, one after another, while the
    workers lay out those written (a producer and its consumer).

    *most* is how many parts the book may have (its chapters and an index of
    names, which is known only once every chapter is written: a slot that
    stays empty is :meth:`get`'s None).  :meth:`close` gives the front matter
    (a function of the page numbers) once the last part is written.
    """

    def __init__(self, most: int) -> None:
        self.most = most
        self.parts: list[Part] = []
        self.front: Callable[[dict[str, str]], Front] | None = None
        #: Some part's markup changed after it was given (its reports need a look).
        self.changed = False
        self.closed = False
        self.abandoned = False
        self.ready = threading.Condition()

    def add(self, part: Part) -> None:
        """The next part is written."""
        with self.ready:
            assert not self.closed and len(self.parts) < self.most
            self.parts.append(part)
            self.ready.notify_all()

    def close(self, front: Callable[[dict[str, str]], Front], changed: bool = False) -> None:
        """Every part is written; *changed*: some part's markup was written again."""
        with self.ready:
            self.front, self.changed, self.closed = front, changed, True
            self.ready.notify_all()

    def abandon(self) -> None:
        """No more parts will come: who waits for one raises :class:`FeedAbandonedError`."""
        with self.ready:
            self.abandoned = True
            self.ready.notify_all()

    def upto(self, index: int) -> list[Part] | None:
        """Parts 0 to *index*, once part *index* is written; None when the book
        has no such part (the slot of an index of names it has not)."""
        with self.ready:
            self.ready.wait_for(lambda: len(self.parts) > index or self.closed
                                or self.abandoned)
            if self.abandoned:
                raise FeedAbandonedError
            return self.parts[: index + 1] if len(self.parts) > index else None

    def all(self) -> list[Part]:
        """Every part, once written."""
        with self.ready:
            self.ready.wait_for(lambda: self.closed or self.abandoned)
            if self.abandoned:
                raise FeedAbandonedError
            return list(self.parts)

    @classmethod
    def of(cls, parts: list[Part], front: Callable[[dict[str, str]], Front]) -> PartsFeed:
        """A feed of parts all written already."""
        feed = cls(len(parts))
        feed.parts = list(parts)
        feed.close(front)
        return feed


@dataclass
class Front:
    """The front matter's markup, and the entries of its contents (level, title,
    target, page label), which the template's ``faq-contents`` reads from the
    part's data (``faq-contents-entries``)."""

    markup: str
    contents: list[list[object]]


@dataclass
class Report:
    """What laying a part out gave (kept in the manifest for the next build)."""

    key: str  #: hash of the part's markup, numbers and template
    first: int  #: its first page number
    pages: int
    anchors: dict[str, list[float]]  #: anchor -> [page of the part, x, y] (pt from top left)
    index: list[list[Any]]  #: [main, sub, page of the part]
    warnings: list[str] = field(default_factory=list)
    compiled: bool = False  #: laid out by this build (not reused)


def digest(*texts: str) -> str:
    """A hash of *texts*."""
    value = hashlib.sha256()
    for text in texts:
        value.update(text.encode("utf8"))
        value.update(b"\0")
    return value.hexdigest()


@dataclass
class Laid:
    """What :func:`lay_out_book` did."""

    reports: list[Report]
    front: Report
    joined: Joined
    unsettled: bool = False

    @property
    def compiled(self) -> int:
        """How many parts (front matter included) were laid out, not reused."""
        return sum(report.compiled for report in [*self.reports, self.front])


class PartsBook:
    """Lay out a book's parts in children, its front matter last, and join them."""

    def __init__(self, folder: Path, stem: str, template: str, fonts: list[Path],
                 processes: int) -> None:
        self.folder = folder
        self.stem = stem
        self.template = template  #: the template's (and the book's own files') text
        self.fonts = fonts
        self.processes = max(1, processes)
        #: The worker processes while :meth:`build` runs.
        self.workers: Workers | None = None
        self.manifest = folder / f"{stem}.parts.json"
        #: What the last join made (:meth:`join`).
        self.joined = folder / f"{stem}.join.json"
        #: The last book, where it is moved while this build lays parts out.
        self.last_book = folder / f"{stem}.last.pdf"
        #: While :meth:`build` runs: the record of the last join when the book
        #: it made is still there, untouched.
        self.last: dict[str, Any] | None = None
        #: While :meth:`build` runs: the worker that joins the book (started
        #: with the build, idle until the join), and whether it is reading the
        #: last book (:meth:`open_last_book`).
        self.joiner: JoinWorker | None = None
        self.opening = False
        self.target: Path | None = None
        self.lock = threading.Lock()
        try:
            saved = json.loads(self.manifest.read_text("utf8"))
            self.previous = {name: Report(**value) for name, value in saved.items()}
        except (OSError, ValueError, TypeError):
            self.previous = {}

    def path(self, name: str, suffix: str) -> Path:
        return self.folder / f"{name}{suffix}"

    # -- one part -----------------------------------------------------------------

    def lay_out(self, name: str, markup: str, pages: dict[str, str], guess: int,
                ask: Callable[[int], int] | None,
                contents: list[list[object]] | None = None) -> Report:
        """Write part *name* and lay it out by a worker; its report.

        *guess* is the first page number written in its data; *ask* (page
        count -> first page number), when given, says the number once it is
        laid out; *contents*: the front matter's entries of the contents.
        Raises :class:`TypstCompileError` when Typst could not.
        """
        self.open_last_book()
        source, data, pdf = (self.path(name, s) for s in (".typ", ".json", ".pdf"))
        if not source.is_file() or source.read_text("utf8") != markup:
            source.write_text(markup, "utf8")
        values: dict[str, object] = {"first": guess, "pages": pages}
        if contents is not None:
            values["contents"] = contents
        data.write_text(json.dumps(values, sort_keys=True), "utf8")
        assert self.workers is not None, "lay_out is called by build()"
        with phase(f"lay out {name}"):
            layout = self.workers.run(source, pdf, ask, {"data": str(data)})
        if layout.returncode:
            raise compile_error([layout])
        done = layout.done
        return Report(
            key=digest(self.template, markup, json.dumps(pages, sort_keys=True),
                       *([json.dumps(contents)] if contents is not None else [])),
            first=int(done["first"]), pages=layout.pages, anchors=done["anchors"],
            index=done["index"], warnings=layout.warnings, compiled=True)

    # -- the body, in rounds ----------------------------------------------------------

    def lay_out_body(self, feed: PartsFeed) -> tuple[list[Report], bool]:
        """Lay out every part, numbered after those before it, until the numbers settle.

        The first round lays each part out as soon as the builder has written
        it (:meth:`PartsFeed.upto`), while it writes the next; the later
        rounds have them all.  Returns the reports and whether the numbers
        settled.
        """
        reports: dict[int, Report] = {}
        errors: list[str] = []
        for round_ in range(SETTLE_ROUNDS):
            parts: list[Part] | None = None  # the first round: as they are written
            if round_ == 0:
                count = feed.most
                numbers = self.numbers([], reports, last_build=True)
            else:
                parts = feed.all()
                count = len(parts)
                numbers = self.numbers(parts, reports)

            def run(index: int, progress: FirstPages, numbers: dict[str, str] = numbers,
                    parts: list[Part] | None = parts) -> bool:
                written = feed.upto(index) if parts is None else parts
                if written is None:
                    return False  # no such part: the book has no index of names
                try:
                    return self.lay_out_one(written, index, reports, progress, numbers)
                except TypstCompileError as error:
                    errors.append(str(error))
                    return False

            compiled = in_order(list(range(count)), count, self.processes, run)
            if errors:
                raise TypstCompileError("\n".join(errors))
            if not any(compiled.values()) and not (round_ == 0 and feed.changed):
                break
        else:
            return self.in_order_of(feed, reports), False
        return self.in_order_of(feed, reports), True

    @staticmethod
    def in_order_of(feed: PartsFeed, reports: dict[int, Report]) -> list[Report]:
        """The reports of *feed*'s parts, in order."""
        return [reports[index] for index in range(len(feed.all()))]

    def lay_out_one(self, parts: list[Part], index: int, reports: dict[int, Report],
                    progress: FirstPages, numbers: dict[str, str]) -> bool:
        """Part *index* in this round: reused, or laid out; whether it was laid out."""
        part = parts[index]
        if part.needs or part.index is not None:
            # it prints page numbers: those of the parts before it, of this round
            progress.wait_done(index)
            if any(before not in reports for before in range(index)):
                return False  # a part before it failed: that error is said, not this one
            numbers = {**numbers, **self.numbers(parts[:index], reports)}
        markup = part.markup
        if part.index is not None:
            markup = self.index_markup(part, parts[:index], reports)
        pages = {anchor: numbers.get(anchor, PLACEHOLDER) for anchor in part.needs}
        key = digest(self.template, markup, json.dumps(pages, sort_keys=True))
        last = reports.get(index) or self.previous.get(part.name)
        if last is not None and last.key == key and self.path(part.name, ".pdf").is_file():
            progress.report(index, last.pages)
            if progress.first_page(index) == last.first:
                reports[index] = last
                return False
        guess = progress.known_first(index) or (last.first if last else 1)
        reports[index] = self.lay_out(part.name, markup, pages, guess, progress.ask(index))
        return True

    def numbers(self, parts: list[Part], reports: dict[int, Report],
                last_build: bool = False) -> dict[str, str]:
        """The printed page of every anchor of the parts reported (last build's else);
        *last_build*: of every part of the last build (the parts not written yet)."""
        numbers: dict[str, str] = {}
        laid: list[Report | None] = [reports.get(index) or self.previous.get(part.name)
                                     for index, part in enumerate(parts)]
        if last_build:
            laid = [self.previous[name] for name in sorted(self.previous)]
        for report in laid:
            if report is None:
                continue
            for anchor, (page, _x, _y) in report.anchors.items():
                numbers.setdefault(anchor, str(report.first + int(page) - 1))
        return numbers

    def index_markup(self, part: Part, before: list[Part], reports: dict[int, Report]) -> str:
        """The index of names' markup: every part's entries with their printed pages."""
        from sphinx_faq_ext.writers.typst.markup import string

        assert part.index is not None
        entries = []
        for index in range(len(before)):
            report = reports[index]
            for main, sub, page in report.index:
                number = str(report.first + int(page) - 1)
                entries.append(f"({string(main)}, {string(sub)}, {string(number)})")
        head, tail = part.index
        return head + "(" + "".join(entry + ", " for entry in entries) + ")" + tail

    # -- the whole book ----------------------------------------------------------------

    def build(self, feed: PartsFeed, target: Path) -> Laid:
        """Lay out *feed*'s parts as they are written, then the front matter; join.

        Raises :class:`TypstCompileError` when Typst could not lay a part
        out (the last book is put back), :class:`FeedAbandonedError` when the
        builder stopped writing the parts.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        self.last, self.target = self.last_join(target), target
        self.workers = workers = typst_workers(self.folder.parent, self.processes, self.fonts)
        self.joiner = JoinWorker(self.folder)
        self.joiner.start()
        try:
            reports, settled = self.lay_out_body(feed)
            parts = feed.all()
            numbers = self.numbers(parts, dict(enumerate(reports)))
            assert feed.front is not None  # given by close()
            matter = feed.front(numbers)
            name = f"{self.stem}-front"
            key = digest(self.template, matter.markup, "{}", json.dumps(matter.contents))
            last = self.previous.get(name)
            if last is not None and last.key == key and self.path(name, ".pdf").is_file():
                front_report = last
                front_report.compiled = False
            else:
                front_report = self.lay_out(name, matter.markup, {}, 1, None,
                                            matter.contents)
        except BaseException:
            self.joiner.kill()
            self.joiner = None
            # the last book back where it was (a failed build removes it, an
            # interrupted one leaves it as it was)
            if self.opening:
                self.opening = False
                self.last_book.replace(target)
            raise
        finally:
            workers.close()
            self.workers = None
        # the files of parts the book no longer has (its parts are known now)
        names = {part.name for part in parts} | {name}
        for stale in self.folder.glob(f"{self.stem}-*"):
            if stale.name.split(".")[0] not in names:
                stale.unlink()
        for report in reports:
            if report.compiled is False:
                report.warnings = []  # said when it was laid out
        saved = {part.name: report for part, report in zip(parts, reports, strict=True)}
        saved[name] = front_report
        self.manifest.write_text(json.dumps(
            {key: {**asdict(value), "compiled": False} for key, value in saved.items()},
            sort_keys=True), "utf8")
        with phase("join"):
            joined = self.join(parts, reports, front_report, target)
        return Laid(reports, front_report, joined, unsettled=not settled)

    def join(self, parts: list[Part], reports: list[Report], front: Report,
             target: Path) -> Joined:
        """Join the front matter and the parts into *target*: the last book with the
        changed parts replaced when it can (:func:`.join.rejoin`), else anew."""
        body = [self.path(part.name, ".pdf") for part in parts]
        # the anchors the book names: a part's report may give more
        anchors = [report.anchors if part.named is None else
                   {anchor: at for anchor, at in report.anchors.items() if anchor in part.named}
                   for part, report in zip(parts, reports, strict=True)]
        keys = {"front": front.key, "parts": [[part.name, report.key, report.first,
                                               report.pages]
                                              for part, report in zip(parts, reports,
                                                                      strict=True)]}
        joined = None
        last, self.last = self.last, None
        opening, self.opening = self.opening, False
        joiner, self.joiner = self.joiner or JoinWorker(self.folder), None
        tried = False  # the worker was asked to join (or rejoin)
        self.joined.unlink(missing_ok=True)
        previous = self.last_book
        try:
            try:
                if (last is not None and last["keys"]["front"] == keys["front"]
                        and not front.compiled
                        and (opening or target.is_file())
                        and [k[::2] for k in last["keys"]["parts"]] == [
                            k[::2] for k in keys["parts"]]
                        and [k[3] for k in last["keys"]["parts"]] == [
                            k[3] for k in keys["parts"]]):
                    changed = {index for index, (old, new) in enumerate(
                        zip(last["keys"]["parts"], keys["parts"], strict=True))
                        if old[1] != new[1] or reports[index].compiled}
                    if not changed:
                        if opening:
                            previous.replace(target)
                        joined = Joined(**last["joined"])
                    else:
                        if not opening:
                            target.replace(previous)
                        tried = True
                        joined = joiner.rejoin(previous, last["joined"]["record"], body,
                                               target, anchors, changed)
            finally:
                previous.unlink(missing_ok=True)
            if joined is None:
                if opening or tried:
                    # it holds the last book, never freed: a new worker joins
                    joiner.kill()
                    joiner = JoinWorker(self.folder)
                target.unlink(missing_ok=True)
                tried = True
                joined = joiner.join(self.path(f"{self.stem}-front", ".pdf"), body, target,
                                     anchors, margin_elements=False,
                                     front_anchors=front.anchors)
            self.joined.write_text(json.dumps(
                {"keys": keys, "sha": _file_digest(target), "joined": asdict(joined)},
                sort_keys=True), "utf8")
        except BaseException:
            joiner.kill()
            raise
        # (once the record is written: the worker's exit, 0.1 s, meanwhile)
        if tried:
            joiner.close()  # done: it exits without freeing what it read
        else:
            joiner.kill()  # not wanted: no waiting for it to read the last book
        return joined


    def last_join(self, target: Path) -> dict[str, Any] | None:
        """What the last join made, if the book it wrote is *target* as it is."""
        try:
            last = json.loads(self.joined.read_text("utf8"))
            if last["sha"] == _file_digest(target):
                return dict(last)
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def open_last_book(self) -> None:
        """Once a part is laid out (so the book may change): move the last book
        aside and have the join worker read it while the parts are laid out,
        if :meth:`join` may reuse it."""
        with self.lock:
            if (self.last is None or self.opening or self.target is None
                    or self.joiner is None):
                return
            try:
                self.target.replace(self.last_book)
            except OSError:
                self.last = None
                return
            self.joiner.open(self.last_book)
            self.opening = True


def _file_digest(path: Path) -> str:
    """A hash of the bytes of *path*."""
    value = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            value.update(chunk)
    return value.hexdigest()


def exported(home: dict[str, int], wanted: Container[str] | set[str]) -> dict[int, list[str]]:
    """Each part's anchors in *wanted* (linked from elsewhere, or in the contents)."""
    out: dict[int, list[str]] = {}
    for anchor, part in home.items():
        if anchor in wanted:
            out.setdefault(part, []).append(anchor)
    return {part: sorted(anchors) for part, anchors in out.items()}


assert JOIN_SCHEME == "faq-join:"  # the translator's (writers/typst/base.py) is the same
