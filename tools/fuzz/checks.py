"""The fuzz harness's checks: what a finished build is examined for, and known bugs.

A build of generated documents (a :class:`Build`: builder, output folder,
warnings) is checked by :func:`check_build` for

* **crashes** that Sphinx turned into warnings (a traceback in a warning);
  crashes that stopped the build are found by the runner (a :class:`Crash`);
* **lost tokens**: every token of every :class:`~generator.Slot` is in the
  builder's output (:func:`output_text`: the text a reader sees; for a PDF
  what ``pdftotext`` reads), or a warning names it, or a warning located in
  the token's document at the token's own source lines (the directive that
  holds it) explains why it is not there;
* **unlocated warnings**: every warning has ``file:line``
  (:func:`sphinx_faq_ext.testing.parse_warnings` splits Sphinx's warning
  stream);
* **wrong output**: nested ``<a>`` elements, duplicate ids and
  ``javascript:`` URLs in HTML and ePub pages; ``pdftotext`` errors in PDFs.

Every finding is a :class:`Failure` with a *signature* (``lost:para``,
``unlocated:faq.ref``, ``TypeError@…``).  :data:`KNOWN_BUGS` lists the
signatures of bugs already reported and being fixed elsewhere, and
:func:`classify` marks the failures that are one of them, so that the quick
profile in ``tests/test_fuzz.py`` can tell old from new.

This module builds nothing: it reads what :mod:`runner` left.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_faq_ext.testing import BuildWarning, parse_warnings

from .generator import Rendered

#: The builders whose output the checks read: those run on every batch, and
#: the PDF paths (read with pdftotext), run on fewer documents.
BUILDERS = ("html", "epub", "latex", "text", "man", "texinfo")
PDF_BUILDERS = ("latexmk", "faqpdf", "faqpdf-weasyprint")


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


def docname_of(warning: BuildWarning) -> str | None:
    """The generated document a warning is located in (``d0042``), if any."""
    if not warning.file:
        return None
    match = re.search(r"(d\d{4})\.(?:md|rst)$", warning.file)
    return match.group(1) if match else None


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
            failures.append(Failure(build.builder, "crash", docname_of(warning),
                                    "traceback-in-warning", warning.text))
        elif warning.line is None:
            subtype = re.search(r"\[([a-z.\-_]+)\]\s*$", warning.text.splitlines()[0])
            named = re.search(r"\b(d\d{4})\.", warning.text)
            failures.append(Failure(build.builder, "unlocated",
                                    docname_of(warning) or (named.group(1) if named else None),
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
        name = docname_of(warning)
        if name and warning.line is not None:
            located.setdefault(name, []).append(warning.line)
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

