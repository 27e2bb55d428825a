"""Each chapter's Typst markup kept between builds, and used again while what it was
made of has not changed.

Translating a 500-question book into Typst takes seconds of CPU even when one
question was edited.  A chapter's markup is a function of the doctree the
translator walks (the book with only that chapter in it, references
resolved and made fit for print) and of a few things outside it: the ids
the book links to and where each is printed (``targets``, ``home``), the
ids the contents list (``outlined``), the images' paths, the configuration,
and the code that translates.  So each chapter is kept, with the hash of
all that (its *key*), in ``_parts/<part>.translated.json``; the next build
hashes the chapter's doctree again (one walk, cheaper than translating it)
and translates it only when the key differs.

The key is made of what the translator reads, not of what Sphinx read
(doctree pickles, modification times): a post-transform that fills a
chapter from another's data (a reference's title, a printed table) changes
the doctree walked, so the key; it cannot be missed.  Whatever cannot be
hashed reliably (an object without a stable ``repr``) gives a key that
never matches: the chapter is translated, never wrongly reused.  A
translation that warned is not kept, so that its warnings are said again
at the next build (``-W`` fails it again).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.config import Config

#: Bump to drop every kept chapter (a change of what is kept or how keys are made).
FORMAT = 2
#: The package whose code translates (every module of it: a visitor may use any).
PACKAGE = Path(__file__).resolve().parents[3]
#: Suffix of a kept chapter's file in the parts' folder.
SUFFIX = ".translated.json"


@dataclass
class Translated:
    """What translating one chapter gave, as :meth:`~.builder.FaqTypstBuilder.write_parts`
    uses it."""

    body: str  #: the translator's text (``astext()``)
    labelled: list[str]  #: ids it wrote a label for
    #: ids of other parts it links to, each with where its first link is
    #: (``file:line``, for the warning when no part holds it)
    linked_elsewhere: dict[str, str]
    pages_elsewhere: list[str]  #: ids of other parts it prints the page of
    index_entries: int  #: entries of the index of names it holds


def stable(value: Any) -> str:
    """A text of *value* that is the same from build to build, or its type's name.

    Sets are sorted (their order changes with the hash seed); an object
    with no plain value stands as its type (the same as Sphinx: it does not
    compare such configuration values either).
    """
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, Path):
        return repr(str(value))
    if isinstance(value, list | tuple):
        return "[" + ",".join(stable(item) for item in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(stable(item) for item in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{stable(k)}:{stable(v)}" for k, v in value.items())) + "}"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def code_digest() -> str:
    """A hash of the package's Python code and message catalogues (the words the
    markup holds, such as a list's "Notes"): another version converts anew."""
    value = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.mo")]):
        value.update(str(path.relative_to(PACKAGE)).encode("utf8"))
        value.update(path.read_bytes())
    return value.hexdigest()


def context_digest(config: Config, extensions: dict[str, str], *shared: Iterable[Any]) -> str:
    """The hash of what every chapter's translation reads besides its doctree.

    *config*: every value; *extensions*: each loaded extension's version;
    *shared*: the cross-part data (targets, outlined ids, the part of each
    id, the images' paths), each made a sorted text.
    """
    value = hashlib.sha256()
    versions = {}
    for name in ("sphinx", "docutils", "typst"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = ""
    for text in (str(FORMAT), code_digest(), stable(versions), stable(extensions),
                 *(f"{item.name}={stable(item.value)}" for item in config),
                 *(stable(sorted(map(stable, data))) for data in shared)):
        value.update(text.encode("utf8", "surrogatepass"))
        value.update(b"\0")
    return value.hexdigest()


def fingerprint(tree: nodes.Node, context: str) -> str:
    """The key of *tree* (the book as one part sees it) under *context*.

    Every node in document order: its class, its number of children (so
    that the shape is in the key), its attributes, a text node's text, and
    the source of a literal block (the translator compares it with the
    text).
    """
    out: list[str] = [context]
    append = out.append
    text, fixed = nodes.Text, nodes.FixedTextElement

    def walk(node: nodes.Node) -> None:
        if isinstance(node, text):
            append("\x01")
            append(node)
            return
        assert isinstance(node, nodes.Element)
        kind = type(node)
        append(f"\x02{kind.__module__}.{kind.__qualname__}\x03{len(node.children)}\x03")
        append(repr(node.attributes))
        if isinstance(node, fixed):
            append("\x04")
            append(node.rawsource)
        for child in node.children:
            walk(child)

    walk(tree)
    return hashlib.sha256("".join(out).encode("utf8", "surrogatepass")).hexdigest()


class KeptChapters:
    """The chapters kept in *folder* (``<name>.translated.json``): read, checked, written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / f"{name}{SUFFIX}"

    def get(self, name: str, key: str) -> Translated | None:
        """Part *name*'s translation if it was kept under *key*."""
        try:
            saved = json.loads(self.path(name).read_text("utf8"))
            if saved.pop("key") != key:
                return None
            return Translated(**saved)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, name: str, key: str, translated: Translated | None) -> None:
        """Keep *translated* under *key* (None: keep nothing for *name*)."""
        path = self.path(name)
        if translated is None:
            path.unlink(missing_ok=True)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"key": key, **asdict(translated)}), "utf8")


class CountWarnings(logging.Handler):
    """Counts the warnings Sphinx's loggers pass on while it is installed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> CountWarnings:
        logging.getLogger("sphinx").addHandler(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        logging.getLogger("sphinx").removeHandler(self)

