"""The book's order and grouping, found from its own contents page.

The rules, in order (``docs/howto/import.md`` gives them to users):

1. **One page, one file.** A page reached under two names (a symlink, a copy
   with the same bytes such as ``faq.en.html`` beside ``faq.html``) is read
   once; links to either name go to it.
2. **The contents page** is the page without questions of its own whose links
   reach the most numbered pages *in the order of their numbers* (the longest
   run of links whose pages' first question numbers increase); a tie goes to
   the page whose links reach the most pages.  A web site's front page that
   lists the sections in two columns (``A, G, B, H …``) loses to the book's own
   contents (``A, B, … J``).
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
   ``append3.html``, among the pages it links to, else among all).  The others
   are headed, one tree at a time, by a page without questions of its own:
   first the one reaching most pages of questions not yet placed (of several,
   the one reaching fewest other pages: the closest head), then the one
   reaching most pages; under it the pages it reaches through such pages,
   breadth first (a question's links are cross references, not a hierarchy).
   A tree holding questions is a group of its own after the contents page's,
   captioned with its head's title (*Supplementary Material*, the appendices
   the web edition lists apart); the trees without questions (a web site's
   own pages: links, contact, translations) and the pages no tree reaches, in
   natural order, go to the last group, ``Other pages``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sphinx_faq_ext.importer.model.page import (
    Block,
    Heading,
    Inline,
    Link,
    Page,
    Paragraph,
    Styled,
    inline_runs,
    inline_text,
    inlines_in,
)
from sphinx_faq_ext.numbering import sort_key


def _(message: str) -> str:
    """Marks the importer's own words for the catalogs (``locale/catalogs.py``
    extracts ``_()``); they are translated into the book's language when written
    (:func:`sphinx_faq_ext.importer.project.own_words`)."""
    return message


#: The caption of the group of pages no contents page reaches.
OTHER_PAGES = _("Other pages")


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
    #: A contents-only page → the page that took its place.
    folded: dict[str, str] = field(default_factory=dict)
    #: How many of the groups are the contents page's own (the others: the rest).
    listed: int = 0

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
    path = posixpath.normpath(parts.path) if parts.path else ""
    if "/" in path:
        return ""  # another folder (``../tutorial/index.html``): not a page of the book
    return path or own


def _links(blocks: list[Block]) -> list[Link]:
    return [inline for inline in inlines_in(blocks) if isinstance(inline, Link)]


def text_and_link_text(blocks: list[Block]) -> tuple[int, int]:
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

    for run in inline_runs(blocks):
        walk(run, False)
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
    total, linked = text_and_link_text(blocks)
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


SortKey = tuple[tuple[int, int, str], ...]


def _increasing(keys: list[SortKey]) -> int:
    """The length of the longest strictly increasing subsequence of *keys*."""
    tails: list[SortKey] = []
    for key in keys:
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < key:
                low = middle + 1
            else:
                high = middle
        if low == len(tails):
            tails.append(key)
        else:
            tails[low] = key
    return len(tails)


def find_contents(links: dict[str, list[str]], first_numbers: dict[str, str],
                  listing: set[str], ranked: list[str]) -> str:
    """The book's contents page by rule 2 (``""`` when no page links to another).

    *listing* holds the contents-only pages: their links count as the links of
    the page linking to them (``book.html`` → ``secAcon.html`` → ``secA1.html``);
    *ranked* is every page in natural order, for ties.
    """
    def expanded(name: str) -> list[str]:
        found: list[str] = []
        for target in links[name]:
            found.append(target)
            if target in listing:
                found.extend(t for t in links.get(target, []) if t != name)
        return found

    def score(name: str) -> tuple[int, int, int]:
        reached = expanded(name)
        keys = [sort_key(first_numbers[t]) for t in reached if first_numbers.get(t)]
        return _increasing(keys), len(set(reached) - {name}), -ranked.index(name)

    # A page holding questions of its own is part of the book, not its contents.
    candidates = [n for n in links if links[n] and not first_numbers.get(n)]
    return max(candidates, key=score) if candidates else ""


def book_order(pages: dict[str, Page], first_numbers: dict[str, str],
               contents: str = "") -> BookOrder:
    """The book's order and groups (rules 2 to 5); *contents* overrides rule 2."""
    names = set(pages)
    links = {n: page_links(p.blocks, n, names) for n, p in pages.items()}
    listing = {n for n, p in pages.items() if is_contents_only(p)}
    ranked = sorted(pages, key=natural_key)
    if contents not in pages:
        contents = find_contents(links, first_numbers, listing, ranked)
    order = BookOrder(contents=contents)
    placed: set[str] = set()
    if contents:
        placed.add(contents)
        for caption, entries in _groups(pages[contents], contents, names):
            group = Group(caption)
            for name in entries:
                if name not in placed:
                    group.entries.append(_node(name, listing, links, placed))
            if group.entries:
                order.groups.append(group)
    order.listed = len(order.groups)
    rest = Group(OTHER_PAGES if order.groups else "")
    owners = {n: _owner(n, names, links[n]) for n in names}
    while True:
        # Pages the contents does not reach: the one leading to most questions,
        # else reaching most of them, and every page its links reach, breadth first.
        # Only pages without questions of their own organise others: a question's
        # links are cross references.
        open_links = {n: [t for t in links[n] if t not in placed] if not first_numbers.get(n)
                      else [] for n in names - placed}
        if not any(open_links.values()):
            break
        root = max((n for n in ranked if open_links.get(n)),
                   key=lambda n: _root_score(n, open_links, owners, first_numbers))
        tree = _reach(root, open_links, placed, owners)
        if order.groups and any(first_numbers.get(n.name) for n in _walk(tree)):
            order.groups.append(Group(page_title(pages[root]) or OTHER_PAGES, [tree]))
        else:
            rest.entries.append(tree)
    every = {n.name: n for g in order.groups for e in g.entries for n in _walk(e)}
    every.update({n.name: n for e in rest.entries for n in _walk(e)})
    for name in sorted(names - placed, key=natural_key):
        owner = owners[name] if owners[name] in every else ""
        node = Node(name)
        placed.add(name)
        every[name] = node
        (every[owner].children if owner else rest.entries).append(node)
    if rest.entries:
        order.groups.append(rest)
    for group in order.groups:
        group.entries = [_fold(e, pages, listing, order) for e in group.entries]
    return order


