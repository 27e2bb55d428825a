"""Places where a long URL, path or identifier may break across lines (LaTeX).

TeX breaks a line only at spaces and hyphenates only words: a URL, a file
path or a long identifier written as text (the visible text of a link whose
address differs, a source note that gives an address, ``Some_Long_Name``)
is one unbreakable box and runs into the margin (11 of the 112 overfull
lines of the whole *Anarchist FAQ*, up to 113 pt into the margin).

:class:`LineBreaksPostTransform` finds those tokens in the text the LaTeX
writer prints and marks the places where a line may end inside them:

* after a run of slashes (``https://`` | ``www.example.org/`` | ``faq/``);
* before other punctuation (``www`` | ``.example`` | ``.org``, ``a`` | ``_b``,
  ``?page`` | ``=3``), never at a token's edges;
* inside a segment of more than :data:`LONG_SEGMENT` characters with no
  punctuation, between any two characters, at a higher cost, as
  ``sphinxfaqext.sty`` lets ``\\url`` do.

A mark is ``\\faqbreak{}`` or ``\\faqbreakinword{}`` (``sphinxfaqext.sty``:
a penalty, no hyphen is added), in a raw LaTeX node.  Words of a language
(letters, hyphens and apostrophes only) are never touched: TeX hyphenates
them.  Titles and captions (moving arguments: contents, bookmarks, running
heads), literals (Sphinx breaks those itself) and links whose text is their
address (Sphinx prints them with ``\\url``, which ``sphinxfaqext.sty`` lets
break anywhere) are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: A token shorter than this fits in any line: it is left to TeX.
LONG_TOKEN = 16
#: A run of letters and digits longer than this, inside a URL-like token,
#: may also break between two of its characters.  Shorter runs are words
#: (``ChristieBooks.com`` broke as "Chr" / "istieBooks" with 12): the breaks around
#: them are enough, as a line can always end before or after one of them.
LONG_SEGMENT = 20
#: A token (a maximal run of non-space characters) long enough to look at:
#: as tokens are separated by white space, a match starts where its token does.
LONG_TOKEN_RUN = re.compile(rf"\S{{{LONG_TOKEN},}}")
#: A run of letters and digits that may break between any two of them.
LONG_RUN = re.compile(rf"[^\W_]{{{LONG_SEGMENT + 1},}}")
#: A token that is a URL, a path, a domain, an e-mail address or an identifier.
TECHNICAL = re.compile(r"://|www\.|\w/\w|/\w|\w\.\w|\w_|_\w|\w@\w|\\|[A-Za-z]\d|\d[A-Za-z]")
#: Break after these (a run of them).
BREAK_AFTER = "/"
#: Break before these.
BREAK_BEFORE = ".,;?#&=_~%@|+\\"
#: Elements whose text is left alone (see the module docstring).
SKIP: tuple[type[nodes.Node], ...] = (
    nodes.FixedTextElement,  # literal_block, doctest_block, math_block, comment…
    nodes.literal,
    nodes.raw,
    nodes.math,
    nodes.title,
    nodes.subtitle,
    nodes.caption,
    nodes.rubric,
    nodes.term,
    nodes.option_string,
    nodes.target,
    addnodes.desc_signature,
)
BREAK = r"\faqbreak{}"
BREAK_IN_WORD = r"\faqbreakinword{}"


def is_long_token(token: str) -> bool:
    """Whether *token* (no white space) is long and not a word TeX could hyphenate."""
    return len(token) >= LONG_TOKEN and TECHNICAL.search(token) is not None


def break_points(token: str) -> list[tuple[int, str]]:
    """``(offset, mark)`` for each place *token* may break, in order.

    Offsets are between characters (``0 < offset < len(token)``), never after
    the token's last letter or digit, so a line never starts with the
    punctuation that ends a sentence or closes a bracket.
    """
    last_word = max((i for i, char in enumerate(token) if char.isalnum()), default=-1)
    points: dict[int, str] = {}
    for index, char in enumerate(token):
        if index == 0 or index > last_word:
            continue
        before = token[index - 1]
        after_slashes = before in BREAK_AFTER and char not in BREAK_AFTER
        before_sign = char in BREAK_BEFORE and before not in BREAK_BEFORE + BREAK_AFTER
        if after_slashes or before_sign:
            points[index] = BREAK
    for match in LONG_RUN.finditer(token):
        for index in range(match.start() + 1, match.end()):
            points.setdefault(index, BREAK_IN_WORD)
    return sorted(points.items())


def breakable(text: str) -> list[nodes.Node] | None:
    """*text* with its long tokens broken up, or ``None`` if it has none."""
    pieces: list[nodes.Node] = []
    start = 0
    # Only the tokens of LONG_TOKEN characters or more: most texts have none,
    # and looking at every word of every text was 2 % of a LaTeX build.
    for match in LONG_TOKEN_RUN.finditer(text):
        token = match.group()
        if TECHNICAL.search(token) is None:
            continue
        points = break_points(token)
        if not points:
            continue
        if match.start() > start:
            pieces.append(nodes.Text(text[start:match.start()]))
        # An inline (a TextElement) keeps the raw marks inline: the LaTeX
        # writer puts a raw node outside a text element on a line of its
        # own, and that end of line would be a space inside the token.
        wrapper = nodes.inline()
        previous = 0
        for offset, mark in points:
            wrapper += nodes.Text(token[previous:offset])
            wrapper += nodes.raw("", mark, format="latex")
            previous = offset
        wrapper += nodes.Text(token[previous:])
        pieces.append(wrapper)
        start = match.end()
    if not pieces:
        return None
    if start < len(text):
        pieces.append(nodes.Text(text[start:]))
    return pieces


def _is_own_url(node: nodes.Element) -> bool:
    """A link whose only text is its address: Sphinx prints it with ``\\url``."""
    return (isinstance(node, nodes.reference) and len(node.children) == 1
            and node.children[0] == node.get("refuri"))


class LineBreaksPostTransform(SphinxPostTransform):
    """Let long URLs, paths and identifiers in the text break inside the measure.

    Runs on LaTeX's one merged tree after Sphinx's own LaTeX post-transforms
    (URLs shown in the text by ``latex_show_urls``: 400; footnotes: 600), so
    it sees every text the writer prints.  It walks the ``children`` lists:
    in the merged tree a node's ``parent`` may still be its source document's.
    """

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        self.visit(self.document)

    def visit(self, element: nodes.Element) -> None:
        """Break up the long tokens of *element*'s texts, recursively."""
        if isinstance(element, SKIP) or _is_own_url(element):
            return
        # By position, from the end: equal texts are equal nodes to ``index``.
        for index in reversed(range(len(element.children))):
            child = element.children[index]
            if isinstance(child, nodes.Text):
                pieces = breakable(str(child))
                if pieces is not None:
                    element[index:index + 1] = pieces
            elif isinstance(child, nodes.Element):
                self.visit(child)
