"""Every use of another library's private API, in one place.

Each helper below leans on something its library does not promise to keep.
Each checks that the thing is still there and in the shape we know (a version
or a fingerprint of the code), falls back to documented behaviour when it is
not, and then says so with a ``faq.upstream`` (or ``faq.weasyprint``) warning
instead of failing silently.  ``tests/test_upstream.py`` fails as soon as the
upstream code changes, so a dependency update is reviewed here first.
:func:`source_digest` and :func:`_changed` serve the other homes too.
The WeasyPrint helpers live beside the engine that needs them,
in :mod:`sphinx_faq_ext.builders.pdf.weasyprint.upstream` (imported only by
the ``faqpdf`` builder's WeasyPrint engine).

=========================  =================================================
docutils                   ``Node._document`` (:func:`link_to_document`)
Sphinx                     ``env._app`` (8.2+), ``env._builder_cls``, the
                           LaTeX translator's ``context[-1]``, ``Theme._dirs``
MyST-Parser                ``DocutilsRenderer._level_to_section``; the
                           renderer's ``md``/``md_env`` (:func:`myst_plain_inline`)
markdown-it-py             ``Ruler.__cache__``, the compiled rule chains
                           (:func:`myst_plain_inline` notices rule changes)
=========================  =================================================
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import re
import string
import textwrap
import weakref
from typing import TYPE_CHECKING, Any

import sphinx
from docutils import nodes
from sphinx.util import logging
from sphinx.util.nodes import nested_parse_with_titles

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils.statemachine import StringList
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_warned: set[str] = set()


def _changed(what: str, consequence: str) -> None:
    """Warn (once per process) that *what* is not what we know; say what it costs."""
    if what in _warned:
        return
    _warned.add(what)
    logger.warning(
        "%s has changed upstream (sphinx-faq-ext needs an update): %s",
        what, consequence, type="faq", subtype="upstream",
    )


def source_digest(function: Any) -> str:
    """sha256 of *function*'s source, dedented ("" if it has none)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode("utf8")).hexdigest()


# -- docutils ----------------------------------------------------------------


def link_to_document(
    tree: nodes.Element, elements: Iterable[nodes.Element] | None = None
) -> None:
    """Let every element of *tree* know its document, as the parser's own elements do.

    docutils records an element's document (``Node._document``) when it is
    appended to a parent that knows its own.  A subtree built apart and then
    placed (a question's answer is parsed into a section its directive has not
    returned yet; a notes list is built before it is placed) records none, and
    its ``document`` property climbs the parents to the root at each call:
    Sphinx asks it for every text node SmartQuotes touches and every node it
    copies, which made our books slower to build than plain ones (the LaTeX
    builder copies every document).  Only the link is set: ``document``
    returns what it returned before, and no source or line changes.

    *elements*, when given, are the elements of *tree*, parents before their
    children (as ``tree.findall(nodes.Element)`` lists them), from a walk the
    caller made anyway.
    """
    if "_document" not in vars(nodes.Node):
        _changed("docutils.nodes.Node._document", "large books build more slowly")
        return
    if elements is None:
        elements = tree.findall(nodes.Element)
    for element in elements:  # parents first: one step each
        if element._document is None:
            document = element.document
            if document is not None:
                element.document = document


# -- Sphinx ------------------------------------------------------------------


def env_app(env: BuildEnvironment) -> Sphinx:
    """The application of *env*: ``env._app`` from Sphinx 8.2 (``env.app`` is
    deprecated there), the public ``env.app`` before."""
    if sphinx.version_info >= (8, 2):
        app = getattr(env, "_app", None)
        if app is not None:
            return app
        _changed("sphinx.environment.BuildEnvironment._app", "using env.app")
    return env.app


def env_builder_class(env: BuildEnvironment) -> type[Builder] | None:
    """The builder class Sphinx records on *env* (``env._builder_cls``).

    Unlike ``env.app.builder`` it is known in parallel-read worker processes.
    ``None`` when Sphinx no longer records it.
    """
    cls = getattr(env, "_builder_cls", None)
    if cls is None and sphinx.version_info >= (8, 2):
        _changed("sphinx.environment.BuildEnvironment._builder_cls",
                 "using the application's builder")
    return cls


