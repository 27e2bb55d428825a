"""``sphinx-faq-ext import``: real pages of the Debian edition of *An Anarchist FAQ*.

Three pages are imported and built once per session (``secA2.html``, the
largest section page ``secH3.html`` and the appendix page ``append1311.html``);
the seed question A.2.6 is the oracle for what the importer makes of
``secA2.html``.  Without the ``anarchism`` package these tests skip (fail
under ``FAQ_REQUIRE_TOOLS``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import (
    CHROME,
    REPO,
    html_page,
    once,
    read_page,
    sphinx_build,
    xdist_shared_dir,
)
from external_tools import epubcheck, need_tool, python
from seed import SEED, load_seed, normalise, words

from sphinx_faq_ext.importer import ImportOptions, import_book
from sphinx_faq_ext.importer.check.fidelity import check_build
from sphinx_faq_ext.numbering import anchor_for
from sphinx_faq_ext.testing import copy_root

AFAQ = Path("/usr/share/doc/anarchism/html")
PAGES = ("secA2.html", "secH3.html", "append1311.html")


def need_afaq() -> None:
    """Skip (fail in CI) without the Debian package ``anarchism``."""
    need_tool("anarchism (Debian package)", (AFAQ / "secA2.html").exists())


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The three real pages imported and built to HTML: (project, html, warnings)."""
    need_afaq()

    def make(target: Path) -> None:
        import_book([AFAQ / page for page in PAGES], target / "project",
                    ImportOptions(title="An Anarchist FAQ"))
        built = sphinx_build(target / "project", "html")
        (target / "warnings.txt").write_text(built.warnings, "utf8")
        (target / "outdir.txt").write_text(str(built.outdir), "utf8")

    target = once(xdist_shared_dir(tmp_path_factory, "afaq"), "import", make)
    return (target / "project", Path((target / "outdir.txt").read_text("utf8")),
            (target / "warnings.txt").read_text("utf8"))


def report_of(project: Path) -> dict[str, Any]:
    return json.loads((project / "_import" / "report.json").read_text("utf8"))


def question_section(html: Path, page: str, anchor: str) -> BeautifulSoup:
    return read_page(html / page, CHROME).find("section", id=anchor)


# -- the seed as oracle -------------------------------------------------------------


def seed_text(text: str) -> str:
    """The seed comes from the wiki edition, which sets `` -- `` as an em dash."""
    return re.sub(r"\s*(?:\u2014|---|--)\s*", " -- ", normalise(text))


def test_seed_body_from_secA2(imported: tuple[Path, Path, str]) -> None:
    """A.2.6 says what the seed says, markers [1]..[9] where the seed has them."""
    _, html, _ = imported
    section = question_section(html, "seca2/a-2-6.html", "a-2-6")
    heading = section.find(re.compile(r"^h[1-6]$"))
    assert normalise(heading.get_text()) == load_seed().title
    heading.decompose()
    section.find("section", role="doc-endnotes").decompose()
    for caption in section.find_all("figcaption"):
        caption.decompose()
    for block in section.find_all(["p", "li", "blockquote", "figure", "div"]):
        block.append(" ")
    assert seed_text(section.get_text("")) == seed_text(" ".join(load_seed().body))


def test_seed_notes_from_secA2(imported: tuple[Path, Path, str]) -> None:
    """Its nine notes, in order, each linked from the marker at the seed's place."""
    _, html, _ = imported
    section = question_section(html, "seca2/a-2-6.html", "a-2-6")
    items = section.find("section", role="doc-endnotes").find_all("li")
    for item in items:
        item.find("a", role="doc-backlink").decompose()
    assert [normalise(item.get_text("")) for item in items] == load_seed().notes
    markers = section.select("a[role=doc-noteref]")
    assert [m["href"] for m in markers] == [f"#a-2-6-note-{n}" for n in range(1, 10)]


def test_seed_quotes_attributed(imported: tuple[Path, Path, str]) -> None:
    """Authors from the citation (Ret Marut) or the lead-in (Kohn; Malatesta completed)."""
    _, html, _ = imported
    section = question_section(html, "seca2/a-2-6.html", "a-2-6")
    captions = [normalise(f.figcaption.get_text("")) for f in section.find_all("figure")]
    assert captions == [
        "— Ret Marut, The BrickBurner",
        "— Alfie Kohn, No Contest: The Case Against Competition, p. 7",
        "— Errico Malatesta, Anarchy, p. 33",
    ]


