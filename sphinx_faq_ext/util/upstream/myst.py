"""MyST-Parser's private API: the renderer behind its mock state and inliner,
``DocutilsRenderer._level_to_section``, what :func:`myst_plain_inline`
needs to make the nodes of a plain text as MyST would, and the tokenizer of
directive options (:func:`use_simple_option_tokens`)."""

from __future__ import annotations

import contextlib
import re
import string
import sys
import weakref
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.nodes import nested_parse_with_titles

from sphinx_faq_ext.util.upstream import _changed
from sphinx_faq_ext.util.upstream.markdown_it import compiled_chains

if TYPE_CHECKING:
    from docutils.statemachine import StringList


def myst_renderer(state_or_inliner: Any) -> Any | None:
    """MyST's renderer behind a directive's state or a role's inliner; None in rST.

    MyST hands directives and roles mock objects (``MockState``,
    ``MockInliner``) that keep the renderer as ``_renderer``: through it a
    directive parses a note the fast way (:func:`myst_plain_inline`) and nests
    headings under a question (:func:`parse_with_headings_under`).  A MyST
    mock without it warns, and the caller parses as in reStructuredText.
    """
    renderer = getattr(state_or_inliner, "_renderer", None)
    if renderer is None and type(state_or_inliner).__module__.startswith("myst_parser"):
        _changed(f"myst_parser {type(state_or_inliner).__name__}._renderer",
                 "notes and answers in MyST are parsed more slowly, and headings "
                 "in an answer may not nest under their question")
    return renderer


def parse_with_headings_under(
    state: Any, content: StringList, offset: int, section: nodes.section, levels: range
) -> None:
    """Parse *content* into *section*, its headings becoming sub-sections of it.

    MyST attaches a heading to the section of the level above it *in the
    whole document* (``DocutilsRenderer._level_to_section``); every level in
    *levels* is made to resolve to *section* for this parse, so ``## Heading``
    nests under the question.  reStructuredText needs nothing of the sort.
    """
    renderer = myst_renderer(state)
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
#: Text markdown-it leaves as it is: letters, digits, single spaces and
#: ``,.;-:?!/'"()`` (no rule of :data:`_PLAIN_RULES` starts at one of these
#: but ``!``, an image only before ``[``; smart quotes and typographic
#: replacements are core rules the fast path refuses).
_PLAIN_PIECE = re.compile(r"(?:[^\W_]|[ ,.;:?!/'\"()-])*")
#: The text of ``*emphasis*``: the same, starting with a letter, a digit or
#: ``'"(`` and ending with one or ``.?!'")`` (next to the spaces or ``,.;``
#: around it, a ``*`` then opens and closes as CommonMark's flanking rules say).
_EMPHASIS_PIECE = re.compile(
    r"[^\W_]|(?:[^\W_]|['\"(])(?:[^\W_]|[ ,.;:?!/'\"()-])*(?:[^\W_]|[.?!'\")])"
)


def _plain_pieces(text: str) -> list[str] | None:
    """*text* split at its ``*``: plain, emphasised, plain, …; None if not that simple.

    Simple means what markdown-it can only read one way: words with single
    spaces and ``,.;-:?!/'"()`` (no ``..``, ``--`` or ``,,``, which typographic
    replacements would change), and ``*emphasis*`` opened after a space (or at
    the start) and closed before a space, ``,.;`` (or at the end).  In the
    real book, 8,711 of its 8,766 notes (4,412 before quotes, brackets and
    ``*Op. Cit.*`` were taken in).
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


def _rules_check(md: Any) -> tuple[bool, bool]:
    """(:func:`_plain_rules_only`, whether ``wordcount`` is active) for *md*.

    Remembered while markdown-it's compiled chains stay the same objects:
    listing the active rules at each of a book's tens of thousands of notes
    cost more than making their nodes.
    """
    chains = compiled_chains(md)
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


def _plain_rules(md: Any) -> tuple[bool, bool]:
    """(whether MyST's markdown-it runs only the rules :data:`_PLAIN_RULES`
    knows, whether ``wordcount`` is active), asked once a text.

    Asked at each call: MyST switches rules on and off around some parses
    (``myst_preserve_newline``); :func:`_rules_check` notices.
    """
    try:
        options = md.options
        if options.get("typographer") or options.get("linkify"):
            return False, False
    except (AttributeError, TypeError):
        return False, False
    return _rules_check(md)


def _plain_rules_only(md: Any) -> bool:
    """Whether MyST's markdown-it runs only the rules :data:`_PLAIN_RULES` knows."""
    return _plain_rules(md)[0]


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
    plain, wordcount = _plain_rules(md)
    if not plain:
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
    if wordcount:
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


#: sha256 of MyST-Parser's ``myst_parser/parsers/options.py`` (5.2.0), the
#: tokenizer of directive options that :func:`simple_option_tokens` reproduces
#: for simple blocks.  ``tests/test_upstream.py`` compares it with the installed
#: module; the fast path is used only when they match.
REVIEWED_OPTIONS_MODULE = "944121895ba3649a694ecea98682af84ee9df1c11294e4948557dabbf8121677"
#: The MyST-Parser version of :data:`REVIEWED_OPTIONS_MODULE`: an older one
#: (``nox -s tests_oldest``) parses with its own tokenizer, without a warning.
REVIEWED_MYST_VERSION = (5, 2, 0)

