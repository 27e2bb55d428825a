"""The book's order and grouping, found from its own contents page.

The rules, in order (``docs/howto/import.md`` gives them to users):

1. **One page, one file.** A page reached under two names (a symlink, a copy
   with the same bytes such as ``faq.en.html`` beside ``faq.html``) is read
   once; links to either name go to it.
2. **The contents page** is the page whose links reach the most numbered pages
   *in the order of their numbers* (the longest run of links whose pages' first
   question numbers increase); a tie goes to the page whose links reach the most
   pages.  A web site's front page that lists the sections in two columns
   (``A, G, B, H …``) loses to the book's own contents (``A, B, … J``).
   ``--start`` or the settings' ``contents`` names it instead.
3. **Groups.** On the contents page, a heading without links (``Volume 1``)
   opens a group: the pages linked below it, up to the next such heading, are
   that group's entries, and the heading its caption.
4. **Contents-only pages** (pages that are nothing but links, such as a
   section's list of its questions) are not entries of their own: their links
   become their children.  When the first of them has the same title (the
   section's introduction), it takes the contents page's place.
5. **The rest.** A page no contents page reaches goes under the placed page
   whose name is the longest beginning of its own (``append31.html`` under
   ``append3.html``), else to the last group, ``Other pages``, in natural order.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sphinx_faq_ext.importer.model import (
    Block,
    Heading,
    Inline,
    Link,
    ListBlock,
    Page,
    Paragraph,
    Quote,
    Styled,
    Table,
    inline_text,
)
from sphinx_faq_ext.numbering import sort_key

#: The caption of the group of pages no contents page reaches.
OTHER_PAGES = "Other pages"


@dataclass
class Node:
    """A page in the book's tree: its file name and the pages under it."""

    name: str
    children: list[Node] = field(default_factory=list)


@dataclass
class Group:
    """A group of the contents (a volume, the front matter): caption and entries."""

    caption: str
    entries: list[Node] = field(default_factory=list)


@dataclass
class BookOrder:
    """The contents page, the groups, and which contents-only pages were folded in."""

    contents: str = ""
    groups: list[Group] = field(default_factory=list)
    #: A contents-only page → the page that took its place ("" when none did).
    folded: dict[str, str] = field(default_factory=dict)

    def pages(self) -> list[str]:
        """Every page in reading order."""
        found: list[str] = []

        def walk(node: Node) -> None:
            found.append(node.name)
            for child in node.children:
                walk(child)

        for group in self.groups:
            for entry in group.entries:
                walk(entry)
        return found

    def nodes(self) -> dict[str, Node]:
        """Every node of the tree, by page name."""
        found: dict[str, Node] = {}
        todo = [e for g in self.groups for e in g.entries]
        while todo:
            node = todo.pop()
            found[node.name] = node
            todo.extend(node.children)
        return found


