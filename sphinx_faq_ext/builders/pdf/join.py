"""Join the part PDFs of a book, each laid out on its own (WeasyPrint, Typst), into one PDF.

A big book is laid out one part (chapter, back matter) per child process;
:func:`join` puts the front matter and the parts together with pikepdf,
whose qpdf copies pages, structure elements, destinations and outline items
in C++.  A part's pages come as they are (fonts stay per part), after a
blank page where it would start on a left-hand page; the kids of its
tagged ``/Document`` join the front's, its ParentTree keys shifted past
those in use, its IDTree's ids kept (renamed where another part took them);
its names, outline items and page labels are merged, and its URI links
``faq-join:ANCHOR`` become internal links ``/Dest (ANCHOR)``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from sphinx_faq_ext.util.builder import JOIN_SCHEME
from sphinx_faq_ext.util.optional import import_optional

if TYPE_CHECKING:
    from pathlib import Path

    from pikepdf import Object, Pdf



def body_first_pages(counts: list[int]) -> list[int]:
    """Printed first page number of each body part: 1, then each part starts on a
    right-hand (odd) page: first[k+1] = first[k] + counts[k] rounded up to even."""
    firsts = [1] if counts else []
    for count in counts[:-1]:
        firsts.append(firsts[-1] + count + count % 2)
    return firsts


@dataclass
class Joined:
    """What :func:`join` did."""

    pages: int  # pages of the joined PDF (blank pages included)
    blanks: int  # blank pages inserted
    links: int  # faq-join: links turned into internal links
    unresolved: list[str] = field(default_factory=list)  # faq-join: anchors none defines
    duplicates: int = 0  # names defined by more than one input (the first one is kept)
    #: What each input became in the joined PDF (:func:`rejoin` replaces a part
    #: with it): ``front`` and ``parts``, each a JSON-ready dictionary.
    record: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Book:
    """The joined book as it is built: the front's ``Pdf`` and what is merged into it."""

    pdf: Pdf
    document: Object | None  # the one /Document element (None: untagged)
    nums: dict[int, Object]  # the ParentTree
    dests: dict[bytes, tuple[Object, Object]]  # raw name -> (name, destination)
    outlines: Object
    duplicates: int = 0
    blanks: int = 0
    margin_elements: bool = True  # see join()
    #: The IDTree: structure element ids (raw bytes) -> element, unique in the book.
    ids: dict[bytes, Object] = field(default_factory=dict)
    #: The first ParentTree key not taken (:func:`rejoin`: keys the book has but
    #: ``nums`` does not hold).
    next_key: int = 0