def test_seed_text_file_imports_to_the_same_question(tmp_path: Path) -> None:
    """The plain-text reader: the seed itself comes back with its nine notes."""
    project = tmp_path / "seed"
    report = import_book([SEED], project)
    assert report.counts["questions"] == 1
    built = sphinx_build(project, "html")
    assert "Traceback" not in built.warnings
    result = check_build(project, built.outdir)
    assert (result.compared, result.equal) == (1, 1), result.mismatches
    soup = built.page("seed-a-2-6/index")
    items = soup.find("section", role="doc-endnotes").find_all("li")
    for item in items:
        item.find("a", role="doc-backlink").decompose()
    assert [normalise(i.get_text("")) for i in items] == load_seed().notes


# -- nothing lost, and proven -------------------------------------------------------


def test_every_question_text_equals_its_source(imported: tuple[Path, Path, str]) -> None:
    project, html, _ = imported
    result = check_build(project, html)
    assert result.compared == report_of(project)["counts"]["questions"] > 40
    assert result.missing == []
    assert result.mismatches == []


def test_check_finds_lost_text(imported: tuple[Path, Path, str], tmp_path: Path) -> None:
    """The check can fail: one word removed from the built HTML is found."""
    import shutil

    project, html, _ = imported
    broken = tmp_path / "html"
    shutil.copytree(html, broken)
    page = broken / "seca2" / "a-2-6.html"
    page.write_text(page.read_text("utf8").replace("herdism", ""), "utf8")
    result = check_build(project, broken)
    assert [m.number for m in result.mismatches] == ["A.2.6"]
    assert "herdism" in result.mismatches[0].detail


def test_uncertain_authors_in_the_report_not_in_every_build(
        imported: tuple[Path, Path, str]) -> None:
    """A quote whose author is uncertain is written ``:anonymous:`` and listed in the
    report: the build does not warn about it again (only the parents of A.2 and H.3,
    which are not among the three pages, are missing)."""
    project, _, warnings = imported
    kinds = set(re.findall(r"\[([\w.-]+)\]$", warnings, re.M))
    assert kinds <= {"faq.missing-parent"}, warnings[:2000]
    listed = [e for e in report_of(project)["entries"] if e["kind"] == "uncertain-author"]
    text = "".join(p.read_text("utf8") for p in project.rglob("*.md")
                   if "_import" not in p.parts)
    assert text.count(":anonymous:") == len(listed) > 10


def test_report_counts_and_locations(imported: tuple[Path, Path, str]) -> None:
    project, _, _ = imported
    report = report_of(project)
    counts = report["counts"]
    assert counts["pages"] == 3
    assert counts["notes"] > 500 and counts["quotes"] > 100
    assert counts["links to questions"] > 20
    for entry in report["entries"]:
        if entry["kind"] in ("uncertain-author", "uncertain-bracket"):
            assert entry["file"].endswith(PAGES) and entry["line"] > 0, entry


# -- what it recognises -------------------------------------------------------------


def myst(project: Path, doc: str) -> str:
    return (project / f"{doc}.md").read_text("utf8")


def test_numbered_headings_become_questions(imported: tuple[Path, Path, str]) -> None:
    project, _, _ = imported
    page = myst(project, "seca2/index")
    assert page.startswith(":::{faq:question} What does anarchism stand for?\n:number: A.2\n")
    numbers = re.findall(r"^:number: (\S+)$", "".join(
        p.read_text("utf8") for p in (project / "seca2").glob("*.md")), re.M)
    assert sorted(numbers) == sorted(["A.2", *(f"A.2.{n}" for n in range(1, 21))])
    # Numbers without a letter that no other page uses keep their form.
    appendix = "".join(p.read_text("utf8") for p in (project / "append1311").glob("*.md"))
    assert ":number: 11\n" in appendix and ":number: 11.1\n" in appendix


def test_editorial_brackets_stay_in_the_text(imported: tuple[Path, Path, str]) -> None:
    project, _, _ = imported
    page = myst(project, "seca2/index")
    assert "he \\[sic\\] can be a brother" in page
    assert "\\[n\\]othing ever arranges itself" in page
    assert "his \\[or her\\] entire measure" in myst(project, "seca2/a-2-5")


def test_links_to_questions_by_number(imported: tuple[Path, Path, str]) -> None:
    project, html, _ = imported
    ref = "{faq:ref}`Why do anarchists emphasise liberty? <A.2.2>`"
    assert ref in myst(project, "seca2/index")
    soup = html_page(html, "seca2/index")
    link = soup.find("a", string=re.compile("Why do anarchists emphasise liberty"))
    assert link is not None and link["href"].endswith("a-2-2.html#a-2-2")