def natural_key(name: str) -> list[int | str]:
    """``secA10`` after ``secA9``."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def same_pages(paths: list[Path]) -> dict[str, str]:
    """Names that reach a page already reached by another name → that name.

    A symlink maps to the name of the file it points to (when that file is
    read too); byte-identical copies map to the first in natural order.
    """
    alias: dict[str, str] = {}
    names = {p.name for p in paths}
    by_content: dict[str, str] = {}
    for path in sorted(paths, key=lambda p: (p.is_symlink(), natural_key(p.name))):
        target = path.resolve().name
        if path.is_symlink() and target in names and target != path.name:
            alias[path.name] = target
            continue
        try:
            digest = hashlib.sha1(path.read_bytes()).hexdigest()
        except OSError:
            continue
        if digest in by_content:
            alias[path.name] = by_content[digest]
        else:
            by_content[digest] = path.name
    return alias


def page_links(blocks: list[Block], own: str, names: set[str]) -> list[str]:
    """Pages of the book *blocks* link to, in order of first appearance (not *own*)."""
    found: list[str] = []
    for link in _links(blocks):
        name = link_target(link.href, own)
        if name and name in names and name != own and name not in found:
            found.append(name)
    return found


def link_target(href: str, own: str) -> str:
    """The file name a relative link points to (*own* for ``#anchor``), or ``""``."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return ""
    return parts.path.rsplit("/", 1)[-1] or own


def _links(blocks: list[Block]) -> list[Link]:
    found: list[Link] = []

    def walk(inlines: list[Inline]) -> None:
        for inline in inlines:
            if isinstance(inline, Link):
                found.append(inline)
            if isinstance(inline, Styled | Link):
                walk(inline.children)

    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            walk(block.children)
        elif isinstance(block, Quote):
            found.extend(_links(block.blocks))
        elif isinstance(block, ListBlock):
            for item in block.items:
                found.extend(_links(item))
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    walk(cell)
    return found


def _text_and_link_text(blocks: list[Block]) -> tuple[int, int]:
    """Visible characters of *blocks*, and how many of them are link text."""
    total = linked = 0

    def walk(inlines: list[Inline], in_link: bool) -> None:
        nonlocal total, linked
        for inline in inlines:
            if isinstance(inline, Link):
                walk(inline.children, True)
            elif isinstance(inline, Styled):
                walk(inline.children, in_link)
            else:
                size = len("".join(inline_text([inline]).split()))
                total += size
                linked += size if in_link else 0

    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            walk(block.children, False)
        elif isinstance(block, Quote):
            sub = _text_and_link_text(block.blocks)
            total, linked = total + sub[0], linked + sub[1]
        elif isinstance(block, ListBlock):
            for item in block.items:
                sub = _text_and_link_text(item)
                total, linked = total + sub[0], linked + sub[1]
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    walk(cell, False)
    return total, linked


def title_heading(page: Page) -> Heading | None:
    """The page's first heading with text, when it has no link (its title)."""
    for block in page.blocks:
        if isinstance(block, Heading) and inline_text(block.children).strip():
            return None if _links([block]) else block
        if isinstance(block, Paragraph) and inline_text(block.children).strip():
            return None
    return None


def is_contents_only(page: Page) -> bool:
    """A page that is nothing but links (apart from its title): a contents page."""
    heading = title_heading(page)
    blocks = [b for b in page.blocks if b is not heading]
    total, linked = _text_and_link_text(blocks)
    return total > 0 and linked >= 0.9 * total


def page_title(page: Page) -> str:
    """The title a reader sees: its first heading, else its ``<title>``."""
    heading = title_heading(page)
    text = inline_text(heading.children) if heading else page.title
    return " ".join(re.sub(r"\s*\|[^|]*$", "", text).split())


def _same_title(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\W_]+", " ", text).strip().lower()
    return bool(norm(a)) and norm(a) == norm(b)


def _increasing(keys: list[tuple[object, ...]]) -> int:
    """The length of the longest strictly increasing subsequence of *keys*."""
    tails: list[tuple[object, ...]] = []
    for key in keys:
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < key:  # type: ignore[operator]
                low = middle + 1
            else:
                high = middle
        if low == len(tails):
            tails.append(key)
        else:
            tails[low] = key
    return len(tails)


def find_contents(pages: dict[str, Page], links: dict[str, list[str]],
                  first_numbers: dict[str, str]) -> str:
    """The book's contents page by rule 2 (``""`` for a book of one page)."""
    ranked = sorted(pages, key=natural_key)

    def score(name: str) -> tuple[int, int, int]:
        keys = [tuple(sort_key(first_numbers[t])) for t in links[name] if first_numbers.get(t)]
        reached = set(links[name])
        for target in links[name]:
            if is_contents_only(pages[target]):
                reached.update(links[target])
        reached.discard(name)
        return _increasing(keys), len(reached), -ranked.index(name)

    candidates = [n for n in pages if links[n]]
    return max(candidates, key=score) if candidates else ""


def book_order(pages: dict[str, Page], first_numbers: dict[str, str],
               contents: str = "") -> BookOrder:
    """The book's order and groups (rules 2 to 5); *contents* overrides rule 2."""
    names = set(pages)
    links = {n: page_links(p.blocks, n, names) for n, p in pages.items()}
    if contents not in pages:
        contents = find_contents(pages, links, first_numbers)
    order = BookOrder(contents=contents)
    placed: set[str] = set()
    if contents:
        placed.add(contents)
        for caption, entries in _groups(pages[contents], contents, names):
            group = Group(caption)
            for name in entries:
                if name not in placed:
                    group.entries.append(_node(name, pages, links, placed))
            if group.entries:
                order.groups.append(group)
    rest = Group(OTHER_PAGES if order.groups else "")
    while True:
        # Pages the contents does not reach: the best contents page among them
        # (rule 2 again) and every page its links reach, breadth first.
        remaining = {n: pages[n] for n in names - placed}
        open_links = {n: [t for t in links[n] if t not in placed] for n in remaining}
        root = find_contents(remaining, open_links, first_numbers)
        if not root:
            break
        rest.entries.append(_reach(root, open_links, placed))
    every = {n.name: n for g in order.groups for e in g.entries for n in _walk(e)}
    every.update({n.name: n for e in rest.entries for n in _walk(e)})
    for name in sorted(names - placed, key=natural_key):
        owner = max((p for p in every if name.startswith(Path(p).stem) and p != name),
                    key=lambda p: len(Path(p).stem), default="")
        node = Node(name)
        placed.add(name)
        every[name] = node
        (every[owner].children if owner else rest.entries).append(node)
    if rest.entries:
        order.groups.append(rest)
    for group in order.groups:
        group.entries = [_fold(e, pages, order) for e in group.entries]
    return order


def _walk(node: Node) -> list[Node]:
    found = [node]
    for child in node.children:
        found.extend(_walk(child))
    return found


def _node(name: str, pages: dict[str, Page], links: dict[str, list[str]],
          placed: set[str]) -> Node:
    """The node of page *name*; a contents-only page's links are its children (rule 4)."""
    placed.add(name)
    node = Node(name)
    if is_contents_only(pages[name]):
        for target in links[name]:
            if target not in placed:
                node.children.append(_node(target, pages, links, placed))
    return node


def _common(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _reach(root: str, links: dict[str, list[str]], placed: set[str]) -> Node:
    """*root* and the pages its links reach, each under the page linking to it first
    (breadth first) whose name shares the longest beginning with its own."""
    parent: dict[str, str] = {root: ""}
    placed.add(root)
    level = [root]
    while level:
        found: dict[str, str] = {}
        for page in level:
            for target in links.get(page, []):
                if target in placed:
                    continue
                best = found.get(target)
                if best is None or _common(page, target) > _common(best, target):
                    found[target] = page
        parent.update(found)
        placed.update(found)
        level = list(found)
    nodes = {name: Node(name) for name in parent}
    for name, owner in parent.items():
        if owner:
            nodes[owner].children.append(nodes[name])
    for name, node in nodes.items():
        node.children.sort(key=lambda c, n=name: links[n].index(c.name))
    return nodes[root]


def _fold(node: Node, pages: dict[str, Page], order: BookOrder) -> Node:
    """Rule 4's second half: a contents page gives its place to a page of its title."""
    node.children = [_fold(c, pages, order) for c in node.children]
    if node.children and is_contents_only(pages[node.name]) and \
            _same_title(page_title(pages[node.name]), page_title(pages[node.children[0].name])):
        head = node.children[0]
        head.children.extend(node.children[1:])
        order.folded[node.name] = head.name
        return head
    return node


def _groups(page: Page, own: str, names: set[str]) -> list[tuple[str, list[str]]]:
    """The contents page's groups (rule 3): caption and linked pages, in order."""
    groups: list[tuple[str, list[str]]] = [("", [])]
    title = title_heading(page)
    for block in page.blocks:
        if isinstance(block, Heading) and block is not title and not _links([block]):
            caption = " ".join(inline_text(block.children).split())
            if caption:
                groups.append((caption, []))
            continue
        for name in page_links([block], own, names):
            if not any(name in entries for _, entries in groups):
                groups[-1][1].append(name)
    return [(c, e) for c, e in groups if e]


def place_numbers(order: BookOrder, local: dict[str, list[str]],
                  fixed: dict[str, str] | None = None) -> dict[str, str]:
    """The prefix of each page whose numbers without a letter repeat on other pages.

    *local* holds each page's numbers without a letter.  A number used by one
    page only keeps its form (``1.1`` under chapter ``1``).  The pages using
    repeated numbers are numbered by their place: the top ones ``1``, ``2``, …
    in reading order, the pages under them ``2.1``, ``2.2``, …  A page whose
    numbers all start with the same ``k``, beside siblings starting each with
    another (one page a chapter: ``1 …``, ``1.1 …`` then ``2 …``, ``2.1 …``),
    already says its place: it takes its parent's number (``4.3`` + ``2.8``).
    *fixed* (the settings' ``numbers``) gives a page's prefix outright.
    """
    fixed = fixed or {}
    users: dict[str, set[str]] = {}
    for name, numbers in local.items():
        for number in numbers:
            users.setdefault(number, set()).add(name)
    repeated = {name for name, numbers in local.items()
                if any(len(users[n]) > 1 for n in numbers)}
    prefixes: dict[str, str] = {}

    def needs(node: Node) -> bool:
        return node.name in repeated or any(needs(c) for c in node.children)

    def tops(name: str) -> set[str]:
        return {n.split(".")[0] for n in local.get(name, [])}

    def assign(nodes: list[Node], parent: str) -> None:
        counted = [n for n in nodes if needs(n)]
        family = len(counted) > 1 and all(len(tops(n.name)) == 1 for n in counted) and \
            len({next(iter(tops(n.name))) for n in counted}) == len(counted)
        for index, node in enumerate(counted, start=1):
            place = f"{parent}.{index}" if parent else str(index)
            if node.name in fixed:
                place = fixed[node.name]
            elif family and parent:
                place = parent
            if node.name in repeated:
                prefixes[node.name] = place
            assign(node.children, place)

    top: list[Node] = [e for g in order.groups for e in g.entries]
    counter = 0
    for node in top:
        if not needs(node):
            continue
        counter += 1
        place = fixed.get(node.name, str(counter))
        if node.name in repeated:
            prefixes[node.name] = place
        assign(node.children, place)
    return prefixes
