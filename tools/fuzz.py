"""Property-based fuzzing of sphinx-faq-ext: generate FAQ documents, build them, check.

A `hypothesis`_ strategy (:func:`documents`) draws small FAQ documents that use
every directive, role and option of the ``faq`` domain — ``faq:question``
(``:number:``, ``:label:``, ``:class:``), ``faq:quote`` (``:author:``,
``:source:``, ``:page:``, ``:cite:``, ``:note:``, ``:url:``, ``:class:``),
``faq:notes``, ``faq:index`` (``:branch:``, ``:depth:``, ``:caption:``,
``:class:``), ``faq:sources`` (``:caption:``, ``:class:``) and the roles
``faq:note``, ``faq:cite``, ``faq:ref``, ``faq:ref-number``, ``faq:ref-full``,
``faq:ref-title`` — with malformed, empty, huge, hostile and non-ASCII values,
and headings nested deeper than any builder's default.  :func:`render` writes
a document as MyST or reStructuredText and puts a unique *token*
(``zx0042k007``) in every slot that holds text, remembering the source lines
of the slot.

:func:`run` writes the documents into Sphinx projects (a batch of documents
per project, to keep it fast), builds each project with every builder
(``html``, ``epub``, ``latex``, ``text``, ``man``, ``texinfo``; ``latexmk``,
``faqpdf`` with its Typst engine and ``faqpdf-weasyprint`` when asked)
in-process, and checks

* **crashes**: no builder raises (an exception in-process, a LaTeX error for
  latexmk).  A crash is pinned on its document by bisecting the batch, and
  the batch is built again without it so the other documents are still
  checked;
* **lost tokens**: every token is in the builder's output, or a warning
  names it, or a warning located in the token's document at the token's own
  source lines (the directive that holds it) explains why it is not there;
* **unlocated warnings**: every warning has ``file:line``;
* **wrong output**: nested ``<a>`` elements and ``javascript:`` URLs in HTML.

Every failure gets a *signature*; :data:`KNOWN_BUGS` lists the signatures of
bugs already reported (issue 13) and being fixed elsewhere, so the quick
profile in ``tests/test_fuzz.py`` can tell old from new.

Run ``nox -s fuzz`` (or ``python tools/fuzz.py --count 1000``) for the full
run; ``--help`` lists the options.

.. _hypothesis: https://hypothesis.readthedocs.io/
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

#: Builders run on every batch, and the two PDF paths, run on fewer documents.
BUILDERS = ("html", "epub", "latex", "text", "man", "texinfo")
PDF_BUILDERS = ("latexmk", "faqpdf", "faqpdf-weasyprint")
#: The builder each name runs, and its ``conf.py`` overrides (faqpdf's engines).
REAL_BUILDERS: dict[str, tuple[str, dict[str, str]]] = {
    "latexmk": ("latex", {}),
    "faqpdf": ("faqpdf", {"faq_pdf_engine": "typst"}),
    "faqpdf-weasyprint": ("faqpdf", {"faq_pdf_engine": "weasyprint"}),
}

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


# ---------------------------------------------------------------------------
# Projects and builds
# ---------------------------------------------------------------------------

CONF = """\
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
show_warning_types = True
bibtex_bibfiles = ["refs.bib"]
project = "Fuzz"
author = "Fuzz"
version = release = "1"
copyright = "2026, Fuzz"
faq_notes_style = {notes_style!r}
faq_ref_style = {ref_style!r}
latex_elements = {{"printindex": ""}}
"""


def write_project(srcdir: Path, docs: list[Rendered], config: dict[str, str]) -> None:
    """A project holding *docs*, all in the root toctree."""
    if srcdir.exists():
        shutil.rmtree(srcdir)
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(CONF.format(**config), "utf8")
    (srcdir / "refs.bib").write_text(BIB, "utf8")
    toc = "\n".join(doc.docname for doc in docs)
    (srcdir / "index.md").write_text(f"# Fuzz\n\n```{{toctree}}\n{toc}\n```\n", "utf8")
    for doc in docs:
        (srcdir / f"{doc.docname}{doc.suffix}").write_text(doc.text, "utf8")


@dataclass
class Crash:
    """An exception (or LaTeX error) and where it came from."""

    builder: str
    signature: str
    message: str
    docnames: list[str]


@dataclass
class Build:
    """The result of one builder on one project."""

    builder: str
    outdir: Path
    warnings: str
    crash: Crash | None = None
    #: what pdftotext said on stderr (PDF builders), e.g. a broken ToUnicode CMap
    pdftotext_errors: str = ""


def _signature(exc: BaseException) -> str:
    """``Type@function`` of the innermost frame, plus the innermost of ours."""
    while exc.__cause__ is not None:  # Sphinx wraps handler errors: name the cause
        exc = exc.__cause__
    frames = traceback.extract_tb(exc.__traceback__)
    where = ">".join(f"{Path(f.filename).stem}.{f.name}" for f in frames[-2:])
    ours = [f for f in frames if "sphinx_faq_ext" in f.filename]
    mine = f" in {Path(ours[-1].filename).stem}.{ours[-1].name}" if ours else ""
    return f"{type(exc).__name__}@{where}{mine}"


def sphinx_build(srcdir: Path, builddir: Path, builder: str, fresh: bool = True) -> Build:
    """Build in-process; an exception becomes a :class:`Crash`.

    Builders of one batch share *builddir*'s doctrees, so only the first
    (``fresh``) reads the documents; read warnings come from that build.
    """
    from sphinx.testing.util import SphinxTestApp

    real, overrides = REAL_BUILDERS.get(builder, (builder, {}))
    if fresh:
        shutil.rmtree(builddir, ignore_errors=True)
    outdir = builddir
    shutil.rmtree(outdir / real, ignore_errors=True)
    warning = StringIO()
    crash = None
    app = None
    try:
        app = SphinxTestApp(real, srcdir=srcdir, builddir=outdir, freshenv=fresh,
                            status=StringIO(), warning=warning, confoverrides=overrides)
        app.build()
    except Exception as exc:
        cause = exc.__cause__ or exc
        crash = Crash(builder, _signature(exc), f"{type(cause).__name__}: {cause}"[:300], [])
    finally:
        if app is not None:
            app.cleanup()
    text = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue())
    result = Build(builder, outdir / real, text, crash)
    if crash is None and builder == "latexmk":
        result.crash = _compile_latex(result.outdir)
    return result


def _compile_latex(outdir: Path) -> Crash | None:
    """latexmk as Sphinx's Makefile runs it; LaTeX errors pinned on documents."""
    [tex] = sorted(outdir.glob("*.tex"))
    env = dict(os.environ, LATEXOPTS="-interaction=nonstopmode")
    done = subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", tex.name],
        cwd=outdir, env=env, capture_output=True, text=True, errors="replace", timeout=900,
        check=False,
    )
    if done.returncode == 0 and tex.with_suffix(".pdf").exists():
        return None
    log = tex.with_suffix(".log").read_text("utf8", errors="replace") \
        if tex.with_suffix(".log").exists() else done.stdout
    source = tex.read_text("utf8").splitlines()
    errors = re.findall(r"^! (.*?)\n(?:.*\n){0,12}?l\.(\d+)", log, re.MULTILINE)
    docnames = []
    for _message, line in errors:
        before = "\n".join(source[: int(line)])
        found = re.findall(r"\\label\{\\detokenize\{(d\d{4})::doc\}\}", before)
        if found:
            docnames.append(found[-1])
    first = errors[0][0] if errors else (re.findall(r"^! (.*)$", log, re.MULTILINE) or
                                         ["latexmk failed"])[0]
    message = re.sub(r"\s+", " ", first).strip()
    signature = "LaTeX:" + re.sub(r"[^A-Za-z ]+", "", message).strip()[:40]
    return Crash("latexmk", signature, message[:300], sorted(set(docnames)))


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