def join(front: Path, body: list[Path], target: Path,
         anchors: list[dict[str, list[float]]] | None = None,
         margin_elements: bool = True, opened: Pdf | None = None,
         front_anchors: dict[str, list[float]] | None = None) -> Joined:
    """Join *front* and the *body* parts (in reading order) into *target*.

    *anchors* (one dictionary a body part) adds named destinations a part's
    PDF does not have: anchor -> (page of the part from 1, x, y in points
    from the page's top left), as the Typst engine's parts report them.
    *margin_elements*: look for structure elements outside ``/K`` whose
    parent is the part's Document (WeasyPrint's page margins); Typst makes
    none, and the walk over every element is a third of the join's time.
    *front_anchors*: the same for *front* (the title page's root document).

    The catalogue, Info, XMP metadata, ``/Lang``, ``/MarkInfo`` and
    ``/ViewerPreferences`` are the front's.  A ``faq-join:`` link whose
    anchor no input defines cannot land anywhere: its annotation is removed
    from the page and its OBJR from its ``/Link`` element, which becomes a
    ``/Span`` (its text stays), and its anchor is listed (once) in
    :attr:`Joined.unresolved`.  A name defined twice keeps its first
    destination (:attr:`Joined.duplicates`).  The output is the same bytes
    for the same inputs.  Raises :class:`ValueError` when some inputs are
    tagged and others not.  *opened*: *front* already opened, closed here
    (the join worker keeps it, never to free it: :mod:`.join_worker`).
    """
    pikepdf = import_optional("pikepdf", "the faqpdf builder (to join a book's chapters)")
    with opened if opened is not None else pikepdf.Pdf.open(front) as pdf:
        document = _document(pdf, pdf.filename)
        if "/Outlines" not in pdf.Root:
            pdf.Root.Outlines = pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
        nums = {} if document is None else _parent_tree(pdf)
        book = _Book(pdf, document, nums, {}, pdf.Root.Outlines,
                     margin_elements=margin_elements)
        book.ids = dict(_ids(pdf)) if document is not None else {}
        _add_dests(book, _names(pdf))
        if front_anchors:
            _add_positions(book, 0, front_anchors)
        front_record = {"start": 0, "pages": len(pdf.pages),
                        "kids": len(document.K) if document is not None else 0,
                        "keys": [0, max(nums, default=-1) + 1],
                        "outline": len(_outline_items(book.outlines)),
                        "outline_count": int(book.outlines.get("/Count", 0))}
        records = []
        for index, path in enumerate(body):
            if len(pdf.pages) % 2:
                _add_blank(book)
            # Each part is closed once copied: qpdf has its objects and streams.
            with pikepdf.Pdf.open(path) as part:
                records.append(_append(book, part, path,
                                       None if anchors is None else anchors[index]))
        unresolved: list[str] = []
        for record in [front_record, *records]:
            pages = range(record["start"], record["start"] + record["pages"])
            record["links"], record["unresolved"] = _links(book, pages)
            unresolved += [a for a in record["unresolved"] if a not in unresolved]
        if document is not None:
            _parent_tree_leaves(book, [r["keys"] for r in [front_record, *records]])
        _finish(book, records[0]["start"] if records else None)
        _save(pdf, target)
        return Joined(len(pdf.pages), book.blanks,
                      sum(record["links"] for record in [front_record, *records]),
                      unresolved, book.duplicates,
                      {"front": front_record, "parts": records, "blanks": book.blanks})


def _save(pdf: Pdf, target: Path) -> None:
    """Write the joined book (the same bytes for the same objects)."""
    from pikepdf import ObjectStreamMode

    pdf.save(target, deterministic_id=True, fix_metadata_version=False,
             object_stream_mode=ObjectStreamMode.generate)


def open_book(path: Path) -> Pdf:
    """*path* opened, every object read (which :func:`rejoin` would do while saving):
    done while the changed parts are laid out, on the core they leave idle."""
    pikepdf = import_optional("pikepdf", "the faqpdf builder (to join a book's chapters)")
    pdf = pikepdf.Pdf.open(path)
    # one object at a time (the thread lets the others run between two), not
    # pdf.objects: its one call holds Python's lock for a second
    for number in range(1, int(pdf.trailer.get("/Size", 0))):
        pdf.get_object(number, 0)
    return pdf


