"""The seed question (tests/data/seed-a-2-6.txt) and the text normalisers of all tests.

Tests compare text through one of three functions, each building on the one
before: :func:`words` folds white space, :func:`normalise` also sets
typography aside (HTML and ePub against the seed), :func:`squash` also drops
spaces, hyphens and dashes (text read back from a PDF).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).parent / "data" / "seed-a-2-6.txt"


@dataclass(frozen=True)
class Seed:
    """The body (with its ``[n]`` markers) and the notes of the seed question."""

    title: str
    body: list[str]
    notes: list[str]

    @property
    def sentences(self) -> list[str]:
        """The body split into sentences, markers removed, normalised."""
        text = normalise(re.sub(r"\[\d+\]", " ", " ".join(self.body)))
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
        return [part.strip() for part in parts if len(part.strip()) > 3]


def load_seed(path: Path = SEED) -> Seed:
    """Parse the seed: a breadcrumb line, the title, paragraphs, a numbered notes list."""
    lines = path.read_text("utf8").splitlines()
    title_index = next(i for i, line in enumerate(lines) if line.startswith("A.2.6 "))
    title = lines[title_index].removesuffix("Edit").strip()
    body: list[str] = []
    notes: list[str] = []
    for line in lines[title_index + 1:]:
        match = re.match(r"^\s+(\d+)\.\s+(.*)$", line)
        if match:
            assert int(match.group(1)) == len(notes) + 1
            notes.append(match.group(2).strip())
        elif line.strip():
            body.append(line.strip())
    return Seed(title=title, body=body, notes=notes)


def words(text: str) -> str:
    """*text* with each run of white space one space, and none at the ends."""
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Compare text, not typography.

    Smart quotes and dashes (Sphinx's smartquotes), ellipses, quotation marks
    dropped around block quotations, soft hyphens, line breaks and spacing
    (a space before a ``[4]`` marker included: a quotation's marker is glued
    to its last word) are all set aside.
    """
    text = text.replace("\u00ad", "").replace("\ufe0e", "")
    text = re.sub(r"[\u201c\u201d\u201e\u201f\"\u00ab\u00bb]", "", text)
    text = re.sub(r"[\u2018\u2019\u201a\u201b\u2032]", "'", text)
    text = text.replace("\u2013", "--").replace("\u2026", "...")
    text = re.sub(r"\.(\s*\.)+", lambda m: "." * (m.group(0).count(".")), text)
    text = re.sub(r" (\[\d+\])", r"\1", words(text.replace("\u00a0", " ")))
    return text.strip()


def squash(text: str) -> str:
    """Text read back from a PDF, for comparison: :func:`normalise`, then no spaces or dashes.

    A hyphen at a line end cannot be told from hyphenation, and PDF readers do
    not always report the spaces between words, so every space, hyphen and
    dash goes; compatibility characters (ligatures) are spelled out first.
    """
    text = normalise(unicodedata.normalize("NFKC", text))
    return re.sub(r"[\s\-\u2010-\u2015]+", "", text)
