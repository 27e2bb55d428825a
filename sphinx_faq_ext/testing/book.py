"""A synthetic FAQ book, written twice: with sphinx-faq-ext markup and in plain MyST.

Both books hold the same text: N numbered questions nested A -> A.1 -> A.1.1
(one chapter file per letter), each with paragraphs carrying inline source
notes and attributed block quotations that carry a note too (about 20 notes
per question).  The plain book writes the same thing with Markdown headings,
MyST ``[^n]`` footnotes and block quotes with an ``{attribution=...}``.

*split* writes a page per section instead, as *An Anarchist FAQ* does
(``secA`` holds A, ``secA1`` holds A.1 and its sub-questions); *refs* ends
each question with that many references to other questions
(``faq:ref-full``; ``{ref}`` to a label before the heading in the plain
book, which shows the same "A.1.3 Why …?" text).

The tests and the benchmarks make their books with :func:`synthetic_book`;
``benchmarks/make_book.py`` is its command line.  The same arguments always give the same text (a seeded generator).
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_VOCABULARY = (
    "solidarity liberty equality mutual aid association freedom individual society "
    "co-operation workers community federation power hierarchy authority state "
    "capital labour wages property commune union strike struggle interest "
    "nature evolution history theory practice people land bread dignity justice "
    "voluntary decentralised self-management council assembly direct action "
    "education reason ethics happiness wellbeing oppression exploitation"
)
WORDS = tuple(_VOCABULARY.split())
AUTHORS = (
    "Errico Malatesta", "Emma Goldman", "Peter Kropotkin", "Max Stirner",
    "Alexander Berkman", "Rudolf Rocker", "Voltairine de Cleyre", "Murray Bookchin",
)
#: Sub-questions per level: A has 4 (A.1..A.4), each of those 5 (A.1.1..A.1.5).
FANOUT = (4, 5)
#: A piece of a paragraph: a sentence, or ``("note", text)`` glued to the one before.
Part = str | tuple[str, str]
#: A quotation: its text, author, work and page.
Quote = tuple[str, str, str, int]


@dataclass
class Question:
    """One generated question: number, title, and its answer as blocks."""

    number: str
    title: str
    blocks: list[tuple[str, list[Part] | Quote]] = field(default_factory=list)
    #: numbers of the questions it refers to
    refs: list[str] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """0 for a chapter (``A``), 1 for ``A.1``, 2 for ``A.1.1``."""
        return self.number.count(".")

    @property
    def anchor(self) -> str:
        """``a-1-3`` for A.1.3."""
        return self.number.lower().replace(".", "-")


def chapter_letters() -> Iterator[str]:
    """A … Z, then AA … AZ, BA …: a chapter per prefix, as many as needed."""
    yield from string.ascii_uppercase
    for first in string.ascii_uppercase:
        for second in string.ascii_uppercase:
            yield first + second


def numbers(count: int) -> Iterator[str]:
    """A, A.1, A.1.1 … A.1.5, A.2, … B, … in reading order, *count* of them.

    Every chapter has the same 25 questions (:data:`FANOUT`); a book of more
    than 26 chapters goes on with AA, AB, … so that a larger book is more
    chapters of the same size (the benchmark's per-question costs compare).
    """
    produced = 0

    def walk(prefix: str, level: int) -> Iterator[str]:
        if level >= len(FANOUT):
            return
        for index in range(1, FANOUT[level] + 1):
            yield f"{prefix}.{index}"
            yield from walk(f"{prefix}.{index}", level + 1)

    for letter in chapter_letters():
        for number in (letter, *walk(letter, 0)):
            if produced == count:
                return
            produced += 1
            yield number


def sentence(rng: random.Random) -> str:
    """A sentence of 10 to 22 words of :data:`WORDS`."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def source(rng: random.Random) -> tuple[str, str, int]:
    """(author, work, page) of a made-up source."""
    author = rng.choice(AUTHORS)
    work = " ".join(rng.choice(WORDS) for _ in range(3)).title()
    return author, work, rng.randint(1, 400)


def make_questions(count: int, notes: int, seed: int = 1, refs: int = 0) -> list[Question]:
    """The book's content, shared by both markups."""
    rng = random.Random(seed)
    quotes = max(1, notes // 5)
    inline = notes - quotes
    questions = []
    for number in numbers(count):
        title = f"Why is {rng.choice(WORDS)} important to {rng.choice(WORDS)}?"
        question = Question(number, title)
        paragraphs = (inline + 1) // 2
        placed = 0
        for index in range(paragraphs):
            parts: list[Part] = []
            for _ in range(2):
                parts.append(sentence(rng))
                if placed < inline:
                    author, work, page = source(rng)
                    parts.append(("note", f"{author}, *{work}*, p. {page}"))
                    placed += 1
            parts.append(sentence(rng))
            question.blocks.append(("paragraph", parts))
            if index < quotes:
                author, work, page = source(rng)
                text = " ".join(sentence(rng) for _ in range(3))
                question.blocks.append(("quote", (text, author, work, page)))
        questions.append(question)
    # A generator of its own, so the text is the same with or without references.
    targets = random.Random(seed + 1)
    every = [question.number for question in questions]
    for question in questions:
        question.refs = [targets.choice(every) for _ in range(refs)]
    return questions


def paragraph_text(parts: list[Part], note: Callable[[str], str]) -> str:
    """The paragraph's sentences, each note written by *note* after its sentence."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, tuple):
            out[-1] += note(part[1])
        else:
            out.append(part)
    return " ".join(out)


def page_name(number: str, split: bool) -> str:
    """``a`` (a chapter per letter), or ``secA`` / ``secA1`` (a page per section)."""
    parts = number.split(".")
    return "sec" + "".join(parts[:2]) if split else parts[0].lower()


def pages(questions: list[Question], split: bool = False) -> dict[str, list[Question]]:
    """The questions of each page, in reading order."""
    grouped: dict[str, list[Question]] = {}
    for question in questions:
        grouped.setdefault(page_name(question.number, split), []).append(question)
    return grouped


def label(number: str) -> str:
    """The plain book's label of a question: ``q-a-1-3``."""
    return "q-" + number.lower().replace(".", "-")


def write_ours(questions: list[Question], folder: Path, split: bool = False) -> None:
    """The book with faq:question, faq:quote and faq:note."""
    for name, members in pages(questions, split).items():
        lines: list[str] = []
        open_depths: list[int] = []
        for question in members:
            while open_depths and open_depths[-1] >= question.depth:
                lines += [":" * (6 - open_depths.pop()), ""]
            fence = ":" * (6 - question.depth)
            lines += [f"{fence}{{faq:question}} {question.title}",
                      f":number: {question.number}", ""]
            open_depths.append(question.depth)
            for _kind, content in question.blocks:
                if isinstance(content, list):  # a paragraph
                    lines += [paragraph_text(content, lambda n: f"{{faq:note}}`{n}`"), ""]
                else:
                    text, author, work, page = content
                    lines += ["```{faq:quote}", f":author: {author}", f":source: {work}",
                              f":page: {page}", f":note: *{work}*, p. {page}", "", text,
                              "```", ""]
            if question.refs:
                lines += ["See " + ", ".join(f"{{faq:ref-full}}`{n}`" for n in question.refs)
                          + ".", ""]
        while open_depths:
            lines += [":" * (6 - open_depths.pop()), ""]
        (folder / f"{name}.md").write_text("\n".join(lines), "utf8")


def write_plain(questions: list[Question], folder: Path, split: bool = False) -> None:
    """The same book in plain MyST: headings, [^n] footnotes, attributed quotes."""
    referred = {number for question in questions for number in question.refs}
    for name, members in pages(questions, split).items():
        lines: list[str] = []
        top = members[0].depth
        for question in members:
            if question.number in referred:
                lines += [f"({label(question.number)})=", ""]
            level = question.depth - top + 1
            lines += [f"{'#' * level} {question.number} {question.title}", ""]
            definitions: list[str] = []

            def footnote(text: str, question: Question = question,
                         definitions: list[str] = definitions) -> str:
                label = f"{question.anchor}-{len(definitions) + 1}"
                definitions.append(f"[^{label}]: {text}")
                return f"[^{label}]"

            for _kind, content in question.blocks:
                if isinstance(content, list):  # a paragraph
                    lines += [paragraph_text(content, footnote), ""]
                else:
                    text, author, work, page = content
                    marker = footnote(f"*{work}*, p. {page}")
                    lines += [f'{{attribution="{author}, *{work}*, p. {page}"}}',
                              f"> {text}{marker}", ""]
            if question.refs:
                lines += ["See " + ", ".join(f"{{ref}}`{label(n)}`" for n in question.refs)
                          + ".", ""]
            lines += [*definitions, ""]
        (folder / f"{name}.md").write_text("\n".join(lines), "utf8")


CONF = {
    "ours": 'extensions = ["myst_parser", "sphinx_faq_ext"]\n'
            'myst_enable_extensions = ["colon_fence"]\n',
    "plain": 'extensions = ["myst_parser"]\n'
             'myst_enable_extensions = ["colon_fence", "attrs_block"]\n',
}


def synthetic_book(out: Path, count: int = 100, notes: int = 20, *, split: bool = False,
                   refs: int = 0) -> dict[str, Path]:
    """Write ``out/ours`` and ``out/plain``; return the two source folders."""
    questions = make_questions(count, notes, refs=refs)
    names = list(pages(questions, split))
    folders = {}
    for variant, writer in (("ours", write_ours), ("plain", write_plain)):
        folder = out / variant
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.md"):
            old.unlink()
        (folder / "conf.py").write_text(
            f'project = "Benchmark book ({variant})"\nversion = release = "1"\n'
            'author = "Benchmark"\ncopyright = "2026, Benchmark"\n'
            f"{CONF[variant]}"
            'exclude_patterns = ["_build"]\nlanguage = "en"\n', "utf8"
        )
        toctree = "\n".join(names)
        (folder / "index.md").write_text(
            f"# Benchmark book\n\n{count} questions.\n\n```{{toctree}}\n{toctree}\n```\n", "utf8"
        )
        writer(questions, folder, split)
        folders[variant] = folder
    return folders