def rejoin(previous: Path, record: dict[str, Any], body: list[Path], target: Path,
           anchors: list[dict[str, list[float]]], changed: set[int],
           opened: Pdf | None = None) -> Joined | None:
    """The book *previous* (joined by :func:`join`, which gave *record*) with the body
    parts of index *changed* replaced by the PDFs of *body*: written to *target*.

    Only the changed parts are copied: their old pages, structure elements
    (Document kids, ParentTree keys, IDTree ids), named destinations and
    top-level outline items are taken out of the book, and the new ones
    put in their place; the links of the new pages are resolved.  The other
    parts' objects are written again as they are (a third of a full join's
    time on a 500-question book).  A changed part must have the same
    number of pages (so that no part's first page moves) and define the
    same names as before (so that every link lands where a full join would
    make it land); else None, and nothing is written: join the book anew.
    *opened*: *previous* already opened (:func:`open_book`), closed here.
    Structure keys and renamed ids may differ from a full join's; the
    pages, text, links, destinations, outline and structure are the same.
    """
    pikepdf = import_optional("pikepdf", "the faqpdf builder (to join a book's chapters)")
    parts = [dict(part) for part in record["parts"]]
    if len(parts) != len(body) or any(index >= len(parts) for index in changed):
        if opened is not None:
            opened.close()
        return None
    with opened if opened is not None else pikepdf.Pdf.open(previous) as pdf:
        document = _document(pdf, previous)
        if "/Outlines" not in pdf.Root:
            pdf.Root.Outlines = pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
        # the ParentTree is not read: the changed parts' leaves are replaced
        book = _Book(pdf, document, {}, {}, pdf.Root.Outlines, margin_elements=False)
        if document is not None:
            book.next_key = int(pdf.Root.StructTreeRoot.get("/ParentTreeNextKey", 0))
        book.ids = dict(_ids(pdf)) if document is not None else {}
        book.dests = {bytes(name): (name, dest) for name, dest in _names(pdf)}
        book.blanks = int(record.get("blanks", 0))
        for index in sorted(changed):
            old = parts[index]
            with pikepdf.Pdf.open(body[index]) as part:
                if (len(part.pages) != old["pages"]
                        or _defined(part, anchors[index]) != old["defined"]):
                    return None
                for raw in old["ids"]:
                    book.ids.pop(bytes.fromhex(raw), None)
                for raw in old["names"]:
                    book.dests.pop(bytes.fromhex(raw), None)
                start = old["start"]
                del pdf.pages[start:start + old["pages"]]
                kids = record["front"]["kids"] + sum(p["kids"] for p in parts[:index])
                items = record["front"]["outline"] + sum(p["outline"] for p in parts[:index])
                at = _At(start, kids, old["kids"], items, old["outline"],
                         old["outline_count"])
                parts[index] = _append(book, part, body[index], anchors[index], at)
        unresolved: list[str] = []
        for index, part_record in enumerate([record["front"], *parts]):
            if index - 1 in changed:
                pages = range(part_record["start"], part_record["start"] + part_record["pages"])
                part_record["links"], part_record["unresolved"] = _links(book, pages)
            unresolved += [a for a in part_record["unresolved"] if a not in unresolved]
        if document is not None:
            _parent_tree_leaves(book, [parts[index]["keys"] for index in sorted(changed)],
                                [record["parts"][index]["keys"] for index in changed])
        _finish(book, parts[0]["start"] if parts else None)
        _save(pdf, target)
        return Joined(len(pdf.pages), book.blanks,
                      sum(p["links"] for p in [record["front"], *parts]), unresolved,
                      sum(int(p.get("duplicates", 0)) for p in parts),
                      {"front": record["front"], "parts": parts, "blanks": book.blanks})


@dataclass
class _At:
    """Where :func:`_append` puts a part that replaces another (:func:`rejoin`)."""

    page: int  #: its first page's index
    kid: int  #: the index of its first kid in the Document's /K
    kids: int  #: the old part's kids there, replaced
    item: int  #: the index of its first top-level outline item
    items: int  #: the old part's top-level outline items, replaced
    count: int  #: the old part's outline /Count


def _defined(part: Pdf, anchors: dict[str, list[float]] | None) -> str:
    """A hash of the names *part* defines (its PDF's and its *anchors*)."""
    import hashlib

    names = {bytes(name) for name, _dest in _names(part)}
    names.update(_raw(anchor) for anchor in anchors or {})
    return hashlib.sha256(b"\0".join(sorted(names))).hexdigest()


def _document(pdf: Pdf, path: Path | str) -> Object | None:
    """The ``/Document`` element of *pdf*'s structure tree (None: untagged)."""
    from pikepdf import Array, Dictionary, Name

    if "/StructTreeRoot" not in pdf.Root:
        return None
    kids = pdf.Root.StructTreeRoot.get("/K")
    if isinstance(kids, Array) and len(kids) == 1:
        kids = kids[0]
    if not isinstance(kids, Dictionary) or kids.get("/S") != Name.Document:
        raise ValueError(f"{path}: the structure tree is not one /Document element")
    return kids


def _parent_tree(pdf: Pdf) -> dict[int, Object]:
    """The ParentTree of *pdf*'s structure tree, key by key."""
    from pikepdf import NumberTree

    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    return {} if tree is None else dict(NumberTree(tree).items())


def _names(pdf: Pdf) -> list[tuple[Object, Object]]:
    """*pdf*'s named destinations, in its order, each name as written (its raw bytes)."""
    from pikepdf import Array, Dictionary

    tree = pdf.Root.get("/Names", Dictionary()).get("/Dests")
    pairs: list[tuple[Object, Object]] = []
    nodes = [] if tree is None else [tree]
    while nodes:  # a flat /Names array (WeasyPrint's), or /Kids in general
        node = nodes.pop()
        flat = node.get("/Names", Array())
        pairs += [(flat[index], flat[index + 1]) for index in range(0, len(flat) - 1, 2)]
        nodes += reversed(list(node.get("/Kids", Array())))
    return pairs


