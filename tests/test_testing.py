"""The one way to build (:mod:`sphinx_faq_ext.testing`) says what the build said.

A project with a duplicate number and an unknown reference, built in this
process and by ``sphinx-build`` in its own, gives the same parsed warnings
(location, level, type, subtype, message) and exit status; the synthetic
book is the same book every time.
"""

from __future__ import annotations

from pathlib import Path

from external_tools import sphinx_process

from sphinx_faq_ext.testing import (
    BuildWarning,
    build,
    parse_warnings,
    synthetic_book,
    write_project,
)

FILES = {
    "index.md": ":::{faq:question} One\n:number: A\n\nSee {faq:ref}`Z.9` here.\n:::\n\n"
                ":::{faq:question} Two\n:number: A\n:::\n",
}


def located(warnings: tuple[BuildWarning, ...]) -> list[tuple[str, int | None, str, str | None,
                                                               str | None]]:
    """What a test asks of a warning: file name, line, level, type and subtype."""
    return sorted((Path(w.file or "").name, w.line, w.level, w.type, w.subtype)
                  for w in warnings)


def test_warnings_parsed_with_location_and_type(tmp_path: Path) -> None:
    src = write_project(tmp_path / "src", FILES)
    built = build(src, "html")
    assert located(built.messages) == [
        ("index.md", 4, "WARNING", "faq", "unknown-ref"),
        ("index.md", 7, "WARNING", "faq", "duplicate-number"),
    ]
    [unknown] = [w for w in built.messages if w.subtype == "unknown-ref"]
    assert unknown.message == "unknown FAQ question 'Z.9'"
    assert unknown.text.startswith(f"{src / 'index.md'}:4: WARNING: unknown FAQ question")
    assert built.status == 0 and (built.outdir / "index.html").is_file()
    assert "sphinx_faq_ext" in built.extensions


def test_a_process_of_its_own_says_the_same(tmp_path: Path) -> None:
    src = write_project(tmp_path / "src", FILES)
    inside = build(src, "html")
    outside = sphinx_process(src, tmp_path / "out", "html", doctrees=tmp_path / "doctrees")
    assert located(outside.messages) == located(inside.messages)
    assert [w.message for w in outside.messages] == [w.message for w in inside.messages]
    assert outside.status == 0 and (outside.outdir / "index.html").is_file()
    strict = sphinx_process(src, tmp_path / "strict", "html", options=("-q", "-W"),
                            check=False)
    assert strict.status == 1 and strict.messages


def test_continuation_lines_stay_with_their_warning() -> None:
    text = ("\x1b[91m/src/a.md:3: WARNING: first [faq.ref]\x1b[39;49;00m\n"
            "Traceback (most recent call last):\n  File x\n"
            "WARNING: unlocated\n"
            "/src/b.rst:: ERROR: Unknown directive type \"x\". [myst.directive_unknown]\n")
    first, second, third = parse_warnings(text)
    assert (first.file, first.line, first.type, first.subtype) == ("/src/a.md", 3, "faq", "ref")
    assert "Traceback" in first.text and "unlocated" not in first.text
    assert (second.file, second.line, second.message) == (None, None, "unlocated")
    assert (third.file, third.level, third.subtype) == ("/src/b.rst", "ERROR", "directive_unknown")
    assert parse_warnings("") == ()


def test_write_project_touches_only_what_changed(tmp_path: Path) -> None:
    src = write_project(tmp_path / "src", {"index.md": "# A\n", "b/c.md": "# C\n"})
    assert (src / "conf.py").read_text("utf8").startswith("extensions = [")
    before = {p: p.stat().st_mtime_ns for p in src.rglob("*") if p.is_file()}
    write_project(src, {"index.md": "# A\n", "b/c.md": "# C, again\n"})
    changed = {p.name for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert changed == {"c.md"}


def test_the_synthetic_book_is_the_same_every_time(tmp_path: Path) -> None:
    first = synthetic_book(tmp_path / "one", count=30, notes=3, refs=1)
    second = synthetic_book(tmp_path / "two", count=30, notes=3, refs=1)
    for variant in ("ours", "plain"):
        names = sorted(p.name for p in first[variant].iterdir())
        assert names == ["a.md", "b.md", "conf.py", "index.md"]
        assert all((first[variant] / n).read_bytes() == (second[variant] / n).read_bytes()
                   for n in names)
    # 25 questions in chapter A, each with 3 notes: 2 inline, 1 on its quote
    chapter = first["ours"].joinpath("a.md").read_text("utf8")
    assert (chapter.count("{faq:note}"), chapter.count(":note: ")) == (25 * 2, 25)