OUTPUT_SUFFIXES = {
    "html": (".html",), "epub": (".xhtml",), "latex": (".tex",), "text": (".txt",),
    "man": (".1",), "texinfo": (".texi",),
}
_TAG = re.compile(r"<[^>]*>")
_HEAD = re.compile(r"<head>.*?</head>", re.DOTALL)


def output_text(build: Build) -> str:
    """What a reader sees of the build, lower-cased, tokens made whole."""
    if build.builder in PDF_BUILDERS:
        pdfs = sorted(build.outdir.glob("*.pdf"))
        if not pdfs:
            return ""
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdfs[0]), "-"],
                              capture_output=True, text=True, errors="replace",
                              check=False)
        build.pdftotext_errors = done.stderr
        # a line break (or hyphenation) may split a token
        return re.sub(r"[\s\u00ad-]+", "", done.stdout).lower()
    parts = []
    for suffix in OUTPUT_SUFFIXES[build.builder]:
        for path in sorted(build.outdir.rglob(f"*{suffix}")):
            if "_sources" in path.parts:
                continue
            text = path.read_text("utf8", errors="replace")
            if suffix in (".html", ".xhtml"):
                text = _TAG.sub(" ", _HEAD.sub("", text))
            parts.append(text)
    return "\n".join(parts).lower()


