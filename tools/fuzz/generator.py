"""The fuzz harness's generator: hostile FAQ documents, drawn and written out.

A `hypothesis`_ strategy (:func:`documents`) draws small FAQ documents that use
every directive, role and option of the ``faq`` domain — ``faq:question``
(``:number:``, ``:label:``, ``:class:``), ``faq:quote`` (``:author:``,
``:source:``, ``:page:``, ``:cite:``, ``:note:``, ``:url:``, ``:class:``),
``faq:notes``, ``faq:index`` (``:branch:``, ``:depth:``, ``:caption:``,
``:class:``), ``faq:sources`` (``:caption:``, ``:class:``) and the roles
``faq:note``, ``faq:cite``, ``faq:ref``, ``faq:ref-number``, ``faq:ref-full``,
``faq:ref-title`` — with malformed, empty, huge, hostile and non-ASCII values,
and headings nested deeper than any builder's default.

A drawn document is a tree of tuples (the model is described above
:data:`TOKEN`).  :func:`render` writes one as MyST or reStructuredText and
puts a unique *token* (``zx0042k007``) in every slot that holds text,
remembering the source lines of the slot (a :class:`Slot`), so that the
checks can tell whether each piece of text reached the output.
:func:`generate` draws *count* documents, the same ones for the same seed.
:data:`REGRESSION_DOCS` are hand-written documents, one per bug the harness
found, that the quick profile (``tests/test_fuzz.py``) builds every time.

This module builds nothing and needs nothing but hypothesis.

.. _hypothesis: https://hypothesis.readthedocs.io/
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

# ---------------------------------------------------------------------------
# Values: what authors type, from ordinary to hostile
# ---------------------------------------------------------------------------

#: Text around tokens: non-ASCII that every builder (pdflatex included) must keep.
FILLERS = (
    "plain words", "Ünïcödé façade", "déjà vu — naïve", "“quoted” \u2018text\u2019",
    "Æsir œuvre Ørsted", "Straße …", "niño, señor", "x", "",
)
#: Characters that need escaping somewhere (LaTeX, HTML, roff, Texinfo, BibTeX).
HOSTILE = (
    "{Foo", "}", "\\", "\\\\", "%", "$x$", "#", "&amp;", "~", "^", "_", "<b>bold</b>",
    "\"'", "*emph*", "]]>", "</script>", "{{ x }}", "@", "\\relax", ".TH", "'dot",
    "[1]", "a\u00a0b", "ß",
)
#: Question numbers: good, case-colliding, deep, malformed, huge.
NUMBERS = (
    "A", "B", "b", "A.1", "A.2", "a.1", "A.1.1", "A.1.1.1", "A.1.1.1.1", "A.1.1.1.1.1",
    "A.1.1.1.1.1.1", "1", "1.2", "3.1.4", "Z", "C.10",
    "", " ", "A..1", "A.", ".1", "A-1", "A/B", "Ä.1", "1e5", "A 1", "{A}", "\\A",
    "9" * 5000, "A." + "1" * 500, ".".join(["1"] * 40),
)
LABELS = ("why", "Why", "why-solidarity", "two words", "ünï", "x<y>", "", "a_b", "label" * 100)
REF_TARGETS = (
    "A", "A.1", "a", "a.1", "B", "b", "A.1.1", "why", "WHY", "two words", "Z.9", "nowhere",
    "A.1.1.1.1.1", "9" * 2000, "x<y>", "{Foo", "A..1",
)
REF_ROLES = ("ref", "ref-number", "ref-full", "ref-title")
PAGES = ("29", "133-4", "xii", "p. 7", "", "1" * 300, "{", "%", "ii\u2013iv")
CITE_KEYS = ("malatesta1974", "kohn1986", "goldman1998", "specialchars", "notitle",
             "nokey", "", "{x", "a b", "MALATESTA1974")
URLS = ("https://example.org/page", "http://example.org/a b", "javascript:alert(1)",
        "JavaScript:alert(1)", " javascript:alert(2)", "data:text/html,<script>x</script>",
        "\"><script>alert(1)</script>", "//example.org", "mailto:a@b.c", "")
BRANCHES = ("A", "A.1", "a", "B", "Z.9", "", "A..1", "why", "{x", "9" * 1000)
DEPTHS = ("1", "2", "0", "-1", "x", "99999999999999999999", "")
CLASSES = ("extra", "one two", "Ünï")
#: Headings nest at most this deep inside one answer (MyST has six levels).
MAX_HEADING = 5
MAX_QUESTION_DEPTH = 6

#: The bibliography the documents cite (CITE_KEYS); each project has it as ``refs.bib``.
BIB = r"""@book{malatesta1974,
  author = {Errico Malatesta},
  title = {Anarchy},
  publisher = {Freedom Press},
  address = {London},
  year = {1974},
}
@book{kohn1986,
  author = {Alfie Kohn},
  title = {No Contest: The Case Against Competition},
  publisher = {Houghton Mifflin},
  year = {1986},
}
@incollection{goldman1998,
  author = {Emma Goldman and {Ret Marut (a.k.a. B. Traven)}},
  title = {Anarchism: What It Really Stands For},
  booktitle = {Red Emma Speaks},
  editor = {Alix Kates Shulman},
  publisher = {Humanity Books},
  year = {1998},
}
@book{specialchars,
  author = {Jos{\'e} {\"U}ber and de la Fontaine, Jean},
  title = {100\% {L}a{T}e{X} \& {\#}hash: {\_}under {\~{}}tilde},
  publisher = {P{\aa}r {\O}st},
  year = {2001},
}
@misc{notitle,
  author = {Nobody},
}
"""

# ---------------------------------------------------------------------------
# The document model and its strategies
# ---------------------------------------------------------------------------
#
# A document is a tuple tree: ("doc", title_inlines, blocks).  Blocks:
#   ("para", inlines)
#   ("heading", depth, inlines)                 depth 1.. inside an answer
#   ("question", title_inlines, options, blocks)
#   ("quote", options, paragraphs)              paragraphs: list of inlines
#   ("notes",)
#   ("index", options)
#   ("sources", options)
# Inlines: ("text", filler) | ("note", text) | ("cite", key, locator)
#          | ("ref", role, target, explicit_text_or_None)
# Option values that carry text hold the marker TOKEN where the token goes.

TOKEN = "\x00TOKEN\x00"


def _text_value(hostile: bool = True) -> st.SearchStrategy[str]:
    """A text option value holding a token, perhaps with hostile characters."""
    pieces = st.sampled_from(FILLERS + HOSTILE if hostile else FILLERS)
    # huge values are one shape in twenty: they are slow to build
    shape = st.sampled_from(["around"] * 12 + ["after"] * 7 + ["huge"])
    return st.builds(
        lambda kind, a, b: {
            "around": f"{a} {TOKEN} {b}".strip(),
            "after": f"{TOKEN}{a}",
            "huge": f"{TOKEN} {a} " + "long " * 400,
        }[kind],
        shape, pieces, pieces,
    )


def _inline_text() -> st.SearchStrategy[str]:
    # Role text: no backquote (it ends the role) and no backslash last.
    return _text_value().map(lambda s: s.replace("`", "'").rstrip("\\"))


inlines_strategy = st.lists(
    st.one_of(
        st.tuples(st.just("text"), st.sampled_from(FILLERS)),
        st.tuples(st.just("note"), _inline_text()),
        st.tuples(
            st.just("cite"), st.sampled_from(CITE_KEYS),
            st.one_of(st.none(), st.sampled_from(("p. ", "pp. ", "ch. ", "", "{"))),
        ),
        st.tuples(
            st.just("ref"), st.sampled_from(REF_ROLES), st.sampled_from(REF_TARGETS),
            st.one_of(st.none(), _inline_text()),
        ),
    ),
    min_size=1, max_size=4,
).map(lambda items: [("text", ""), *items] if items[0][0] != "text" else items)


def _options(spec: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict holding any subset of *spec*'s options."""
    return st.fixed_dictionaries({}, optional=spec)


question_options = _options({
    "number": st.sampled_from(NUMBERS),
    "label": st.sampled_from(LABELS),
    "class": st.sampled_from(CLASSES),
})
quote_options = _options({
    "author": st.one_of(_text_value(), _text_value(),
                        st.sampled_from(("", "{Foo", "Malatesta, Errico"))),
    "source": _text_value(),
    "page": st.one_of(st.sampled_from(PAGES), _text_value()),
    "cite": st.builds(
        lambda key, loc: f"{key}, {loc}" if loc else key,
        st.sampled_from(CITE_KEYS), st.one_of(st.none(), _text_value()),
    ),
    "note": _text_value(),
    "url": st.sampled_from(URLS),
    "class": st.sampled_from(CLASSES),
})
index_options = _options({
    "branch": st.sampled_from(BRANCHES),
    "depth": st.sampled_from(DEPTHS),
    "caption": st.one_of(st.just(""), _text_value()),
    "class": st.sampled_from(CLASSES),
})
sources_options = _options({
    "caption": st.one_of(st.just(""), _text_value()),
    "class": st.sampled_from(CLASSES),
})

leaf_blocks = st.one_of(
    st.tuples(st.just("para"), inlines_strategy),
    st.tuples(st.just("para"), inlines_strategy),
    st.tuples(st.just("heading"), st.integers(1, MAX_HEADING), inlines_strategy),
    st.tuples(st.just("quote"), quote_options, st.lists(inlines_strategy, max_size=2)),
    st.tuples(st.just("quote"), quote_options, st.lists(inlines_strategy, min_size=1,
                                                        max_size=2)),
    st.tuples(st.just("notes")),
    st.tuples(st.just("index"), index_options),
    st.tuples(st.just("sources"), sources_options),
)


def _blocks(depth: int) -> st.SearchStrategy[list[Any]]:
    if depth >= MAX_QUESTION_DEPTH:
        return st.lists(leaf_blocks, max_size=4)
    question = st.tuples(
        st.just("question"), inlines_strategy, question_options,
        st.deferred(lambda: _blocks(depth + 1)),
    )
    # deeper levels hold fewer blocks so documents stay small
    return st.lists(st.one_of(leaf_blocks, question, question),
                    max_size=max(2, 6 - depth))


def documents() -> st.SearchStrategy[tuple[Any, ...]]:
    """A whole document: a title and its blocks (questions nest up to 6 deep)."""
    return st.tuples(st.just("doc"), inlines_strategy, _blocks(0), st.sampled_from(("md", "rst")))


# ---------------------------------------------------------------------------
# Rendering a document to MyST or reStructuredText, with tokens
# ---------------------------------------------------------------------------


@dataclass
class Slot:
    """One piece of text that must reach every output (or be warned about)."""

    token: str
    docname: str
    kind: str  # e.g. "question-title", "quote-note", "note", "para"
    lines: tuple[int, int]  # 1-based source lines where a warning excuses it
    context: frozenset[str] = frozenset()  # features of the enclosing block


@dataclass
class Rendered:
    """A document written out, with its tokens."""

    docname: str
    suffix: str
    text: str
    slots: list[Slot]
    features: set[str]


class _Writer:
    """Renders one document; keeps the current line for the slots."""

    def __init__(self, docname: str, syntax: str, index: int) -> None:
        self.docname = docname
        self.syntax = syntax
        self.doc_index = index
        self.lines: list[str] = []
        self.slots: list[Slot] = []
        self.features: set[str] = set()
        self.numbers: set[str] = set()
        self._count = 0

    # -- tokens ---------------------------------------------------------
    def token(self) -> str:
        self._count += 1
        return f"zx{self.doc_index:04d}k{self._count:03d}"

    def fill(self, value: str, kind: str, lines: tuple[int, int],
             context: Iterable[str] = ()) -> str:
        """Replace TOKEN in *value* by a fresh token registered as a slot."""
        if TOKEN not in value:
            return value
        token = self.token()
        self.slots.append(Slot(token, self.docname, kind, lines, frozenset(context)))
        return value.replace(TOKEN, token)

    @property
    def line(self) -> int:
        """The 1-based number of the next line written."""
        return len(self.lines) + 1

    def emit(self, text: str, indent: str = "") -> None:
        for line in text.split("\n"):
            self.lines.append(indent + line if line else "")

    # -- inline markup ----------------------------------------------------
    def inlines(self, items: list[Any], kind: str, lines: tuple[int, int],
                context: Iterable[str] = ()) -> str:
        out = []
        if kind.endswith(("title", "heading")) and any(i[0] in ("note", "cite") for i in items):
            self.features.add("note-in-title")
        for item in items:
            if item[0] == "text":
                token = self.token()
                self.slots.append(Slot(token, self.docname, kind, lines, frozenset(context)))
                out.append(f"{item[1]} {token}".strip())
            elif item[0] == "note":
                self.features.add("note-role")
                text = self.fill(item[1], f"{kind}-note", lines, context)
                out.append(self.role("note", text))
            elif item[0] == "cite":
                self.features.add("cite-role")
                _, key, locator = item
                content = key
                if locator is not None:
                    content += ", " + self.fill(locator + TOKEN, f"{kind}-cite-locator",
                                                lines, context)
                out.append(self.role("cite", content))
            elif item[0] == "ref":
                _, role, target, text = item
                if text is None:
                    out.append(self.role(role, target))
                else:
                    shown = self.fill(text.replace("<", "(").replace(">", ")"),
                                      f"{kind}-ref-text", lines, context)
                    out.append(self.role(role, f"{shown} <{target}>"))
        return " ".join(out)

    def role(self, name: str, content: str) -> str:
        content = content.replace("`", "'").rstrip("\\") or "x"
        if self.syntax == "md":
            return f"{{faq:{name}}}`{content}`"
        return f":faq:{name}:`{content}`"

    # -- blocks -----------------------------------------------------------
    def document(self, doc: tuple[Any, ...]) -> None:
        _, title, blocks, _syntax = doc
        start = self.line
        text = self.inlines(title, "doc-title", (start, start + 2))
        if self.syntax == "md":
            self.emit(f"# {text}\n")
        else:
            bar = "#" * max(len(text), 4)
            self.emit(f"{bar}\n{text}\n{bar}\n")
        self.blocks(blocks, "", heading_base=0)

    def blocks(self, blocks: list[Any], indent: str, heading_base: int) -> None:
        last_heading = 0
        for block in blocks:
            kind = block[0]
            if kind == "heading":
                depth = min(block[1], last_heading + 1)
                last_heading = depth
                self.heading(depth, block[2], indent, heading_base)
            else:
                getattr(self, kind)(block, indent)
            self.emit("")

    def heading(self, depth: int, items: list[Any], indent: str, base: int) -> None:
        self.features.add(f"heading-{depth}")
        line = self.line
        text = self.inlines(items, "heading", (line, line + 1))
        if self.syntax == "md":
            # Inside an answer "##" is the first level; at the top "#" is the title.
            self.emit(f"{'#' * min(6, depth + 1)} {text}", indent)
        else:
            chars = "=-~^\"'+*"
            self.emit(f"{text}\n{chars[depth - 1] * max(len(text), 4)}", indent)
        self.emit("")

    def para(self, block: tuple[Any, ...], indent: str) -> None:
        line = self.line
        self.emit(self.inlines(block[1], "para", (line, line)), indent)

    def directive(self, name: str, argument: str, options: dict[str, str], indent: str,
                  fence: str = "```") -> None:
        if self.syntax == "md":
            self.emit(f"{fence}{{faq:{name}}} {argument}".rstrip(), indent)
            for key, value in options.items():
                self.emit(f":{key}: {value}".rstrip(), indent)
        else:
            self.emit(f".. faq:{name}:: {argument}".rstrip(), indent)
            for key, value in options.items():
                self.emit(f"   :{key}: {value}".rstrip(), indent)

    def question(self, block: tuple[Any, ...], indent: str) -> None:
        _, title, options, body = block
        self.features.add("question")
        height = _question_height(body)
        fence = ":" * (3 + height)
        start = self.line
        if "number" in options:
            number = options["number"]
            if number.strip() and number.strip() in self.numbers:
                self.features.add("number-duplicate")
            self.numbers.add(number.strip())
            self.features.add("number-empty" if not number.strip() else
                              "number-huge" if len(number) > 100 else "number")
            if number.strip() in ("b", "a.1"):
                self.features.add("number-case")
        if "label" in options and not options["label"].strip():
            self.features.add("label-empty")
        header = (start, start + len(options))
        context = {"question"} | {f"question-{key}" for key in options}
        if not options.get("number", "x").strip():
            context.add("number-empty")
        if not options.get("label", "x").strip():
            context.add("label-empty")
        text = self.inlines(title, "question-title", header, context)
        if any(item[0] in ("note", "cite") for item in title):
            self.features.add("note-in-title")
        self.directive("question", text, options, indent, fence)
        inner = indent + ("" if self.syntax == "md" else "   ")
        self.emit("")
        self.blocks(body, inner, heading_base=0)
        if self.syntax == "md":
            self.emit(fence, indent)
        self.features.add(f"question-depth-{_question_depth(body) + 1}")

    def quote(self, block: tuple[Any, ...], indent: str) -> None:
        _, options, paragraphs = block
        start = self.line
        end = start + len(options) + 1 + sum(2 for _ in paragraphs)
        lines = (start, end)
        context = {"quote"} | {f"quote-{key}" for key in options}
        if not paragraphs:
            context.add("quote-empty")
            self.features.add("quote-empty")
            if not options.get("author", "").strip():
                self.features.add("quote-empty-no-author")
        if "note" in options and "cite" in options:
            self.features.add("quote-note-cite")
        if "{" in options.get("author", "") or "}" in options.get("author", ""):
            self.features.add("author-brace")
        if "javascript" in options.get("url", "").lower():
            self.features.add("javascript-url")
        values = {key: self.fill(value, f"quote-{key}", lines, context)
                  for key, value in options.items()}
        self.directive("quote", "", values, indent)
        body_indent = indent + ("" if self.syntax == "md" else "   ")
        for paragraph in paragraphs:
            self.emit("")
            line = self.line
            self.emit(self.inlines(paragraph, "quote-body", (start, max(end, line)), context),
                      body_indent)
        if self.syntax == "md":
            self.emit("```", indent)

    def notes(self, block: tuple[Any, ...], indent: str) -> None:
        self.directive("notes", "", {}, indent)
        if self.syntax == "md":
            self.emit("```", indent)

    def index(self, block: tuple[Any, ...], indent: str) -> None:
        self.features.add("index")
        start = self.line
        options = {key: self.fill(value, "index-caption", (start, start + len(block[1])))
                   for key, value in block[1].items()}
        self.directive("index", "", options, indent)
        if self.syntax == "md":
            self.emit("```", indent)

    def sources(self, block: tuple[Any, ...], indent: str) -> None:
        self.features.add("sources")
        start = self.line
        options = {key: self.fill(value, "sources-caption", (start, start + len(block[1])))
                   for key, value in block[1].items()}
        self.directive("sources", "", options, indent)
        if self.syntax == "md":
            self.emit("```", indent)


def _question_height(blocks: list[Any]) -> int:
    """How many question fences nest inside *blocks* (MyST fence lengths)."""
    return max((1 + _question_height(b[3]) for b in blocks if b[0] == "question"), default=0)


def _question_depth(blocks: list[Any]) -> int:
    return _question_height(blocks)


def render(doc: tuple[Any, ...], index: int) -> Rendered:
    """Write document number *index* in its syntax, with a token in every text slot."""
    syntax = doc[3]
    docname = f"d{index:04d}"
    writer = _Writer(docname, syntax, index)
    writer.document(doc)
    text = "\n".join(writer.lines).rstrip() + "\n"
    return Rendered(docname, "." + syntax, text, writer.slots, writer.features)


#: One document per known bug of issue 13, so the quick profile meets each one.
def _q(title: str, options: dict[str, str], body: list[Any]) -> tuple[Any, ...]:
    return ("question", [("text", title)], options, body)


_PARA = ("para", [("text", "answer")])
REGRESSION_DOCS: tuple[tuple[Any, ...], ...] = (
    ("doc", [("text", "Empty quote")], [_q("Q", {"number": "A"}, [("quote", {}, [])])], "md"),
    ("doc", [("text", "Huge number")], [_q("Q", {"number": "9" * 5000}, [_PARA])], "md"),
    ("doc", [("text", "Brace author")],
     [_q("Q", {"number": "A"}, [("quote", {"author": "{Foo " + TOKEN}, [[("text", "q")]])])],
     "rst"),
    ("doc", [("text", "Deep sections")],
     [_q("Q", {"number": "A"}, [_q("Q", {}, [_q("Q", {}, [_q("Q", {}, [
         ("heading", 1, [("text", "h")]), ("heading", 2, [("text", "h")]),
         ("heading", 3, [("text", "h")]), ("heading", 4, [("text", "h")]), _PARA])])])])],
     "md"),
    ("doc", [("text", "Deep index")],
     [_q("Q", {"number": "D"}, [_q("Q", {}, [_q("Q", {}, [_q("Q", {}, [_q("Q", {}, [
         _q("Q", {}, [_PARA])])])])])]), ("index", {})], "md"),
    ("doc", [("text", "Case numbers")],
     [_q("Q", {"number": "B"}, [_PARA]), _q("Q", {"number": "b"}, [_PARA])], "md"),
    ("doc", [("text", "Note and cite")],
     [_q("Q", {"number": "A"}, [("quote", {
         "author": "Errico Malatesta", "note": TOKEN, "cite": "malatesta1974, p. " + TOKEN},
         [[("text", "q")]])])], "md"),
    ("doc", [("text", "Empty number")], [_q("Q", {"number": ""}, [_PARA])], "rst"),
    ("doc", [("text", "Note in title")],
     [("question", [("text", "Q"), ("note", TOKEN)], {"number": "A"}, [_PARA])], "md"),
    ("doc", [("text", "Backslash author")],
     [_q("Q", {"number": "A"}, [("quote", {"author": "\\\\ " + TOKEN}, [[("text", "q")]])])],
     "rst"),
    ("doc", [("text", "Script URL")],
     [_q("Q", {"number": "A"}, [("quote", {"author": "A B", "url": "javascript:alert(1)"},
                                 [[("text", "q")]])])], "md"),
)


def generate(count: int, seed: int | None = None,
             derandomize: bool = False) -> list[tuple[Any, ...]]:
    """Draw *count* documents with hypothesis (deterministic for a seed)."""
    drawn: list[tuple[Any, ...]] = []

    @settings(
        max_examples=count, database=None, deadline=None, derandomize=derandomize,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(documents())
    def collect(doc: tuple[Any, ...]) -> None:
        drawn.append(doc)

    if seed is not None and not derandomize:
        collect = hypothesis_seed(seed)(collect)
    collect()
    # hypothesis may stop early once it has tried enough; top up from the same draws
    rng = random.Random(seed or 0)
    while drawn and len(drawn) < count:
        drawn.append(rng.choice(drawn))
    return drawn[:count]