def _raw(anchor: str) -> bytes:
    """The bytes of the PDF string WeasyPrint (pydyf) writes for *anchor*."""
    return anchor.encode("ascii") if anchor.isascii() else (
        b"\xfe\xff" + anchor.encode("utf-16-be"))


def _add_dests(book: _Book, dests: list[tuple[Object, Object]]) -> None:
    """Merge *dests*, already pointing at the book's pages; the first of a name wins.

    Each name is kept as a new string of the same bytes: a part's own string
    object is of the part's Pdf, which pikepdf 9 refuses in the book's.
    """
    from pikepdf import String

    for name, dest in dests:
        raw = bytes(name)
        if raw in book.dests:
            book.duplicates += 1
        else:
            book.dests[raw] = (String(raw), dest)


def _add_positions(book: _Book, start: int, anchors: dict[str, list[float]]) -> None:
    """Named destinations for *anchors* (page from 1 after *start*, x, y from the top)."""
    from pikepdf import Array, Name, String

    pages = book.pdf.pages
    dests: list[tuple[Object, Object]] = []
    for anchor, (page, x, y) in sorted(anchors.items()):
        if _raw(anchor) in book.dests:
            continue  # the part's PDF has it (Typst names its labelled headings)
        page_obj = pages[start + int(page) - 1].obj
        height = float(page_obj.MediaBox[3])
        dests.append((String(_raw(anchor)),
                      Array([page_obj, Name.XYZ, round(x, 2), round(height - y, 2), 0])))
    _add_dests(book, dests)


def _add_blank(book: _Book) -> None:
    """Add a blank page, so that the next page is a right-hand (even 0-based) one."""
    from pikepdf import Dictionary, Name, Page

    pages = book.pdf.pages
    before = pages[-1].obj
    blank = Dictionary(Type=Name.Page, Resources=Dictionary(), Tabs=Name.S,
                       Contents=book.pdf.make_stream(b""))
    for box in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if box in before:
            blank[box] = before[box]  # the same size and trim as the page before
    pages.append(Page(book.pdf.make_indirect(blank)))
    book.blanks += 1


def _append(book: _Book, part: Pdf, path: Path, anchors: dict[str, list[float]] | None,
            at: _At | None = None) -> dict[str, Any]:
    """Copy *part*'s pages, structure elements, destinations and outline after the book's
    (or in the place *at* says, :func:`rejoin`); what the part became in the book.

    Keys are shifted in the part (never saved) before it is copied.  qpdf
    copies an object once per part: the elements' ``/Pg`` and OBJR ``/Obj``
    land on the copied pages and annotations, as the pages are copied first.
    *anchors*: named destinations its PDF does not have (:func:`join`).
    """
    from pikepdf import Array

    pdf = book.pdf
    start = len(pdf.pages) if at is None else at.page
    document = _document(part, path)
    if (document is None) != (book.document is None):
        raise ValueError(f"{path}: tagged and untagged PDFs cannot be joined")
    nums: dict[int, Object] = {}
    ids: list[tuple[bytes, Object]] = []
    offset = 0
    record: dict[str, Any] = {"start": start, "pages": len(part.pages),
                              "defined": _defined(part, anchors)}
    if document is not None and book.document is not None:
        offset = max(max(book.nums, default=-1) + 1, book.next_key)
        nums = {key + offset: value for key, value in _parent_tree(part).items()}
        for page in part.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        del document["/P"]  # not to copy the part's StructTreeRoot along
        ids = _unique_ids(book, _ids(part), start)
    with warnings.catch_warnings():
        # pikepdf warns that names are not copied with pages: _add_dests does it.
        warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
        if at is None:
            pdf.pages.extend(part.pages)
        else:
            pdf.pages[start:start] = part.pages
    kids: list[Object] = []
    if document is not None and book.document is not None:
        kids = _adopt(book, part, document, nums, ids)
        if at is None:
            for kid in kids:
                book.document.K.append(kid)
        else:
            mine = list(book.document.K)
            book.document.K = Array([*mine[:at.kid], *kids, *mine[at.kid + at.kids:]])
    record.update(kids=len(kids), keys=[offset, max(nums, default=offset - 1) + 1],
                  ids=[raw.hex() for raw, _element in ids])
    had, duplicates = set(book.dests), book.duplicates
    names = _names(part)
    if names:
        holder = pdf.copy_foreign(part.make_indirect(Array([dest for _, dest in names])))
        _add_dests(book, [(name, dest) for (name, _), dest in zip(names, holder, strict=True)])
    if anchors is not None:
        _add_positions(book, start, anchors)
    record["names"] = sorted(raw.hex() for raw in set(book.dests) - had)
    record["duplicates"] = book.duplicates - duplicates
    outlines = part.Root.get("/Outlines")
    copied = None
    if outlines is not None and "/First" in outlines:
        copied = pdf.copy_foreign(outlines)
    record["outline"] = 0 if copied is None else len(_outline_items(copied))
    record["outline_count"] = 0 if copied is None else int(copied.get("/Count", 0))
    if at is None:
        if copied is not None:
            _append_outline(book.outlines, copied)
    else:
        _replace_outline(book.outlines, copied, at)
    return record