@dataclass
class SphinxWarning:
    """One warning: where (if said) and what."""

    file: str | None
    line: int | None
    text: str

    @property
    def docname(self) -> str | None:
        if not self.file:
            return None
        match = re.search(r"(d\d{4})\.(?:md|rst)$", self.file)
        return match.group(1) if match else None


_WARNING_START = re.compile(
    r"^(?:(?P<loc>.*?): )?(?P<level>WARNING|ERROR|CRITICAL|SEVERE):", re.MULTILINE
)


def parse_warnings(text: str) -> list[SphinxWarning]:
    """Split Sphinx's warning stream into warnings (continuation lines kept)."""
    found = []
    starts = list(_WARNING_START.finditer(text))
    for match, following in zip(starts, [*starts[1:], None][: len(starts)], strict=True):
        end = following.start() if following else len(text)
        body = text[match.start():end].strip()
        loc = match.group("loc") or ""
        where = re.match(r"^(?P<file>.*?)(?::(?P<line>\d+))?:?$", loc)
        file = where.group("file") if where and where.group("file") else None
        line = int(where.group("line")) if where and where.group("line") else None
        found.append(SphinxWarning(file, line, body))
    return found


@dataclass
class Failure:
    """One finding, attributable to a document where possible."""

    builder: str
    category: str  # crash | lost | unlocated | wrong
    docname: str | None
    signature: str
    detail: str
    known: str | None = None  # id in KNOWN_BUGS

    def as_dict(self) -> dict[str, Any]:
        return {
            "builder": self.builder, "category": self.category, "docname": self.docname,
            "signature": self.signature, "detail": self.detail[:300], "known": self.known,
        }