#: One line of a simple option block, as MyST hands it over (the leading
#: ``:`` of ``:author: 'Name'`` removed): a key, then nothing (a flag), or one
#: space and a value single-quoted all through (``''`` for a quote), or plain
#: (not starting with a character that opens a quoted or block value or a
#: comment; no `` #`` comment; no space at the end).
_SIMPLE_OPTION = re.compile(
    r"([A-Za-z0-9_][A-Za-z0-9_-]*):"
    r"(?: (?:'((?:[^']|'')*)'|([^ '\"|>#](?:[^#]*[^ #])?)))?"
)
#: Characters that end a line, end the text or are not counted in a column
#: for MyST's tokenizer, or that it treats apart (a tab); a block with one of
#: them is left to it.
_NOT_SIMPLE_OPTIONS = re.compile("[\0\t\r\x85\u2028\u2029\ufeff]| #")


def simple_option_tokens(text: str) -> list[tuple[Any, Any]] | None:
    """The key and value tokens MyST's ``options_to_tokens(text)`` makes, made directly.

    MyST reads a directive's option block (``:author: 'Name'`` lines, the
    ``:`` removed) with a YAML tokenizer that looks at each character in
    Python; at the real book's 3,187 option blocks that took 0.59 s.  A block
    whose every line is ``key: 'value'``, ``key: value`` or ``key:`` can only
    be read one way: this builds the same tokens (values, styles, positions)
    with a regular expression a line.  Returns None for any other block: the
    caller then asks MyST's tokenizer.
    """
    from myst_parser.parsers.options import KeyToken, Position, ValueToken

    if not text or _NOT_SIMPLE_OPTIONS.search(text):
        return None
    tokens: list[tuple[Any, Any]] = []
    start = 0
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = _SIMPLE_OPTION.fullmatch(line)
        if match is None:
            return None
        key, quoted, plain = match.groups()
        after_key = len(key)
        key_token = KeyToken(Position(start, number, 0),
                             Position(start + after_key, number, after_key), key)
        end = len(line)
        value_token = None
        if quoted is not None:
            value_token = ValueToken(Position(start + after_key + 2, number, after_key + 2),
                                     Position(start + end, number, end),
                                     quoted.replace("''", "'"), "'")
        elif plain is not None:
            value_token = ValueToken(Position(start + after_key + 2, number, after_key + 2),
                                     Position(start + end, number, end), plain)
        elif number == len(lines) - 1:  # a flag last: MyST finds an empty value at the end
            value_token = ValueToken(Position(start + end, number, end),
                                     Position(start + end, number, end), "")
        tokens.append((key_token, value_token))
        start += end + 1
    return tokens


def _simple_or_myst_option_tokens(
    text: str, line_offset: int = 0, column_offset: int = 0
) -> tuple[list[tuple[Any, Any]], Any]:
    """MyST's ``options_to_tokens``, with :func:`simple_option_tokens` tried first."""
    from myst_parser.parsers import options

    tokens = simple_option_tokens(text)
    if tokens is None:
        return options.options_to_tokens(text, line_offset, column_offset)
    return tokens, options.State()


def use_simple_option_tokens() -> bool:
    """Have MyST read simple directive option blocks with :func:`simple_option_tokens`.

    Does nothing unless MyST's directive parser is loaded (a MyST project).
    MyST's ``_parse_directive_options`` looks its tokenizer up in its module
    (``myst_parser.parsers.directives.options_to_tokens``); it is replaced
    there, for the whole process, by a function giving the same tokens, and
    only when the tokenizer's module is the one reviewed
    (:data:`REVIEWED_OPTIONS_MODULE`); otherwise MyST's own is kept (a newer
    MyST says so with a ``faq.upstream`` warning).  True when in use.
    """
    directives = sys.modules.get("myst_parser.parsers.directives")
    if directives is None:
        return False
    if getattr(directives, "options_to_tokens", None) is _simple_or_myst_option_tokens:
        return True
    from myst_parser import __version__

    from sphinx_faq_ext.util.upstream import source_digest

    options = sys.modules.get("myst_parser.parsers.options")  # loaded by directives
    tokenizer = getattr(directives, "options_to_tokens", None)
    if (options is None or tokenizer is not getattr(options, "options_to_tokens", None)
            or source_digest(options) != REVIEWED_OPTIONS_MODULE):
        if _version(__version__) >= REVIEWED_MYST_VERSION:
            _changed("myst_parser.parsers.options",
                     "directive options in MyST are parsed more slowly")
        return False
    setattr(directives, "options_to_tokens", _simple_or_myst_option_tokens)  # noqa: B010
    return True


def _version(text: str) -> tuple[int, ...]:
    """``"5.2.0"`` -> ``(5, 2, 0)`` (a part with a suffix such as ``0rc1`` stops it)."""
    numbers = []
    for part in text.split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)