def _walk(node: Node) -> list[Node]:
    found = [node]
    for child in node.children:
        found.extend(_walk(child))
    return found


def _node(name: str, listing: set[str], links: dict[str, list[str]],
          placed: set[str]) -> Node:
    """The node of page *name*; a contents-only page's links are its children (rule 4)."""
    placed.add(name)
    node = Node(name)
    if name in listing:
        for target in links[name]:
            if target not in placed:
                node.children.append(_node(target, listing, links, placed))
    return node


def _common(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _owner(name: str, names: set[str], links: list[str]) -> str:
    """The page *name* belongs under by rule 5, or ``""``.

    The page whose name is the longest beginning of *name*'s among those it
    links to (a page linking back up: ``append31.html`` → ``append3.html``),
    else among all pages.
    """
    stem = Path(name).stem
    found = [p for p in names if p != name and len(Path(p).stem) >= 3 and
             stem.startswith(Path(p).stem)]
    linked = [p for p in found if p in links] or found
    return max(linked, key=lambda p: len(Path(p).stem), default="")


def _root_score(name: str, links: dict[str, list[str]], owners: dict[str, str],
                first_numbers: dict[str, str]) -> tuple[int, int, int]:
    """Pages of questions *name* reaches; of heads reaching as many, the one
    reaching fewest pages besides (the closest head: ``supplementary.html``, not
    the web front page or a links page leading to it); without questions, the
    page reaching most pages, then linking to most directly (its own, by rule 5)."""
    reached = _reachable(name, links, owners)
    asking = sum(bool(first_numbers.get(t)) for t in reached)
    direct = sum(owners[t] in ("", name) for t in links[name])
    return (asking, -len(reached), direct) if asking else (0, len(reached), direct)


def _reachable(root: str, links: dict[str, list[str]], owners: dict[str, str]) -> set[str]:
    """Pages *root* reaches by links that are not answered by a link back (a page
    and its neighbour linking each other are cross references, not a hierarchy)."""
    seen = {root}
    todo = [root]
    while todo:
        page = todo.pop()
        for target in links.get(page, []):
            if target not in seen and owners.get(target, "") in ("", *seen) and \
                    page not in links.get(target, []):
                seen.add(target)
                todo.append(target)
    return seen


def _reach(root: str, links: dict[str, list[str]], placed: set[str],
           owners: dict[str, str]) -> Node:
    """*root* and the pages its links reach, each under the page linking to it first
    (breadth first) whose name shares the longest beginning with its own.  A page
    whose name begins with another page's name is left for that page (rule 5)."""
    parent: dict[str, str] = {root: ""}
    placed.add(root)
    level = [root]
    while level:
        found: dict[str, str] = {}
        for page in level:
            for target in links.get(page, []):
                if target in placed or owners.get(target, "") not in ("", page):
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
        position = {target: index for index, target in enumerate(links[name])}
        node.children.sort(key=lambda child: position[child.name])
    return nodes[root]


def _fold(node: Node, pages: dict[str, Page], listing: set[str], order: BookOrder) -> Node:
    """Rule 4's second half: a contents page gives its place to a page of its title."""
    node.children = [_fold(c, pages, listing, order) for c in node.children]
    if node.children and node.name in listing and \
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
