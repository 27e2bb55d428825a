"""A rebuild of a book laid out by chapter assembles only the chapters an edit changed
(:mod:`sphinx_faq_ext.builders.pdf.typst.rebuild`), and writes the markup a build from
scratch of the edited source writes: every part's ``.typ``, byte for byte.

The checks it makes (the environment, each changed chapter's ids, links and
contents) send every other edit to the whole book; these tests say which
edits take which way, and that both ways write the same book.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build

from sphinx_faq_ext.builders.pdf.typst import rebuild
from sphinx_faq_ext.builders.pdf.typst.rebuild import NotCanonicalError, canonical

#: What the builder says when it assembled only the changed chapters.
FAST = "chapters assembled (the others unchanged)"


def build(srcdir: Path, builddir: Path | None = None, **overrides: object,
          ) -> tuple[Path, str]:
    built = sphinx_build(srcdir, "faqpdf", builddir=builddir, parallel=2,
                         faq_pdf_by_chapter=True, **overrides)
    assert built.warnings == ""
    return built.outdir, built.output


def markup(outdir: Path) -> dict[str, str]:
    """Every part's (and the front matter's) Typst markup."""
    return {path.name: path.read_text("utf8") for path in (outdir / "_parts").glob("*.typ")}


def replace(page: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(srcdir: Path) -> None:
        path = srcdir / page
        text = path.read_text("utf8")
        assert old in text, (page, old)
        path.write_text(text.replace(old, new, 1), "utf8")
    return edit


#: name, edit, whether the rebuild assembles only the changed chapter (None: either)
EDITS: list[tuple[str, Callable[[Path], None], bool | None]] = [
    ("a word", replace("secA.md", "three potentially", "three seriously"), True),
    # lines move: the questions' line numbers in the domain are no input
    ("a paragraph", replace("secA.md", "\n\nOrthodox opinion",
                            "\n\nA new paragraph of two sentences. It has no note.\n\n"
                            "Orthodox opinion"), True),
    # a note adds ids (its marker's and its own): renaming may change
    ("a note", replace("secA.md", "as separable,", "as separable, {faq:note}`A new note.`"),
     None),
    ("a link to another chapter", replace("secA.md", "as separable,",
                                          "as separable (see {faq:ref}`A.2.5`),"), False),
    # the title is in the domain's data, which other chapters' references read
    ("another chapter's question title",
     replace("secA2.md", "Why are anarchists in favour of equality?",
             "Why do anarchists stand for equality?"), False),
    # the last chapter with questions: the back matter after it is marked from it
    ("the last question's chapter", replace("secA2.md", "individual and social development",
                                            "individual and collective development"), False),
]


@pytest.mark.parametrize(("name", "edit", "fast"), EDITS, ids=[e[0] for e in EDITS])
def test_a_rebuild_writes_the_markup_a_build_from_scratch_writes(
        tmp_path: Path, name: str, edit: Callable[[Path], None], fast: bool | None) -> None:
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    # a second question in the first chapter, below the edits: its line moves
    replace("secA.md", "\n:::::::", "\n::::{faq:question} A question below\n:number: A.1\n\n"
            "Its answer, with a note. {faq:note}`Its note.`\n::::\n:::::::")(srcdir)
    outdir, first = build(srcdir)
    assert FAST not in first  # nothing kept yet
    _outdir, again = build(srcdir)
    assert f"0 of 4 {FAST}" in again  # nothing changed: nothing assembled
    edit(srcdir)
    outdir, output = build(srcdir)
    if fast is not None:
        assert (f"1 of 4 {FAST}" in output) is fast, output
    fresh, _output = build(srcdir, tmp_path / "fresh")
    assert markup(outdir) == markup(fresh)
    assert {f"afaq-{n:03d}.typ" for n in range(1, 5)} | {"afaq-front.typ"} <= set(markup(outdir))


def test_a_post_transform_not_reviewed_assembles_the_whole_book(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only post-transforms reviewed to read nothing of the other chapters let a
    rebuild skip them: with any other one, the book is assembled whole."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    monkeypatch.setattr(rebuild, "REVIEWED_POST_TRANSFORMS",
                        rebuild.REVIEWED_POST_TRANSFORMS - {
                            "sphinx_faq_ext.transforms.notes.NotesStylePostTransform"})
    build(srcdir)
    replace("secA.md", "three potentially", "three seriously")(srcdir)
    outdir, output = build(srcdir)
    assert FAST not in output
    assert not (outdir / "_parts" / "afaq.book.json").exists()
    fresh, _output = build(srcdir, tmp_path / "fresh")
    assert markup(outdir) == markup(fresh)


def test_canonical_text_is_the_same_for_equal_values() -> None:
    from docutils import nodes

    assert canonical({"b", "a", "c"}) == canonical({"c", "a", "b"})
    assert canonical({"x": 1, "y": [1, (2,)]}) == canonical({"y": [1, (2,)], "x": 1})
    assert canonical([1, 2]) != canonical((1, 2))
    assert canonical({"a": "1"}) != canonical({"a": 1})
    one = nodes.paragraph("", "", nodes.Text("some text"), ids=["p"])
    two = nodes.paragraph("", "", nodes.Text("some text"), ids=["p"])
    assert canonical(one) == canonical(two)
    two[0] = nodes.Text("other text")
    assert canonical(one) != canonical(two)
    with pytest.raises(NotCanonicalError):
        canonical({"handler": print})
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises(NotCanonicalError):
        canonical(cycle)


def test_a_warning_of_an_unchanged_chapter_is_said_again(tmp_path: Path) -> None:
    """A chapter whose references warned is resolved again at the next build, which
    warns again (so that ``-W`` fails it again), though no edit touched it."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    replace("secA2.md", "individual and social development",
            "individual and social development (see {faq:ref}`Z.99`)")(srcdir)

    def warnings() -> tuple[str, str]:
        built = sphinx_build(srcdir, "faqpdf", parallel=2, faq_pdf_by_chapter=True)
        return built.warnings, built.output

    first, _output = warnings()
    assert "Z.99" in first
    replace("secA.md", "three potentially", "three seriously")(srcdir)
    again, output = warnings()
    assert FAST not in output
    assert [line for line in again.splitlines() if "Z.99" in line] == [
        line for line in first.splitlines() if "Z.99" in line]