def test_poem_keeps_its_lines(imported: tuple[Path, Path, str]) -> None:
    """Shelley's lines opening A.2: one line break per verse, none lost."""
    _, html, _ = imported
    section = question_section(html, "seca2/index.html", "a-2")
    poem = next(p for p in section.find_all("p") if "The man" in p.get_text())
    assert len(poem.find_all("br")) == 6
    assert poem.find("em") is not None


def test_uncertain_author_listed_with_file_and_line(imported: tuple[Path, Path, str]) -> None:
    project, _, _ = imported
    entries = [e for e in report_of(project)["entries"] if e["kind"] == "uncertain-author"]
    assert entries
    source = (AFAQ / Path(entries[0]["file"]).name).read_text("utf8").splitlines()
    assert "<blockquote" in source[entries[0]["line"] - 1]


# -- command line -------------------------------------------------------------------


def test_console_script_is_declared() -> None:
    text = (REPO / "pyproject.toml").read_text("utf8")
    assert 'sphinx-faq-ext = "sphinx_faq_ext.importer.cli:main"' in text


def test_python_m_importer_and_unreadable_page(tmp_path: Path) -> None:
    """A page that cannot be read is reported and skipped; the rest is imported."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x80 not text")
    out = tmp_path / "out"
    run = python("-m", "sphinx_faq_ext.importer", str(SEED), str(bad), str(out), cwd=REPO,
                 env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert "questions: 1" in run.stdout
    report = json.loads((out / "_import" / "report.json").read_text("utf8"))
    unreadable = [e for e in report["entries"] if e["kind"] == "unreadable-page"]
    assert [Path(e["file"]).name for e in unreadable] == ["bad.txt"]
    assert not list(out.rglob("bad*.md"))


def test_three_pages_epub_passes_epubcheck(imported: tuple[Path, Path, str],
                                           tmp_path: Path) -> None:
    """The imported pages as an ePub: EPUBCheck reports no error and no warning."""
    project, _, _ = imported
    built = sphinx_build(copy_root(project, tmp_path / "project"), "epub")
    assert "Traceback" not in built.warnings
    assert epubcheck(built.file("*.epub")) == []
    # The pages' toctrees are hidden (each page lists its contents itself), yet
    # the e-reader's contents reach every question, nested as in the book.
    nav = built.soup("nav.xhtml")
    link = nav.find("a", href=re.compile(r"a-2-6(\.xhtml|#a-2-6)$"))
    assert link is not None, [a["href"] for a in nav.find_all("a")]
    assert words(link.get_text()) == "A.2.6 Why is solidarity important to anarchists?"
    parents = [words(li.find("a").get_text()) for li in link.find_parents("li")][1:2]
    assert parents == ["A.2 What does anarchism stand for?"]
    ncx = built.text("toc.ncx")
    assert re.search(r'src="[^"]*a-2-6(\.xhtml|#a-2-6)"', ncx)


def test_split_by_section_nests_questions_in_one_file(tmp_path: Path) -> None:
    """``--split section``: secA2.html as one file, A.2.1 … A.2.20 nested in A.2."""
    need_afaq()
    project = tmp_path / "by-section"
    import_book([AFAQ / "secA2.html"], project, ImportOptions(split="section"))
    assert sorted(p.name for p in project.glob("*.md")) == ["index.md", "seca2.md"]
    text = (project / "seca2.md").read_text("utf8")
    assert text.startswith("::::{faq:question} What does anarchism stand for?")
    assert text.count(":::{faq:question}") == 21
    result = check_build(project, sphinx_build(project, "html").outdir)
    assert (result.compared, result.equal) == (21, 21), result.mismatches


def test_sub_sections_tables_and_lists_of_real_pages(tmp_path: Path) -> None:
    """append2.html's "Introduction" heading is a sub-section of its page; secB7.html's
    tables and append1.html's contents lines are kept, every cell and line with its text.

    Imported alone, append2.html's questions ``1`` and ``2`` are the only ones of
    those numbers: they keep them, and the appendix's title stays its page's title.
    """
    need_afaq()
    project = tmp_path / "kinds"
    import_book([AFAQ / "append2.html", AFAQ / "secB7.html", AFAQ / "append1.html"], project)
    built = sphinx_build(project, "html")
    assert built.warnings == "" or set(re.findall(r"\[([\w.-]+)\]$", built.warnings, re.M)) \
        <= {"faq.missing-parent"}, built.warnings
    result = check_build(project, built.outdir)
    assert result.compared == result.equal >= 8, result.mismatches
    soup = built.page("append2/index")
    page = soup.find("section")
    assert page.find("h1").get_text().startswith("Appendix - The Symbols of Anarchy")
    sub = page.find("section", recursive=False)
    assert sub is not None and sub.find(re.compile("^h[2-6]$")).get_text().startswith(
        "Introduction")
    assert built.page("append2/q-1").find("section", id=anchor_for("1")) is not None
    soup = built.page("secb7/b-7-1")
    table = soup.find("section", id="b-7-1").find("table")
    assert "real income growth 1977-99" in table.get_text()
    # Its contents lines (to pages not imported here) stay, one line each; the web
    # site's menu of the same pages (div.book-navigation) is gone.
    text = built.page("append1/index").find("section").get_text()
    assert "Individualist Anarchists and the socialist movement." in text
    assert not built.page("append1/index").find("section").find("li")


PLAIN_FAQ = """<html><head><title>Gardening FAQ</title></head><body>
<h1>Gardening FAQ</h1>
<p>Answers for new gardeners. See <a href="https://example.org/soil?x=1&amp;y=2">the soil
guide</a> and <a href="#q2">question 2</a>.</p>
<h2>1 Why compost?</h2>
<p>Because it feeds the soil [<b>The Compost Book</b>, p. 12]. Weeds [sic] die too.</p>
<p>As Ada Gardener explains:</p>
<blockquote><p>"Compost is *slow* gold, worth `every` {minute} $5 &lt;tag&gt;."
[Ada Gardener, <b>Soil</b>, p. 3]</p></blockquote>
<h3>Tools</h3>
<ul><li>a fork</li><li># a bin | lid</li></ul>
<table><tr><th>Month</th><th>Task</th></tr><tr><td>May</td><td>turn</td></tr></table>
<p><img src="heap.png" alt="A compost heap"></p>
<a name="q2"></a><h2>2 When to water?</h2>
<p>Roses are red,<br>violets are blue.</p>
</body></html>
"""


def test_plain_faq_html_in_general(tmp_path: Path) -> None:
    """Any FAQ page: questions, a note, an attributed quote, a sub-section, a list, a
    table, an image, a poem, an external link and a link to a question, text intact."""
    source = tmp_path / "garden.html"
    source.write_text(PLAIN_FAQ, "utf8")
    (tmp_path / "heap.png").write_bytes(  # a 1x1 PNG
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
    project = tmp_path / "garden"
    import_book([source], project)
    md = (project / "garden" / "index.md").read_text("utf8")
    assert "[the soil guide](<https://example.org/soil?x=1&y=2>)" in md
    assert "{faq:ref}`question 2 <2>`" in md
    first = (project / "garden" / f"{anchor_for('1')}.md").read_text("utf8")
    assert "{faq:note}`*The Compost Book*, p. 12`" in first and "\\[sic\\]" in first
    assert ":author: 'Ada Gardener'" in first and ":source: 'Soil'" in first
    built = sphinx_build(project, "html")
    assert "WARNING" not in built.warnings, built.warnings
    result = check_build(project, built.outdir)
    assert (result.compared, result.equal) == (2, 2), result.mismatches
    soup = built.page(f"garden/{anchor_for('1')}")
    section = soup.find("section", id=anchor_for("1"))
    quote = section.find("figure").blockquote.get_text()
    assert "Compost is *slow* gold, worth `every` {minute} $5 <tag>." in words(quote)
    assert section.find("section").find("h2").get_text().startswith("Tools")
    assert [li.get_text().strip() for li in section.find_all("li", class_=False)
            if li.parent.name == "ul"] == ["a fork", "# a bin | lid"]
    assert section.find("table").find("th").get_text() == "Month"
    assert section.find("img")["alt"] == "A compost heap"
    poem = built.page(f"garden/{anchor_for('2')}")
    assert len(poem.find("section", id=anchor_for("2")).find("p").find_all("br")) == 1


# -- plain flavour (the benchmark's baseline) ---------------------------------------


def build_plain(project: Path) -> tuple[Path, str]:
    """Build with plain Sphinx: the extension must not be loaded at all."""
    built = sphinx_build(project, "html")
    assert "sphinx_faq_ext" not in built.extensions
    assert "myst_parser" in built.extensions
    return built.outdir, built.warnings


def test_plain_flavour_is_the_same_page_without_our_markup(
        imported: tuple[Path, Path, str], tmp_path: Path) -> None:
    """``--flavour plain``: secA2.html as headings, footnotes and block quotes; it builds
    with Sphinx and myst-parser alone, without a warning, every note a footnote."""
    faq_project, _, _ = imported
    project = tmp_path / "plain"
    import_book([AFAQ / "secA2.html"], project, ImportOptions(flavour="plain"))
    conf = (project / "conf.py").read_text("utf8")
    assert 'extensions = ["myst_parser"]' in conf and "sphinx_faq_ext" not in conf
    files = sorted(p.relative_to(project) for p in project.rglob("*.md")
                   if "_import" not in p.parts)
    assert len(files) == 22  # index, A.2's page, A.2.1 … A.2.20
    for name in files:
        plain = (project / name).read_text("utf8")
        assert "faq:" not in plain, name
        if name == Path("index.md"):
            continue
        faq = (faq_project / name).read_text("utf8")
        # every note of our flavour (role or quote option) is one footnote, defined once
        notes = faq.count("{faq:note}") + len(re.findall(r"^:note: ", faq, re.M))
        labels = re.findall(r"^\[\^([\w-]+)\]: ", plain, re.M)
        assert len(labels) == notes and len(set(labels)) == notes, name
        assert sorted(set(re.findall(r"\[\^([\w-]+)\](?!:)", plain))) == sorted(labels), name
        # every question's number starts its heading
        for number in re.findall(r"^:number: (.+)$", faq, re.M):
            assert re.search(rf"^#+ {re.escape(number)} \S", plain, re.M), (name, number)
    a26 = (project / "seca2" / "a-2-6.md").read_text("utf8")
    assert a26.startswith("(a-2-6)=\n# A.2.6 Why is solidarity important to anarchists?")
    assert '{attribution="Alfie Kohn, *No Contest: The Case Against Competition*, p. 7"}' in a26
    html, warnings = build_plain(project)
    assert warnings == "", warnings
    soup = BeautifulSoup((html / "seca2" / "a-2-6.html").read_text("utf8"), "html.parser")
    assert len(soup.select("a.footnote-reference")) == 9
    assert len(soup.select("blockquote p.attribution")) == 3


def test_plain_flavour_of_any_faq_page(tmp_path: Path) -> None:
    """The general page in plain MyST: a link to a question is a ``{ref}``, the quote
    attributed; by section, notes and targets do not clash; no warning either way."""
    source = tmp_path / "garden.html"
    source.write_text(PLAIN_FAQ.replace('<p><img src="heap.png" alt="A compost heap"></p>', ""),
                      "utf8")
    for split in ("question", "section"):
        project = tmp_path / split
        python("-m", "sphinx_faq_ext.importer", "import", "--flavour", "plain",
               "--split", split, str(source), str(project),
               cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
        text = "\n".join(p.read_text("utf8") for p in sorted(project.rglob("*.md"))
                         if "_import" not in p.parts)
        assert "faq:" not in text
        assert f"{{ref}}`question 2 <{anchor_for('2')}>`" in text
        assert '{attribution="Ada Gardener, *Soil*, p. 3"}' in text
        assert re.search(r"^#+ 1 Why compost\?$", text, re.M)
        label = f"{anchor_for('1')}-note-1"
        assert f"[^{label}]: *The Compost Book*, p. 12\n" in text
        _, warnings = build_plain(project)
        assert warnings == "", (split, warnings)


RUN_FAQ = """<html><head><title>Commune FAQ</title></head><body>
<h1>Commune FAQ</h1>
<h2>1 What did the Commune want?</h2>
<p>Its programme called for:</p>
<blockquote><p><i>"The abolition of the exploitation of man by man;</i></p></blockquote>
<blockquote><p><i>"The organisation of labour in mutual associations."</i>
[Eugene Schulkind, <b>The Paris Commune of 1871</b>, p. 197]</p></blockquote>
<p>Equality was no empty word.</p>
</body></html>
"""


def test_a_quotation_over_several_block_quotes_loses_all_its_marks(tmp_path: Path) -> None:
    """A.5.1: one quotation set as two block quotes, each opening with a mark and only
    the last closing (the convention for quotations of several paragraphs).  The first
    kept its unpaired opening mark and its italics, the second lost both; now neither
    keeps a mark or the web edition's italics, and the text check still passes."""
    source = tmp_path / "commune.html"
    source.write_text(RUN_FAQ, "utf8")
    project = tmp_path / "commune"
    import_book([source], project)
    md = (project / "commune" / f"{anchor_for('1')}.md").read_text("utf8")
    assert md.count("{faq:quote}") == 2, md
    assert "The abolition of the exploitation of man by man;" in md
    assert "The organisation of labour in mutual associations." in md
    assert '"' not in md and "\u201c" not in md and "*The abolition" not in md, md
    built = sphinx_build(project, "html")
    assert "WARNING" not in built.warnings, built.warnings
    result = check_build(project, built.outdir)
    assert (result.compared, result.equal) == (1, 1), result.mismatches
