"""Numbers by place: for the parts of a book whose own numbers repeat from page to page.

Each appendix of *An Anarchist FAQ* starts again at ``1``; a book-wide number
must say which appendix a question is in.  :func:`place_numbers` numbers those
pages by their place in the book's tree (:mod:`.order`), and leaves every other
number as the book writes it.  When the parts so numbered are all titled with
the same word (``Appendix - The Symbols of Anarchy``, ``Appendix: Anarchism and
Marxism``), :func:`name_places` puts that word before their numbers:
``Appendix 1``, ``Appendix 2.1``, ``Appendix 4.3.2.8``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sphinx_faq_ext.importer.recognise.order import BookOrder, Node
from sphinx_faq_ext.numbering import is_word, split_word

#: A title that opens with a word and then a dash or colon (or nothing more).
_KIND = re.compile(r"^\s*([^\W\d_]+)(?:\s*[-\u2013\u2014:]+\s+|\s*$)")


def place_numbers(order: BookOrder, local: dict[str, list[str]],
                  fixed: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Number the parts of the book whose own numbers repeat from page to page.

    *local* holds each page's numbers without a letter.  A number used by one
    page only keeps its form (``1.1`` under chapter ``1``).  A page using
    repeated numbers (each appendix starts again at ``1``) and each page
    directly above such pages are numbered by their place: ``1``, ``2``, … in
    reading order, the pages under them ``2.1``, ``2.2``, …; pages between
    (a page listing the appendices) are passed through.  A page whose numbers
    all start with the same ``k``, beside siblings each starting with another
    (one page a chapter: ``1 …``, ``1.1 …`` then ``2 …``, ``2.1 …``), already
    says its place: it takes its parent's number (``4.3`` + ``2.8``).
    *fixed* (the settings' ``numbers``) gives a page's number outright.

    Returns the prefix of each page with repeated numbers, and the number of
    each page above them, which its title takes.
    """
    fixed = fixed or {}
    users: dict[str, set[str]] = {}
    for name, numbers in local.items():
        for number in numbers:
            users.setdefault(number, set()).add(name)
    repeated = {name for name, numbers in local.items()
                if any(len(users[n]) > 1 for n in numbers)}
    prefixes: dict[str, str] = {}
    titles: dict[str, str] = {}

    def needs(node: Node) -> bool:
        return node.name in repeated or any(needs(c) for c in node.children)

    def counted(node: Node) -> bool:
        return node.name in repeated or any(c.name in repeated for c in node.children)

    def tops(name: str) -> set[str]:
        return {n.split(".")[0] for n in local.get(name, [])}

    def numbered(nodes: list[Node]) -> list[Node]:
        found: list[Node] = []
        for node in nodes:
            if counted(node):
                found.append(node)
            elif needs(node):
                found.extend(numbered(node.children))  # passed through
        return found

    def assign(nodes: list[Node], parent: str) -> None:
        counted_nodes = numbered(nodes)
        family = len(counted_nodes) > 1 and bool(parent) and \
            all(n.name in repeated and len(tops(n.name)) == 1 for n in counted_nodes) and \
            len({next(iter(tops(n.name))) for n in counted_nodes}) == len(counted_nodes)
        for index, node in enumerate(counted_nodes, start=1):
            place = fixed.get(node.name) or (parent if family else
                                             f"{parent}.{index}" if parent else str(index))
            if node.name in repeated:
                prefixes[node.name] = place
            else:
                titles[node.name] = place
                prefixes[node.name] = place
            assign(node.children, place)

    assign([e for g in order.groups for e in g.entries], "")
    return prefixes, titles


def kind_word(title: str) -> str:
    """The word a title opens with before a dash or colon, if it can name a number's part.

    ``Appendix - The Symbols of Anarchy`` -> ``Appendix``; ``Appendix: …`` and
    ``Annex -- …`` too; ``What happened in 1917?`` -> ``""``.
    """
    match = _KIND.match(title)
    return match.group(1) if match and is_word(match.group(1)) else ""


def name_places(prefixes: dict[str, str], titled: dict[str, str],
                titles: Mapping[str, str], fixed: Mapping[str, str] | None = None) -> str:
    """Put the word the top parts numbered by place share before every place number.

    The top parts are the pages whose place is one number (``1``, ``2`` …).  When
    there are two or more such numbers and a title of each opens with the same word
    (:func:`kind_word`: ``Appendix - …``, ``Appendix : …``), that word names the
    kind of part they are, and every place number under them takes it:
    ``1`` -> ``Appendix 1``, ``4.3`` -> ``Appendix 4.3`` (in *prefixes* and
    *titled*, changed in place).  One such title alone says nothing of a kind
    (``Introduction: …``).  A number the settings give (*fixed*, their
    ``numbers``: ``"7"`` or ``"Appendix 7"``) is taken as written, and so are the
    numbers under it.  Returns the word (``""``: none).
    """
    given = set((fixed or {}).values())

    def free(place: str) -> bool:
        return not split_word(place)[0] and not any(
            place == number or place.startswith(number + ".") for number in given)

    # The words of each top place (pages sharing one, such as a part's chapters
    # numbered by their parent's place, count once): the word all of them have.
    words: dict[str, set[str]] = {}
    for name, place in prefixes.items():
        if "." not in place and free(place):
            words.setdefault(place, set()).add(kind_word(titles.get(name, "")))
    common = set.intersection(*words.values()) - {""} if words else set()
    if len(words) < 2 or len(common) != 1:
        return ""
    word = common.pop()
    for places in (prefixes, titled):
        for name, place in places.items():
            if free(place):
                places[name] = f"{word} {place}"
    return word