def svg(colour: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
            f'<rect width="20" height="10" fill="{colour}"/></svg>')


def test_an_image_changed_under_an_unchanged_chapter_is_printed_anew(tmp_path: Path) -> None:
    """The kept chapters' markup names each image by its content's hash: an image
    whose file changed, though no page did, makes the book be assembled whole."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    (srcdir / "mark.svg").write_text(svg("red"), "utf8")
    replace("secA2.md", "individual and social development",
            "individual and social development ![a red mark](mark.svg)")(srcdir)
    outdir, _output = build(srcdir)
    build(srcdir)
    (srcdir / "mark.svg").write_text(svg("blue"), "utf8")
    replace("secA.md", "three potentially", "three seriously")(srcdir)
    outdir, output = build(srcdir)
    assert FAST not in output
    fresh, _output = build(srcdir, tmp_path / "fresh")
    assert markup(outdir) == markup(fresh)
    assert sorted(path.name for path in (fresh / "_images").iterdir())[0] in (
        markup(outdir)["afaq-002.typ"])


def test_a_book_in_volumes_is_rebuilt_from_its_changed_chapter(tmp_path: Path) -> None:
    """Volumes (``faq_pdf_volumes``): the rebuild assembles only the changed chapter,
    keeps the volumes the last build made, and writes every volume's markup as a
    build from scratch does."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    build(srcdir, faq_pdf_volumes=2)
    _outdir, again = build(srcdir, faq_pdf_volumes=2)
    assert f"0 of 4 {FAST}" in again
    replace("secA.md", "three potentially", "three seriously")(srcdir)
    outdir, output = build(srcdir, faq_pdf_volumes=2)
    assert f"1 of 4 {FAST}" in output
    fresh, _output = build(srcdir, tmp_path / "fresh", faq_pdf_volumes=2)
    assert markup(outdir) == markup(fresh)
    assert {"afaq-1-001.typ", "afaq-2-001.typ"} <= set(markup(fresh))


def rebuilt_and_fresh(tmp_path: Path, setup: Callable[[Path], None],
                      edit: Callable[[Path], None]) -> tuple[Path, str, Path]:
    """Build test-print after *setup*, build again, *edit*, rebuild; and a build from
    scratch of the edited sources.  The rebuild's folder, its output, the fresh folder."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    setup(srcdir)
    build(srcdir)
    edit(srcdir)
    outdir, output = build(srcdir)
    fresh, _output = build(srcdir, tmp_path / "fresh")
    return outdir, output, fresh


def test_an_id_two_chapters_share_is_renamed_as_in_the_whole_book(tmp_path: Path) -> None:
    """Two chapters each with a section "Further reading": the whole book renames
    the second's id (``further-reading-2``); a rebuild of the first chapter alone
    must leave the first's id as it is."""
    def setup(srcdir: Path) -> None:
        for page in ("secA.md", "secA2.md"):
            with (srcdir / page).open("a", encoding="utf8") as out:
                out.write("\n# Further reading\n\nSome books.\n")

    # (the whole book is assembled: renaming keys each id by the root document,
    # not the chapter, so the first chapter's own id is renamed too, which the
    # check of its ids sees; see make_ids_unique)
    outdir, _output, fresh = rebuilt_and_fresh(
        tmp_path, setup, replace("secA.md", "three potentially", "three seriously"))
    assert "further-reading-2" in markup(fresh)["afaq-002.typ"]
    assert markup(outdir) == markup(fresh)