def _adopt(book: _Book, part: Pdf, document: Object, nums: dict[int, Object],
           ids: list[tuple[bytes, Object]]) -> list[Object]:
    """Make the part's elements (copied with its ParentTree and IDTree) kids of the
    book's Document; the kids, for the caller to put in the Document's ``/K``."""
    from pikepdf import Array, Dictionary, String

    pdf, mine = book.pdf, book.document
    assert mine is not None
    values = Array(list(nums.values()))
    copied = pdf.copy_foreign(part.make_indirect(Dictionary(
        Document=document, Values=values, IDs=Array([element for _raw, element in ids]))))
    book.ids.update(zip([raw for raw, _element in ids], copied.IDs, strict=True))
    theirs = copied.Document
    lang = part.Root.get("/Lang")
    other_lang = lang is not None and lang != pdf.Root.get("/Lang")
    kids: list[Object] = []
    for kid in theirs.K:
        if isinstance(kid, Dictionary):
            kids.append(kid)
            kid.P = mine
            if other_lang and "/Lang" not in kid:
                # a new string: pikepdf 9 refuses an object of the part's Pdf here
                kid.Lang = String(str(lang))
    # The elements of page margins, which WeasyPrint keeps out of /K but
    # gives the Document as parent, are found from the page's marked content.
    if not book.margin_elements:
        book.nums.update(zip(nums, copied.Values, strict=True))
        return kids
    stops = {theirs.objgen, mine.objgen}
    seen: set[tuple[int, int]] = set()
    for value in copied.Values:
        for element in value if isinstance(value, Array) else [value]:
            while isinstance(element, Dictionary) and element.objgen not in seen:
                seen.add(element.objgen)
                parent = element.get("/P")
                if parent is None or parent.objgen in stops:
                    element.P = mine
                    break
                element = parent
    book.nums.update(zip(nums, copied.Values, strict=True))
    return kids


def _ids(pdf: Pdf) -> list[tuple[bytes, Object]]:
    """The structure elements of *pdf*'s IDTree, each with its id's raw bytes."""
    from pikepdf import Array, Dictionary

    tree = pdf.Root.StructTreeRoot.get("/IDTree")
    pairs: list[tuple[bytes, Object]] = []
    nodes = [] if tree is None else [tree]
    while nodes:  # a flat /Names array (Typst's), or /Kids in general
        node = nodes.pop()
        flat = node.get("/Names", Array())
        pairs += [(bytes(flat[index]), flat[index + 1]) for index in range(0, len(flat) - 1, 2)
                  if isinstance(flat[index + 1], Dictionary)]
        nodes += reversed(list(node.get("/Kids", Array())))
    return pairs


