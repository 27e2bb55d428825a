"""docs/develop/how-it-works.md says what the code does: its tables are checked here.

The page is the map a new developer reads first, so a row it lacks or keeps
after the code changed misleads exactly the reader who cannot tell.  Three
of its tables are compared with the package, row for row:

* the read-time and write-time transform tables with
  :data:`sphinx_faq_ext.transforms.READ_TIME` and ``WRITE_TIME`` (order,
  priority, class, module, and the builders or formats a post-transform runs
  for);
* the event table with the handlers a Sphinx application has after the
  extension's ``setup()`` (event, priority, handler);
* the module list ("Every module") with the modules of the package: each is
  named by its path, or its folder is named as a whole, and each path named
  exists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DOCS

import sphinx_faq_ext
from sphinx_faq_ext import transforms

if TYPE_CHECKING:
    from docutils.transforms import Transform
    from sphinx.testing.util import SphinxTestApp

PAGE = DOCS / "develop" / "how-it-works.md"
PACKAGE = Path(sphinx_faq_ext.__file__).parent

READ_HEADER = ("Priority", "Transform", "Module", "Why there")
WRITE_HEADER = ("Priority", "Post-transform", "Runs for", "Module", "Why there")
EVENT_HEADER = ("Event", "Priority", "Handler", "What it does")
MODULE_HEADER = ("Module", "What it holds")
MODULE_SECTION = "### Every module"


def tables(text: str) -> list[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Every Markdown table of *text*: its header cells and its rows' cells."""
    found: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = []
    lines = [line.strip() for line in text.splitlines()]
    index = 0
    while index < len(lines):
        if lines[index].startswith("|") and index + 1 < len(lines) and re.fullmatch(
                r"\|(\s*:?-+:?\s*\|)+", lines[index + 1]):
            header = cells(lines[index])
            rows = []
            index += 2
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(cells(lines[index]))
                index += 1
            found.append((header, rows))
        else:
            index += 1
    return found


def cells(line: str) -> tuple[str, ...]:
    """The cells of one table line, stripped."""
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def code(cell: str) -> str:
    """The one ``code`` span of *cell*."""
    spans = re.findall(r"`([^`]+)`", cell)
    assert len(spans) == 1, f"expected one `name` in {cell!r}"
    return spans[0]