def test_a_tag_added_in_conf_py_changes_the_only_blocks_of_unchanged_chapters(
        tmp_path: Path) -> None:
    """``only`` is resolved at write time from the builder's tags, which are no
    part of the environment or the configuration: a tag added (``tags.add`` in
    ``conf.py``, or ``-t``) changes a chapter whose doctree did not change."""
    def setup(srcdir: Path) -> None:
        replace("secA2.md", "individual and social development",
                "individual and social development\n\n```{only} draft\nA draft remark.\n```\n"
                )(srcdir)

    def edit(srcdir: Path) -> None:
        with (srcdir / "conf.py").open("a", encoding="utf8") as out:
            out.write('\ntags.add("draft")\n')
        replace("secA.md", "three potentially", "three seriously")(srcdir)

    outdir, _output, fresh = rebuilt_and_fresh(tmp_path, setup, edit)
    assert "draft remark" in markup(fresh)["afaq-002.typ"]
    assert markup(outdir) == markup(fresh)


def write(page: str, text: str) -> Callable[[Path], None]:
    def edit(srcdir: Path) -> None:
        (srcdir / page).write_text(text, "utf8")
    return edit


def append(page: str, text: str) -> Callable[[Path], None]:
    def edit(srcdir: Path) -> None:
        with (srcdir / page).open("a", encoding="utf8") as out:
            out.write(text)
    return edit


def both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(srcdir: Path) -> None:
        for one in edits:
            one(srcdir)
    return edit


def delete(page: str) -> Callable[[Path], None]:
    def edit(srcdir: Path) -> None:
        (srcdir / page).unlink()
    return edit


#: A chapter with no question before the last question's chapter: more chapters
#: a rebuild can leave alone.
EXTRA = both(write("extra.md", "# An extra chapter\n\nSome words of the extra chapter.\n\n"
                               "## Its section\n\nMore words.\n"),
             replace("index.md", "secA\nsecA2", "secA\nextra\nsecA2"))
EXTRA_WORD = replace("extra.md", "Some words", "Some other words")