def _unique_ids(book: _Book, ids: list[tuple[bytes, Object]],
                page: int) -> list[tuple[bytes, Object]]:
    """*ids* of a part (before it is copied), each id the book already has renamed.

    Every part numbers its ids from the start (Typst's ``Note 1``, ``U1x0y0``
    for the first table's first header cell), and an id must be unique in
    the book (PDF/UA: a Note's id, the header cells a table cell names): a
    taken id gets `` p<page>`` (the part's first page index in the book) and,
    inside the element's table, the cells' ``/Headers`` naming it follow.
    """
    from pikepdf import Array, Dictionary, Name, String

    mine = {raw for raw, _element in ids}
    taken = set(book.ids)
    out: list[tuple[bytes, Object]] = []
    renamed: dict[bytes, bytes] = {}
    tables: dict[tuple[int, int], Object] = {}
    for raw, element in ids:
        new, number = raw, 0
        while new in taken or (new != raw and new in mine):
            number += 1
            new = raw + f" p{page}".encode() + (f".{number}".encode() if number > 1 else b"")
        if new != raw:
            element.ID = String(new)
            renamed[raw] = new
            parent = element.get("/P")
            for _depth in range(8):  # the cell's row, row group, table
                if not isinstance(parent, Dictionary) or parent.get("/S") == Name.Table:
                    break
                parent = parent.get("/P")
            if isinstance(parent, Dictionary) and parent.get("/S") == Name.Table:
                tables[parent.objgen] = parent
        taken.add(new)
        out.append((new, element))
    for table in tables.values():
        elements = [table]
        while elements:
            element = elements.pop()
            attributes = element.get("/A")
            for owner in attributes if isinstance(attributes, Array) else [attributes]:
                if not isinstance(owner, Dictionary):
                    continue
                headers = owner.get("/Headers")
                if isinstance(headers, Array) and any(bytes(h) in renamed for h in headers):
                    owner.Headers = Array([String(renamed.get(bytes(h), bytes(h)))
                                           for h in headers])
            kids = element.get("/K")
            elements += [kid for kid in (kids if isinstance(kids, Array) else [kids])
                         if isinstance(kid, Dictionary) and "/S" in kid]
    return out


def _append_outline(outlines: Object, copied: Object) -> None:
    """Append the top-level items of *copied* (a part's copied outline) to *outlines*."""
    item: Object | None = copied.First
    while item is not None:
        item.Parent = outlines
        item = item.get("/Next")
    if "/Last" in outlines:
        outlines.Last.Next, copied.First.Prev = copied.First, outlines.Last
    outlines.First = outlines.get("/First", copied.First)
    outlines.Last = copied.Last
    outlines.Count = int(outlines.get("/Count", 0)) + int(copied.get("/Count", 0))


def _outline_items(outlines: Object) -> list[Object]:
    """The top-level items of *outlines*, in order."""
    items = []
    item: Object | None = outlines.get("/First")
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


def _replace_outline(outlines: Object, copied: Object | None, at: _At) -> None:
    """Put the top-level items of *copied* (a part's copied outline, or none) in the
    place of the old part's items (:class:`_At`)."""
    items = _outline_items(outlines)
    new = [] if copied is None else _outline_items(copied)
    items[at.item:at.item + at.items] = new
    for item in new:
        item.Parent = outlines
    for before, after in pairwise(items):
        before.Next, after.Prev = after, before
    for key in ("/First", "/Last"):
        if key in outlines:
            del outlines[key]
    if items:
        if "/Prev" in items[0]:
            del items[0]["/Prev"]
        if "/Next" in items[-1]:
            del items[-1]["/Next"]
        outlines.First, outlines.Last = items[0], items[-1]
    count = int(outlines.get("/Count", 0)) - at.count
    outlines.Count = count + (0 if copied is None else int(copied.get("/Count", 0)))