def the_table(text: str, header: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The rows of the one table of *text* with *header*."""
    matching = [rows for found, rows in tables(text) if found == header]
    assert len(matching) == 1, f"{PAGE.name} has {len(matching)} tables headed {header}"
    return matching[0]


def module_path(cls: type) -> str:
    """``transforms/notes.py`` for a class of ``sphinx_faq_ext.transforms.notes``."""
    return cls.__module__.removeprefix("sphinx_faq_ext.").replace(".", "/") + ".py"


def runs_for(cell: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(builders, formats)`` of a "Runs for" cell: ``every builder``,
    ``\\`latex\\` format``, ``\\`epub\\` builder``."""
    if cell == "every builder":
        return (), ()
    match = re.fullmatch(r"((?:`[^`]+`(?:, )?)+) (builder|format)s?", cell)
    assert match, f"cannot read 'Runs for' cell {cell!r}"
    names = tuple(re.findall(r"`([^`]+)`", match.group(1)))
    return (names, ()) if match.group(2) == "builder" else ((), names)


def page_text() -> str:
    return PAGE.read_text("utf8")


def read_rows(text: str) -> list[tuple[int, str, str]]:
    """(priority, class, module) of each row of the read-time table."""
    return [(int(row[0]), code(row[1]), code(row[2])) for row in the_table(text, READ_HEADER)]


def write_rows(text: str) -> list[tuple[int, str, tuple[tuple[str, ...], tuple[str, ...]], str]]:
    """(priority, class, (builders, formats), module) of each write-time row."""
    return [(int(row[0]), code(row[1]), runs_for(row[2]), code(row[3]))
            for row in the_table(text, WRITE_HEADER)]


def expected_read(listed: tuple[type[Transform], ...]) -> list[tuple[int, str, str]]:
    return [(cls.default_priority, cls.__name__, module_path(cls)) for cls in listed]


def expected_write(listed: tuple[type[Transform], ...],
                   ) -> list[tuple[int, str, tuple[tuple[str, ...], tuple[str, ...]], str]]:
    return [(cls.default_priority, cls.__name__,
             (tuple(getattr(cls, "builders", ())), tuple(getattr(cls, "formats", ()))),
             module_path(cls)) for cls in listed]


def test_read_time_table_is_read_time() -> None:
    """Every read-time transform, in order, with its priority and module."""
    assert read_rows(page_text()) == expected_read(transforms.READ_TIME)


def test_write_time_table_is_write_time() -> None:
    """Every post-transform, in order, with its priority, builders and module."""
    assert write_rows(page_text()) == expected_write(transforms.WRITE_TIME)


def test_a_missing_or_changed_row_is_found() -> None:
    """The comparison sees a row taken out, a priority changed, a builder changed."""
    text = page_text()
    row = next(line for line in text.splitlines() if "`DoctreeHousekeepingTransform`" in line)
    assert read_rows(text.replace(row + "\n", "")) != expected_read(transforms.READ_TIME)
    assert read_rows(text.replace("| 425 |", "| 426 |")) != expected_read(transforms.READ_TIME)
    epub = "| `epub` builder |"
    assert epub in text
    changed = text.replace(epub, "| every builder |")
    assert write_rows(changed) != expected_write(transforms.WRITE_TIME)


@pytest.mark.sphinx("html", testroot="basic")
def test_event_table_is_what_setup_connects(app: SphinxTestApp) -> None:
    """Every handler the extension connects, with its event and priority."""
    connected = set()
    for event, listeners in app.events.listeners.items():
        for listener in listeners:
            module = getattr(listener.handler, "__module__", "") or ""
            if module.startswith("sphinx_faq_ext."):
                name = f"{module.removeprefix('sphinx_faq_ext.')}.{listener.handler.__qualname__}"
                connected.add((event, listener.priority, name))
    rows = the_table(page_text(), EVENT_HEADER)
    listed = [(code(row[0]), int(row[1]), code(row[2])) for row in rows]
    assert len(listed) == len(set(listed)), "a handler is listed twice"
    assert set(listed) == connected


def package_modules() -> list[str]:
    """Every module of the package as a path (``builders/pdf/typst/builder.py``), except
    package ``__init__.py`` files that hold nothing but their docstring."""
    import ast

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if path.name == "__init__.py" and relative != "__init__.py":
            body = ast.parse(path.read_text("utf8")).body
            if all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                   for node in body):
                continue
        found.append(relative)
    return found


def module_entries(text: str) -> list[str]:
    """The first-column names of the tables of the "Every module" section."""
    start = text.index(MODULE_SECTION) + len(MODULE_SECTION)
    end = re.search(r"^##+ ", text[start:], re.MULTILINE)
    section = text[start:start + end.start()] if end else text[start:]
    entries = []
    for header, rows in tables(section):
        assert header == MODULE_HEADER, header
        entries += [code(row[0]) for row in rows]
    return entries


def uncovered(modules: list[str], entries: list[str]) -> list[str]:
    """The modules neither named nor inside a folder named as a whole."""
    folders = tuple(entry for entry in entries if entry.endswith("/"))
    return [name for name in modules if name not in entries and not name.startswith(folders)]


def test_every_module_is_on_the_page() -> None:
    """Each module is named by its path, or its folder as a whole; nothing named is gone."""
    entries = module_entries(page_text())
    assert len(entries) == len(set(entries)), "a module is listed twice"
    assert uncovered(package_modules(), entries) == []
    gone = [entry for entry in entries if not (PACKAGE / entry).exists()]
    assert gone == [], f"named on the page but not in the package: {gone}"


def test_a_module_left_out_is_found() -> None:
    """Taking a row out of the list, or adding a module, is seen."""
    entries = module_entries(page_text())
    modules = package_modules()
    assert uncovered(modules, [e for e in entries if e != "dependencies.py"]) == [
        "dependencies.py"]
    assert uncovered([*modules, "builders/new_engine.py"], entries) == [
        "builders/new_engine.py"]
    assert uncovered(["importer/read/new_reader.py"], entries) == []  # a folder named whole
    assert uncovered(["importer/new_stage.py"], entries) == ["importer/new_stage.py"]