_NESTED_A = re.compile(r"<a\b[^>]*>(?:(?!</a>).)*?<a\b", re.DOTALL)
_ID = re.compile(r"""\sid=["']([^"']+)["']""")
_JS_URL = re.compile(r"""(?:href|src|cite)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def check_build(build: Build, docs: list[Rendered], read_warnings: str = "") -> list[Failure]:
    """Lost tokens, unlocated warnings and wrong HTML of one finished build.

    *read_warnings* are those of the build that read the documents (when this
    one reused its doctrees): they may excuse a lost token but are not counted
    again.
    """
    failures: list[Failure] = []
    warnings = parse_warnings(build.warnings)
    for warning in warnings:
        if "Traceback" in warning.text or "Exception occurred" in warning.text:
            failures.append(Failure(build.builder, "crash", warning.docname,
                                    "traceback-in-warning", warning.text))
        elif warning.line is None:
            subtype = re.search(r"\[([a-z.\-_]+)\]\s*$", warning.text.splitlines()[0])
            named = re.search(r"\b(d\d{4})\.", warning.text)
            failures.append(Failure(build.builder, "unlocated",
                                    warning.docname or (named.group(1) if named else None),
                                    f"unlocated:{subtype.group(1) if subtype else '?'}",
                                    warning.text))
    seen = output_text(build)
    if build.pdftotext_errors.strip():
        failures.append(Failure(build.builder, "wrong", None, "wrong:pdftotext-error",
                                build.pdftotext_errors.strip().splitlines()[0]))
    warnings = warnings + parse_warnings(read_warnings)
    # only a warning's own message counts, not the source that docutils echoes
    everything = "\n".join(w.text.splitlines()[0] for w in warnings).lower()
    located: dict[str, list[int]] = {}
    for warning in warnings:
        if warning.docname and warning.line is not None:
            located.setdefault(warning.docname, []).append(warning.line)
    for doc in docs:
        for slot in doc.slots:
            if slot.token in seen or slot.token in everything:
                continue
            low, high = slot.lines
            if any(low <= line <= high for line in located.get(doc.docname, [])):
                continue
            failures.append(Failure(
                build.builder, "lost", doc.docname, f"lost:{slot.kind}",
                f"{slot.token} ({slot.kind}, lines {low}-{high}, "
                f"context {sorted(slot.context)})",
            ))
    if build.builder in ("html", "epub"):
        for path in sorted(build.outdir.rglob("*.*html")):
            if "_static" in path.parts:
                continue
            text = path.read_text("utf8", errors="replace")
            doc_match = re.match(r"(d\d{4})", path.name)
            docname = doc_match.group(1) if doc_match else None
            if _NESTED_A.search(_HEAD.sub("", text)):
                failures.append(Failure(build.builder, "wrong", docname, "wrong:nested-a",
                                        path.name))
            ids = Counter(_ID.findall(_HEAD.sub("", text)))
            twice = sorted(name for name, count in ids.items() if count > 1)
            if twice:
                failures.append(Failure(build.builder, "wrong", docname, "wrong:duplicate-id",
                                        f"{path.name}: {', '.join(twice[:5])}"))
            if _JS_URL.search(text):
                failures.append(Failure(build.builder, "wrong", docname,
                                        "wrong:javascript-url", path.name))
    return failures


# ---------------------------------------------------------------------------
# Known bugs (issue 13), fixed on another branch: delete an entry once fixed
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class KnownBug:
    """A bug already reported; *matches* says whether a failure is it."""

    id: str
    description: str
    matches: Callable[[Failure, Rendered | None], bool]
    #: the quick profile meets it every time (its xfail in tests/test_fuzz.py is strict)
    strict: bool = True


def _sig(*parts: str) -> Callable[[Failure, Rendered | None], bool]:
    return lambda failure, _doc: all(part in failure.signature for part in parts)


def _lost_with(feature: str, *kinds: str) -> Callable[[Failure, Rendered | None], bool]:
    def match(failure: Failure, doc: Rendered | None) -> bool:
        return (failure.category == "lost" and doc is not None and feature in doc.features
                and (not kinds or any(kind in failure.signature for kind in kinds)))
    return match


KNOWN_BUGS: tuple[KnownBug, ...] = (
    # Every bug the harness found is fixed (docs/output/robustness.md lists them).
    # A new one goes here with a hand-written document in REGRESSION_DOCS until
    # its fix lands; its strict xfail then tells that the entry can go.
)


def classify(failures: list[Failure], docs: dict[str, Rendered]) -> None:
    """Set ``known`` on every failure that is a known bug."""
    for failure in failures:
        doc = docs.get(failure.docname or "")
        if failure.signature == "wrong:duplicate-id" and doc is not None:
            # a page repeats the titles of the previous and next pages (relbars)
            number = int(doc.docname[1:])
            features = set(doc.features)
            for other in (number - 1, number + 1):
                if f"d{other:04d}" in docs:
                    features |= docs[f"d{other:04d}"].features
            doc = Rendered(doc.docname, doc.suffix, doc.text, doc.slots, features)
        for bug in KNOWN_BUGS:
            if bug.matches(failure, doc):
                failure.known = bug.id
                break


# ---------------------------------------------------------------------------
# Running batches
# ---------------------------------------------------------------------------

@dataclass
class Report:
    """Everything one run found."""

    documents: int = 0
    builds: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    #: the documents whose doctrees the current batch's builders share
    batch_state: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """builder -> category -> count."""
        table: dict[str, dict[str, int]] = {}
        for failure in self.failures:
            row = table.setdefault(failure.builder, {})
            row[failure.category] = row.get(failure.category, 0) + 1
        return table

    def unknown(self) -> list[Failure]:
        return [f for f in self.failures if f.known is None]

    def summary(self) -> str:
        lines = [f"{self.documents or '?'} documents, {sum(self.builds.values())} builds, "
                 f"{self.seconds:.0f} s"]
        header = f"{'builder':<9} {'tracebacks':>10} {'lost':>6} {'unlocated':>9} {'wrong':>6}"
        lines.append(header)
        table = self.counts()
        for builder in [*BUILDERS, *PDF_BUILDERS]:
            if builder not in self.builds:
                continue
            row = table.get(builder, {})
            lines.append(f"{builder:<9} {row.get('crash', 0):>10} {row.get('lost', 0):>6} "
                         f"{row.get('unlocated', 0):>9} {row.get('wrong', 0):>6}")
        by_sig = Counter((f.known or "NEW", f.signature) for f in self.failures)
        lines.append("by signature (known bug id or NEW):")
        for (known, signature), count in sorted(by_sig.items()):
            lines.append(f"  {count:>5}  {known:<24} {signature}")
        return "\n".join(lines)


def build_and_check(workdir: Path, docs: list[Rendered], builder: str,
                    config: dict[str, str], report: Report,
                    suspects: set[str] | None = None) -> None:
    """Build *docs* with *builder*; pin crashes on their documents.

    *suspects* (documents that crashed another builder of this batch) are
    tried on their own first, which is much cheaper than bisecting.
    """
    pending = list(docs)
    crashed: list[tuple[Rendered, Crash]] = []
    suspects = suspects if suspects is not None else set()
    untried = set(suspects)
    state = report.batch_state
    for _attempt in range(12):
        names = [doc.docname for doc in pending]
        # reuse the doctrees of an earlier builder that read exactly these documents
        fresh = state.get("docs") != names
        if fresh:
            write_project(workdir / "src", pending, config)
        result = sphinx_build(workdir / "src", workdir / "build", builder, fresh=fresh)
        report.builds[builder] += 1
        if result.crash is None:
            if fresh:
                state.update(docs=names, warnings=result.warnings)
                report.failures.extend(check_build(result, pending))
            else:
                report.failures.extend(check_build(result, pending, state["warnings"]))
            break
        state.clear()
        culprits = []
        for doc in [d for d in pending if d.docname in untried]:
            write_project(workdir / "src", [doc], config)
            alone = sphinx_build(workdir / "src", workdir / "alone", builder)
            report.builds[builder] += 1
            if alone.crash is not None:
                culprits.append((doc, alone.crash))
        untried.clear()
        if not culprits:
            culprits = _culprits(workdir, pending, builder, config, result.crash, report)
        if not culprits:  # only the whole batch crashes: blame it as a whole
            report.failures.append(Failure(builder, "crash", None, result.crash.signature,
                                           result.crash.message))
            break
        crashed.extend(culprits)
        names = {doc.docname for doc, _ in culprits}
        suspects.update(names)
        pending = [doc for doc in pending if doc.docname not in names]
        if not pending:
            break
    for doc, crash in crashed:
        report.failures.append(Failure(builder, "crash", doc.docname, crash.signature,
                                       crash.message))


def _culprits(workdir: Path, docs: list[Rendered], builder: str, config: dict[str, str],
              crash: Crash, report: Report) -> list[tuple[Rendered, Crash]]:
    """The documents that crash *builder* on their own."""
    if crash.docnames:  # LaTeX said where
        return [(doc, crash) for doc in docs if doc.docname in crash.docnames]
    if len(docs) == 1:
        return [(docs[0], crash)]
    # four parts, not two: small builds are cheap, crashes are often several
    size = max(1, -(-len(docs) // 4))
    found = []
    for part in (docs[i:i + size] for i in range(0, len(docs), size)):
        write_project(workdir / "src", part, config)
        result = sphinx_build(workdir / "src", workdir / "alone", builder)
        if result.crash is not None and result.crash.docnames:  # LaTeX said where
            found.extend((doc, result.crash) for doc in part
                         if doc.docname in result.crash.docnames)
            continue
        report.builds[builder] += 1
        if result.crash is not None:
            found.extend(_culprits(workdir, part, builder, config, result.crash, report))
    return found


def batch_config(index: int) -> dict[str, str]:
    """Vary the notes and reference styles from batch to batch."""
    styles = ("endnotes", "footnotes", "inline")
    refs = ("number", "number-title", "title")
    return {"notes_style": styles[index % 3], "ref_style": refs[(index // 3) % 3]}


def run(docs: list[tuple[Any, ...]], builders: Iterable[str] = BUILDERS,
        pdf_docs: int = 0, batch_size: int = 40, workdir: Path | None = None,
        progress: Callable[[str, Report], None] | None = None, first_index: int = 0,
        shard: tuple[int, int] = (0, 1)) -> Report:
    """Render, build and check *docs*; the first *pdf_docs* also go through PDF.

    With *shard* ``(k, n)`` only every n-th batch from the k-th is built, so n
    processes can share a run (document names stay those of the whole run).
    """
    started = time.perf_counter()
    rendered = [render(doc, first_index + i) for i, doc in enumerate(docs)]
    by_name = {doc.docname: doc for doc in rendered}
    k, n = shard
    rendered = [doc for i, doc in enumerate(rendered) if (i // batch_size) % n == k]
    pdf_docs = len([i for i in range(pdf_docs) if (i // batch_size) % n == k])
    report = Report(documents=len(rendered))
    with _workdir(workdir) as work:
        batches = [rendered[i:i + batch_size] for i in range(0, len(rendered), batch_size)]
        for number, batch in enumerate(batches):
            config = batch_config(number)
            report.batch_state.clear()
            suspects: set[str] = set()
            for builder in builders:
                build_and_check(work, batch, builder, config, report, suspects)
            if progress:
                classify(report.failures, by_name)
                progress(f"batch {number + 1}/{len(batches)}: "
                         f"{len(report.failures)} failures, "
                         f"{sum(report.builds.values())} builds so far", report)
        pdf = rendered[:pdf_docs]
        pdf_batches = [pdf[i:i + batch_size] for i in range(0, len(pdf), batch_size)]
        for number, batch in enumerate(pdf_batches):
            report.batch_state.clear()
            for builder in PDF_BUILDERS:
                build_and_check(work, batch, builder, batch_config(number), report)
            if progress:
                classify(report.failures, by_name)
                progress(f"PDF batch {number + 1}/{len(pdf_batches)}", report)
    classify(report.failures, by_name)
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _workdir(path: Path | None) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="faq-fuzz-") as tmp:
        yield Path(tmp)


def main(argv: list[str] | None = None) -> int:
    """``python tools/fuzz.py``: generate, build, check and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="documents (default 1000)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (random)")
    parser.add_argument("--batch", type=int, default=40, help="documents per project")
    parser.add_argument("--pdf", type=int, default=200,
                        help="documents also built with latexmk and faqpdf's two engines "
                             "(default 200)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep projects here")
    parser.add_argument("--shard", default="0/1",
                        help="K/N: build only every N-th batch from the K-th (N processes)")
    parser.add_argument("--json", type=Path, default=None, help="write failures as JSON")
    parser.add_argument("--save-docs", type=Path, default=None,
                        help="write every generated document to this folder")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"fuzz: seed {seed}, {args.count} documents", flush=True)
    docs = generate(args.count, seed=seed)
    if args.save_docs:
        args.save_docs.mkdir(parents=True, exist_ok=True)
        for i, doc in enumerate(docs):
            rendered = render(doc, i)
            (args.save_docs / f"{rendered.docname}{rendered.suffix}").write_text(
                rendered.text, "utf8")
    tools = all(shutil.which(tool) for tool in ("latexmk", "pdftotext"))
    pdf = min(args.pdf, args.count) if tools else 0
    shard_k, shard_n = (int(part) for part in args.shard.split("/"))

    def save(report: Report, done: str) -> None:
        if args.json:
            args.json.write_text(json.dumps({
                "seed": seed, "count": args.count, "shard": args.shard, "done": done,
                "documents": report.documents,
                "builds": dict(report.builds), "counts": report.counts(),
                "failures": [f.as_dict() for f in report.failures],
            }, indent=1), "utf8")

    def progress(line: str, report: Report) -> None:
        print(line, flush=True)
        save(report, line)

    report = run(docs, pdf_docs=pdf, batch_size=args.batch, workdir=args.workdir,
                 progress=progress, shard=(shard_k, shard_n))
    save(report, f"all {report.documents} documents")
    print(report.summary())
    print(f"seed {seed}: reproduce with --seed {seed}")
    return 1 if report.unknown() else 0


def merge(paths: list[Path]) -> str:
    """The summary table of several ``--json`` files (shards of one run)."""
    report = Report()
    for path in paths:
        data = json.loads(path.read_text("utf8"))
        report.documents += data.get("documents", 0)
        report.builds.update(data["builds"])
        failures = [Failure(**f) for f in data["failures"]]
        # classify again with this file's KNOWN_BUGS (the run may be older)
        docs = generate(data.get("count", 1000), seed=data["seed"])
        by_name = {r.docname: r for r in (render(doc, i) for i, doc in enumerate(docs))}
        for failure in failures:
            failure.known = None
        classify(failures, by_name)
        report.failures.extend(failures)
        print(f"{path}: {data['done']}")
    return report.summary()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--merge"]:
        print(merge([Path(arg) for arg in sys.argv[2:]]))
        sys.exit(0)
    sys.exit(main())