def _links(book: _Book, pages: range | None = None) -> tuple[int, list[str]]:
    """Turn ``faq-join:`` links into internal ones (on the pages of index *pages*, or
    all); the count and the unresolved anchors."""
    from pikepdf import Array, Dictionary

    links, unresolved = 0, []
    for page in (book.pdf.pages if pages is None else
                 [book.pdf.pages[index] for index in pages]):
        annotations = page.obj.get("/Annots", Array())
        kept = []
        for annotation in annotations:
            uri = str(annotation.get("/A", Dictionary()).get("/URI", ""))
            anchor = unquote(uri.removeprefix(JOIN_SCHEME))
            name = book.dests.get(_raw(anchor)) if uri.startswith(JOIN_SCHEME) else None
            if name is not None:
                del annotation["/A"]
                annotation.Dest = annotation.Contents = name[0]
                links += 1
            elif uri.startswith(JOIN_SCHEME):
                unresolved += [] if anchor in unresolved else [anchor]
                _untag(book, annotation)
                continue
            kept.append(annotation)
        if len(kept) != len(annotations):
            page.obj.Annots = Array(kept)
    return links, unresolved


def _untag(book: _Book, annotation: Object) -> None:
    """Take a removed link annotation out of the structure tree."""
    from pikepdf import Array, Dictionary, Name

    element = book.nums.pop(int(annotation.get("/StructParent", -1)), None)
    if not isinstance(element, Dictionary):
        return
    kids = element.K if isinstance(element.K, Array) else Array([element.K])
    rest = [kid for kid in kids if not (_objr(kid) and kid.Obj.objgen == annotation.objgen)]
    element.K = Array(rest)
    if element.get("/S") == Name.Link and not any(_objr(kid) for kid in rest):
        element.S = Name.Span  # no longer a link, but its text stays


def _objr(kid: Object) -> bool:
    """Whether a structure element's kid is an object reference (an annotation)."""
    from pikepdf import Dictionary, Name

    return isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR


def _parent_tree_leaves(book: _Book, ranges: list[list[int]],
                        replaced: list[list[int]] | None = None) -> None:
    """Write the keys of ``book.nums`` into the ParentTree, a leaf for each input's
    range of keys (*ranges*: ``[low, high)``, ascending); *replaced*: the ranges
    of the leaves they replace (:func:`rejoin`), else the tree is made anew.

    A leaf an input (``/Kids`` of ``/Limits`` and ``/Nums``), so that
    :func:`rejoin` replaces a part's leaf without reading the others' keys.
    """
    from bisect import bisect_left

    from pikepdf import Array, Dictionary

    pdf = book.pdf
    root = pdf.Root.StructTreeRoot
    keys = sorted(book.nums)
    leaves = []
    for low, high in ranges:
        mine = keys[bisect_left(keys, low):bisect_left(keys, high)]
        if mine:
            nums = [item for key in mine for item in (key, book.nums[key])]
            leaves.append(pdf.make_indirect(Dictionary(
                Limits=Array([mine[0], mine[-1]]), Nums=Array(nums))))
    kept: list[Object] = []
    if replaced is not None and "/ParentTree" in root:
        for leaf in root.ParentTree.get("/Kids", Array()):
            low = int(leaf.Limits[0])
            if not any(old_low <= low < old_high for old_low, old_high in replaced):
                kept.append(leaf)
    root.ParentTree = pdf.make_indirect(Dictionary(Kids=Array([*kept, *leaves])))
    ends = [int(leaf.Limits[1]) + 1 for leaf in [*kept, *leaves]]
    root.ParentTreeNextKey = max([*ends, book.next_key, 0])


def _finish(book: _Book, first_body: int | None) -> None:
    """Write the merged IDTree, destinations, outline count and page labels."""
    from pikepdf import Array, Dictionary, Name, String

    pdf = book.pdf
    if book.document is not None:
        root = pdf.Root.StructTreeRoot
        if book.ids:
            ids = [item for raw in sorted(book.ids) for item in (String(raw), book.ids[raw])]
            root.IDTree = pdf.make_indirect(Dictionary(Names=Array(ids)))
    if book.dests:
        names = [item for raw in sorted(book.dests) for item in book.dests[raw]]
        pdf.Root.Names = pdf.Root.get("/Names", Dictionary())
        pdf.Root.Names.Dests = pdf.make_indirect(Dictionary(Names=Array(names)))
    if "/First" not in book.outlines:
        del pdf.Root["/Outlines"]
    labels: list[Any] = [0, Dictionary(S=Name.r)]  # the front (and the blank after it)
    labels += [] if first_body is None else [first_body, Dictionary(S=Name.D)]
    pdf.Root.PageLabels = Dictionary(Nums=Array(labels))