#: name, setup (before the first build), edit, whether the rebuild assembles the
#: changed chapters only
SCENARIOS: list[tuple[str, Callable[[Path], None], Callable[[Path], None], bool]] = [
    ("book parts", both(EXTRA, write("index.md", "# An Anarchist FAQ\n\nIntro.\n\n"
                                     "```{toctree}\n:caption: One\n\nsecA\nextra\n```\n\n"
                                     "Between the parts.\n\n"
                                     "```{toctree}\n:caption: Two\n\n"
                                     "secA2\nquestions\nworks\n```\n")),
     EXTRA_WORD, True),
    ("numbered", both(EXTRA, replace("index.md", ":maxdepth: 3", ":maxdepth: 3\n:numbered:")),
     EXTRA_WORD, True),
    ("glob", both(EXTRA, replace("index.md",
                                 ":maxdepth: 3\n\nsecA\nextra\nsecA2\nquestions\nworks",
                                 ":maxdepth: 3\n:glob:\n\n*")),
     EXTRA_WORD, True),
    ("an orphan edited",
     both(EXTRA, write("orphan.md", "---\norphan: true\n---\n# Orphan\n\nWords.\n")),
     replace("orphan.md", "Words.", "Other words."), True),
    ("a chapter removed", EXTRA,
     both(replace("index.md", "secA\nextra\nsecA2", "secA\nsecA2"), delete("extra.md")), False),
    ("a chapter added", EXTRA,
     both(write("more.md", "# More\n\nWords.\n"),
          replace("index.md", "extra\nsecA2", "extra\nmore\nsecA2")), False),
    ("a document moved between toctrees",
     both(EXTRA, write("sub.md", "# A sub-document\n\nIts words.\n"),
          append("extra.md", "\n```{toctree}\nsub\n```\n"),
          append("secA.md", "\n# Further\n\nWords.\n")),
     both(replace("extra.md", "\n```{toctree}\nsub\n```\n", ""),
          append("secA.md", "\n```{toctree}\nsub\n```\n")), False),
    ("a label another chapter uses, moved",
     both(EXTRA, replace("extra.md", "## Its section", "(its-section)=\n## Its section\n\n"
                         "## Another section"),
          append("secA2.md", "\nSee {ref}`its-section`.\n")),
     replace("extra.md", "(its-section)=\n## Its section\n\n## Another section",
             "## Its section\n\n(its-section)=\n## Another section"), False),
    ("a substitution", both(EXTRA, append("conf.py", '\nmyst_enable_extensions = ["colon_fence", '
                                          '"substitution"]\n'),
                            write("extra.md", "---\nmyst:\n  substitutions:\n    who: Kropotkin\n"
                                  "---\n# An extra chapter\n\nSome words of {{who}}.\n")),
     replace("extra.md", "who: Kropotkin", "who: Bakunin"), True),
    ("only for this builder",
     both(EXTRA, append("extra.md", "\n```{only} faqpdf\nPrinted only.\n```\n")),
     replace("extra.md", "Printed only.", "Printed, only."), True),
    ("a question renumbered in the edited chapter", lambda srcdir: None,
     replace("secA.md", ":number: A.1\n", ":number: A.3\n"), False),
    ("a faq_pdf value changed", EXTRA,
     both(append("conf.py", "\nfaq_pdf_toc_depth = 1\n"), EXTRA_WORD), False),
    ("a section added under an unchanged chapter's title", EXTRA,
     append("extra.md", "\n## A new section\n\nWords.\n"), False),
    ("a document in two chapters' toctrees",
     both(EXTRA, write("sub.md", "# A sub-document\n\nIts words.\n"),
          append("extra.md", "\n```{toctree}\nsub\n```\n"),
          append("secA.md", "\n# Further\n\nWords.\n\n```{toctree}\nsub\n```\n")),
     EXTRA_WORD, False),
    # the edited chapter holds the second of two ids: renamed as in the whole book
    ("an id an earlier chapter has too",
     both(EXTRA, append("secA.md", "\n# Its section\n\nWords.\n")),
     EXTRA_WORD, True),
    ("footnotes in two chapters",
     both(EXTRA, append("secA.md", "\n# Further\n\nA claim.[^a]\n\n[^a]: A's footnote.\n"),
          append("extra.md", "\nAnother claim.[^a]\n\n[^a]: The extra footnote.\n")),
     EXTRA_WORD, True),
    ("a link from an unchanged chapter into the edited one",
     both(EXTRA, replace("extra.md", "## Its section", "(its-section)=\n## Its section"),
          append("secA.md", "\n# Further\n\nSee {ref}`its-section` and {doc}`extra`.\n")),
     EXTRA_WORD, True),
]


@pytest.mark.parametrize(("name", "setup", "edit", "fast"), SCENARIOS,
                         ids=[s[0] for s in SCENARIOS])
def test_odd_edits_write_the_markup_a_build_from_scratch_writes(
        tmp_path: Path, name: str, setup: Callable[[Path], None],
        edit: Callable[[Path], None], fast: bool) -> None:
    """Edits of the book's structure, and edits under odd structures: each rebuild
    takes the way said (*fast*: only the changed chapter assembled) and writes
    what a build from scratch writes."""
    def prepared(srcdir: Path) -> None:
        # a second question in the first chapter (as in the test above)
        replace("secA.md", "\n:::::::", "\n::::{faq:question} A question below\n:number: A.1\n\n"
                "Its answer, with a note. {faq:note}`Its note.`\n::::\n:::::::")(srcdir)
        setup(srcdir)

    outdir, output, fresh = rebuilt_and_fresh(tmp_path, prepared, edit)
    assert (FAST in output) is fast, output
    assert markup(outdir) == markup(fresh)


@pytest.mark.parametrize("baseurl", ["", "https://example.org/afaq/"])
def test_a_link_into_another_volume_is_rebuilt_from_its_changed_chapter(
        tmp_path: Path, baseurl: str) -> None:
    """A changed chapter that links into another volume (to the website, or as text
    without one) is still rebuilt alone: the last build kept each id's volume and
    document, which the other volumes' unchanged chapters no longer show."""
    srcdir = tmp_path / "print"
    shutil.copytree(ROOTS / "test-print", srcdir)
    # the second volume holds the back matter
    replace("secA.md", "as separable,", "as separable (see [the works quoted](works.md)),",
            )(srcdir)
    options = {"faq_pdf_volumes": 2, "html_baseurl": baseurl}
    outdir, _output = build(srcdir, **options)
    text = markup(outdir)["afaq-1-001.typ"]
    assert "works quoted" in text
    assert ('#link("https://example.org/afaq/works.html#' in text) is bool(baseurl)
    assert "faq-join:" not in text
    replace("secA.md", "three potentially", "three seriously")(srcdir)
    outdir, output = build(srcdir, **options)
    assert f"1 of 4 {FAST}" in output, output
    fresh, _output = build(srcdir, tmp_path / "fresh", **options)
    assert markup(outdir) == markup(fresh)