def latex_after_heading(translator: Any, text: str) -> None:
    """Write *text* after the heading the LaTeX translator is in.

    ``visit_title`` pushes the heading's closing brace and label on the
    translator's ``context`` stack and ``depart_title`` writes it: appending to
    the top entry puts *text* right after the heading.
    """
    context = getattr(translator, "context", None)
    if not isinstance(context, list) or not context or not isinstance(context[-1], str):
        _changed("sphinx.writers.latex.LaTeXTranslator.context",
                 "a note in a heading is written in the heading")
        translator.body.append(text)
        return
    context[-1] += text


def theme_dirs(theme: Any) -> list[str]:
    """The folders of *theme* and the themes it inherits (``Theme._dirs``)."""
    dirs = getattr(theme, "_dirs", None)
    if dirs is None:
        _changed("sphinx.theming.Theme._dirs",
                 "a theme inheriting ours gets no breadcrumbs or downloads")
        return []
    return [str(d) for d in dirs]


# -- MyST-Parser -------------------------------------------------------------


def parse_with_headings_under(
    state: Any, content: StringList, offset: int, section: nodes.section, levels: range
) -> None:
    """Parse *content* into *section*, its headings becoming sub-sections of it.

    MyST attaches a heading to the section of the level above it *in the
    whole document* (``DocutilsRenderer._level_to_section``); every level in
    *levels* is made to resolve to *section* for this parse, so ``## Heading``
    nests under the question.  reStructuredText needs nothing of the sort.
    """
    renderer = getattr(state, "_renderer", None)
    if renderer is not None and not hasattr(renderer, "_level_to_section"):
        _changed("myst_parser DocutilsRenderer._level_to_section",
                 "headings in a MyST answer may not nest under their question")
    if renderer is None or not hasattr(renderer, "_level_to_section"):
        nested_parse_with_titles(state, content, section, offset)
        return
    saved = renderer._level_to_section
    renderer._level_to_section = dict.fromkeys(levels, section)
    try:
        state.nested_parse(content, offset, section, match_titles=True)
    finally:
        renderer._level_to_section = saved


#: The markdown-it rules of MyST's parser (no typographer, no linkify) under
#: which :func:`myst_plain_inline` reproduces ``parseInline`` exactly: every
#: rule but ``text``, ``emphasis`` and the joins starts at a character that
#: the fast path refuses.
_PLAIN_RULES = {
    "core": ("normalize", "block", "inline", "text_join", "wordcount"),
    "inline": ("text", "myst_preserve_newline", "newline", "escape", "myst_role",
               "backticks", "emphasis", "link", "image", "footnote_ref", "autolink",
               "html_inline", "entity",
               "strikethrough", "math_inline", "math_single", "substitution_inline",
               "attrs_inline"),
    "inline2": ("balance_pairs", "emphasis", "fragments_join", "strikethrough"),
}
#: Text markdown-it leaves as it is: letters, digits, single spaces and ``,.;-``.
_PLAIN_PIECE = re.compile(r"(?:[^\W_]|[ ,.;-])*")
#: The text of ``*emphasis*``: the same, starting and ending with a letter or digit.
_EMPHASIS_PIECE = re.compile(r"[^\W_](?:(?:[^\W_]|[ ,.;-])*[^\W_])?")


def _plain_pieces(text: str) -> list[str] | None:
    """*text* split at its ``*``: plain, emphasised, plain, …; None if not that simple.

    Simple means what markdown-it can only read one way: words with single
    spaces and ``,.;-`` (no ``..``, ``--`` or ``,,``, which typographic
    replacements would change), and ``*emphasis*`` opened after a space (or at
    the start) and closed before a space, ``,.;`` (or at the end).
    """
    if (not text or text[0] == " " or text[-1] == " "
            or any(pair in text for pair in ("  ", "..", "--", ",,"))):
        return None
    pieces = text.split("*")
    if len(pieces) % 2 == 0:
        return None
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if index % 2:
            if not _EMPHASIS_PIECE.fullmatch(piece):
                return None
            continue
        if not _PLAIN_PIECE.fullmatch(piece):
            return None
        if index > 0 and not (piece[:1] in (" ", ",", ".", ";") or (index == last and not piece)):
            return None  # an emphasis must close before a space or ",.;"
        if index < last and not (piece.endswith(" ") or (index == 0 and not piece)):
            return None  # and open after a space
    return pieces


#: Per markdown-it instance: its compiled rule chains when last asked, and the
#: answer of :func:`_plain_rules_only` and whether ``wordcount`` was active then.
_RULES_SEEN: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], bool, bool]] = (
    weakref.WeakKeyDictionary()
)


def _compiled_chains(md: Any) -> tuple[Any, ...] | None:
    """markdown-it's compiled rule chains (``Ruler.__cache__``), None if one is not.

    Switching a rule on or off (as MyST does around some parses, for
    ``myst_preserve_newline``) drops a ruler's chain; the next parse compiles a
    new one.  The same chain objects therefore mean the same active rules.
    """
    try:
        chains = tuple(ruler.__cache__ for ruler in (
            md.core.ruler, md.block.ruler, md.inline.ruler, md.inline.ruler2))
    except AttributeError:
        return None
    return None if any(chain is None for chain in chains) else chains


def _rules_check(md: Any) -> tuple[bool, bool]:
    """(:func:`_plain_rules_only`, whether ``wordcount`` is active) for *md*.

    Remembered while markdown-it's compiled chains stay the same objects:
    listing the active rules at each of a book's tens of thousands of notes
    cost more than making their nodes.
    """
    chains = _compiled_chains(md)
    try:
        seen = _RULES_SEEN.get(md)
    except TypeError:  # not weakly referenceable
        seen = None
    if (chains is not None and seen is not None
            and all(old is new for old, new in zip(seen[0], chains, strict=True))):
        return seen[1], seen[2]
    try:
        active = md.get_active_rules()
        plain = bool(
            set(active) <= set(_PLAIN_RULES) | {"block"}
            and all(set(active.get(chain, ())) <= set(names)
                    for chain, names in _PLAIN_RULES.items())
        )
        wordcount = "wordcount" in active.get("core", ())
    except (AttributeError, TypeError):
        return False, False
    if chains is not None:
        with contextlib.suppress(TypeError):
            _RULES_SEEN[md] = (chains, plain, wordcount)
    return plain, wordcount


def _plain_rules_only(md: Any) -> bool:
    """Whether MyST's markdown-it runs only the rules :data:`_PLAIN_RULES` knows.

    Asked at each call: MyST switches rules on and off around some parses
    (``myst_preserve_newline``); :func:`_rules_check` notices.
    """
    try:
        options = md.options
        if options.get("typographer") or options.get("linkify"):
            return False
    except (AttributeError, TypeError):
        return False
    return _rules_check(md)[0]


def myst_plain_inline(renderer: Any, text: str, lineno: int) -> list[nodes.Node] | None:
    """What MyST's ``MockInliner.parse(text, lineno, ...)`` returns, made directly.

    Parsing a short text through markdown-it and MyST's renderer costs about
    half a millisecond; a book has tens of thousands of source notes, most
    of them words and an ``*emphasised*`` title.  For such texts (see
    :func:`_plain_pieces`) this builds the same nodes, with the same line and
    source, and counts the words as MyST's ``wordcount`` rule would.  Returns
    None for any other text, or when the renderer is not in the shape we know
    (the caller then parses as usual).
    """
    pieces = _plain_pieces(text)
    md = getattr(renderer, "md", None)
    env = getattr(renderer, "md_env", None)
    document = getattr(renderer, "document", None)
    if pieces is None or md is None or not isinstance(env, dict) or document is None:
        return None
    if not _plain_rules_only(md):
        return None
    result: list[nodes.Node] = []
    for index, piece in enumerate(pieces):
        if not piece:
            continue
        if index % 2 == 0:
            result.append(nodes.Text(piece))
            continue
        emphasis = nodes.emphasis()
        # MyST's render_em: the inline token's line (its map, made 1-based)
        emphasis.line = lineno + 1
        document.current_line = emphasis.line
        emphasis.source = document["source"]
        emphasis += nodes.Text(piece)
        result.append(emphasis)
    if _rules_check(md)[1]:
        words = sum(_count_words(piece) for piece in pieces if piece)
        data = env.setdefault("wordcount", {})
        data.setdefault("words", 0)
        data["words"] += words
        config = md.options.get("myst_config")
        per_minute = getattr(config, "words_per_minute", 200)
        data["minutes"] = int(round(data["words"] / per_minute))  # noqa: RUF046
    return result


def _count_words(text: str) -> int:
    """mdit_py_plugins.wordcount's ``basic_count``: punctuation-only words do not count."""
    return sum(word.strip(string.punctuation).isalpha() for word in text.split())
