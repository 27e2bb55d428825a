"""``sphinx-faq-ext import``: the book's structure, found by general rules.

Two real FAQ books made by other tools than the Drupal site of *An Anarchist
FAQ* are imported with the defaults and built: the Debian FAQ (DocBook XSL,
Debian package ``debian-faq``) and the Python FAQ (Sphinx, ``python3-doc``).
Each must build with no warning and every question equal to its source.
Without the packages these tests skip (fail under ``FAQ_REQUIRE_TOOLS``).
Small hand-made pages test each rule on its own.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import once, sphinx_build, xdist_shared_dir
from external_tools import need_tool
from sphinx import addnodes

from sphinx_faq_ext.importer import ImportOptions, import_book
from sphinx_faq_ext.importer.check.fidelity import check_build
from sphinx_faq_ext.importer.cli import main
from sphinx_faq_ext.importer.settings import SettingsError, load_settings

DEBIAN_FAQ = Path("/usr/share/doc/debian/FAQ")
PYTHON_FAQ = next(iter(sorted(Path("/usr/share/doc").glob("python3.*/html/faq"))),
                  Path("/usr/share/doc/python3/html/faq"))


def report_of(project: Path) -> dict[str, Any]:
    return json.loads((project / "_import" / "report.json").read_text("utf8"))


def numbers_of(project: Path) -> list[str]:
    return re.findall(r"^:number: (.+)$", "".join(
        p.read_text("utf8") for p in sorted(project.rglob("*.md"))), re.M)


def imported_book(tmp_path_factory: pytest.TempPathFactory, source: Path,
                  name: str) -> tuple[Path, Path, str]:
    """*source* imported with the defaults and built to HTML once per run."""
    def make(target: Path) -> None:
        import_book([source], target / "project")
        built = sphinx_build(target / "project", "html")
        (target / "warnings.txt").write_text(built.warnings, "utf8")
        (target / "outdir.txt").write_text(str(built.outdir), "utf8")

    target = once(xdist_shared_dir(tmp_path_factory, name), "import", make)
    return (target / "project", Path((target / "outdir.txt").read_text("utf8")),
            (target / "warnings.txt").read_text("utf8"))


@pytest.fixture(scope="session")
def debian_faq(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    need_tool("debian-faq (Debian package)", (DEBIAN_FAQ / "index.en.html").exists())
    return imported_book(tmp_path_factory, DEBIAN_FAQ, "debian-faq")


@pytest.fixture(scope="session")
def python_faq(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    need_tool("python3-doc (Debian package)", (PYTHON_FAQ / "general.html").exists())
    return imported_book(tmp_path_factory, PYTHON_FAQ, "python-faq")


# -- the Debian FAQ (DocBook) -------------------------------------------------------


def test_debian_faq_builds_clean_and_every_question_is_equal(
        debian_faq: tuple[Path, Path, str]) -> None:
    project, html, warnings = debian_faq
    assert warnings == ""
    result = check_build(project, html)
    assert result.compared == report_of(project)["counts"]["questions"] > 150
    assert (result.missing, result.mismatches) == ([], [])


def test_debian_faq_keeps_its_numbers_and_reads_each_page_once(
        debian_faq: tuple[Path, Path, str]) -> None:
    """``1.1`` under chapter ``1``, as the book numbers them; each page once although
    the folder reaches it twice (``basic-defs.html`` -> ``basic-defs.en.html``)."""
    project, _, _ = debian_faq
    numbers = numbers_of(project)
    assert {"1", "1.1", "1.7", "16", "16.2"} <= set(numbers)
    assert all(re.fullmatch(r"\d+(\.\d+)*", n) for n in numbers), numbers[:20]
    assert len(numbers) == len(set(numbers))
    counts = report_of(project)["counts"]
    links = sum(1 for p in DEBIAN_FAQ.glob("*.html") if p.is_symlink())
    assert counts["pages read under another name, read once"] == links > 10
    assert counts["pages"] == len(list(DEBIAN_FAQ.glob("*.html"))) - links
    names = [p.name for p in project.rglob("*.md")]
    assert not [n for n in names if "--" in n or re.search(r"[0-9a-f]{6}\.md$", n)]


def test_debian_faq_navigation_dropped_and_chapters_titled_once(
        debian_faq: tuple[Path, Path, str]) -> None:
    project, html, _ = debian_faq
    counts = report_of(project)["counts"]
    assert counts["navigation blocks dropped"] >= 2 * 16  # a header and a footer a page
    text = "".join(p.read_text("utf8") for p in project.rglob("*.md"))
    assert not re.search(r"\bPrev\b", text) and "prev.png" not in text
    chapter = (html / "basic-defs-en" / "index.html").read_text("utf8")
    titles = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", chapter, re.S)
    assert sum("Definitions and overview" in t for t in titles) == 1
    index = (project / "index.md").read_text("utf8")
    entries = re.findall(r"^(\S+)/index$", index, re.M)
    assert entries[:3] == ["basic-defs-en", "getting-debian-en", "choosing-en"]


# -- the Python FAQ (Sphinx) --------------------------------------------------------


def test_python_faq_builds_clean_and_every_question_is_equal(
        python_faq: tuple[Path, Path, str]) -> None:
    project, html, warnings = python_faq
    assert warnings == ""
    result = check_build(project, html)
    assert result.compared == report_of(project)["counts"]["questions"] > 150
    assert (result.missing, result.mismatches) == ([], [])


def test_python_faq_questions_numbered_by_place(python_faq: tuple[Path, Path, str]) -> None:
    """Its questions carry no numbers: each page is a chapter, each heading below
    its title numbered by its place (``1.1 General Information``, ``1.1.1 What is
    Python?``); the sidebar, permalink marks and the page's own contents are gone."""
    project, _, _ = python_faq
    general = (project / "general" / "index.md").read_text("utf8")
    assert general.startswith(":::{faq:question} General Python FAQ\n:number: 1\n")
    assert ":::{faq:question} What is Python?\n:number: 1.1.1\n" in \
        (project / "general" / "q-1-1-1.md").read_text("utf8")
    text = "".join(p.read_text("utf8") for p in project.rglob("*.md"))
    assert "\u00b6" not in text and "Table of Contents" not in text
    counts = report_of(project)["counts"]
    assert counts["permalink marks blocks dropped"] > 150
    assert counts["navigation blocks dropped"] >= 1


# -- each rule on a small book ------------------------------------------------------


def page(title: str, body: str) -> str:
    return (f"<html><head><title>{title} | Site</title></head><body>"
            f"<div class='content'>{body}"
            f"<div class='book-navigation'><a href='index.html'>&lsaquo; up</a></div>"
            f"</div></body></html>")


def write_book(folder: Path) -> Path:
    """A web site's front page listing two sections in two columns (A, B side by side
    with the appendix), the book's contents in order, each section's list of links,
    its introduction, questions, and two appendices numbered from 1 each."""
    folder.mkdir()
    files = {
        "index.html": page("Home", "<h1>Home</h1><table><tr><td><a href='secBcon.html'>B</a>"
                                   "</td><td><a href='secAcon.html'>A</a></td></tr></table>"
                                   "<p><a href='book.html'>the book</a></p>"),
        "book.html": page("Book", "<h1>The Book</h1><p>Published in two volumes.</p>"
                                  "<h2>Volume 1</h2><ul><li><a href='secAcon.html'>A</a></li>"
                                  "<li><a href='app1.html'>Appendix one</a></li></ul>"
                                  "<h2>Volume 2</h2><ul><li><a href='secBcon.html'>B</a></li>"
                                  "<li><a href='app2.html'>Appendix two</a></li></ul>"),
    }
    for letter in "AB":
        files[f"sec{letter}con.html"] = page(
            f"Section {letter}", f"<h1>Section {letter} - Things {letter}?</h1>"
            f"<h2><a href='sec{letter}int.html'>Introduction</a></h2>"
            f"<h2><a href='sec{letter}1.html'>{letter}.1 Why?</a></h2>")
        files[f"sec{letter}int.html"] = page(
            f"Section {letter}", f"<h1>Section {letter} - Things {letter}?</h1>"
            f"<p>Intro {letter}.</p>")
        files[f"sec{letter}1.html"] = page(
            f"{letter}.1", f"<h1>{letter}.1 Why?</h1><p>Because {letter}.</p>"
            f"<h2>{letter}.1.1 How?</h2><p>So. See <a href='app2.html#q2'>two</a>.</p>")
    for number in (1, 2):
        files[f"app{number}.html"] = page(
            f"Appendix {number}", f"<h1>Appendix - Topic {number}</h1>"
            f"<h2>1 First of {number}?</h2><p>One.</p>"
            f"<h2><a name='q2'></a>2 Second of {number}?</h2><p>Two.</p>")
    # Beside the contents: appendix material the web site lists on a page of its
    # own, and the site's own pages (a links page leading to the front page,
    # which leads to the supplementary page: the closest head must win).
    files["supplementary.html"] = page(
        "Supplementary", "<h1>Supplementary Material</h1><p>Further appendices.</p>"
        "<ul><li><a href='app3.html'>Appendix three</a></li></ul>")
    files["app3.html"] = page("Appendix 3", "<h1>Appendix - Topic 3</h1>"
                                            "<h2>7 Seventh?</h2><p>Seven.</p>")
    files["links.html"] = page("Links", "<h1>Other Web Pages</h1>"
                                        "<p><a href='index.html'>Home</a></p>")
    files["index.html"] = files["index.html"].replace(
        "the book</a></p>", "the book</a> <a href='supplementary.html'>more</a></p>")
    for name, text in files.items():
        # One element a line, as real pages are: the text check finds headings by line.
        (folder / name).write_text(re.sub(r"(<(?:h\d|p|div|table|ul)[ >])", r"\n\1", text),
                                   "utf8")
    return folder


def test_the_book_found_by_its_contents_page(tmp_path: Path) -> None:
    """No options: the ordered contents page wins over the two-column front page, its
    headings are the groups, each section appears once (its list of links is its
    toctree, its introduction the page), appendices are numbered by place, the web
    navigation is gone, and the build has no warning with every question equal."""
    project = tmp_path / "project"
    report = import_book([write_book(tmp_path / "site")], project)
    index = (project / "index.md").read_text("utf8")
    assert index.startswith("# The Book\n\nPublished in two volumes.\n")
    toctrees = re.findall(r"```\{toctree\}\n(.*?)```", index, re.S)
    assert [re.findall(r":caption: (.*)", t) for t in toctrees] == [
        ["Volume 1"], ["Volume 2"], ["Supplementary Material"], ["Other pages"]]
    assert [re.findall(r"^(\w+)/index$", t, re.M) for t in toctrees] == [
        ["secaint", "app1"], ["secbint", "app2"], ["supplementary"], ["links"]]
    assert "/index/index" in (project / "links" / "index.md").read_text("utf8")
    section = (project / "secaint" / "index.md").read_text("utf8")
    assert ":number: A\n" in section and "/seca1/index" in section
    assert not (project / "secacon").exists()
    # The appendices start again at 1, so they are numbered by place; both are titled
    # "Appendix - …", so their numbers say so, and their titles no longer need to.
    assert sorted(numbers_of(project)) == sorted(
        ["A", "A.1", "A.1.1", "B", "B.1", "B.1.1", "Appendix 1", "Appendix 1.1",
         "Appendix 1.2", "Appendix 2", "Appendix 2.1", "Appendix 2.2", "7"])
    assert "{faq:ref}`two <Appendix 2.2>`" in (project / "seca1" / "a-1-1.md").read_text("utf8")
    assert (project / "app2" / "index.md").read_text("utf8").startswith(
        ":::{faq:question} Topic 2\n:number: Appendix 2\n")
    assert sorted(p.name for p in (project / "app2").iterdir()) == [
        "appendix-2-1.md", "appendix-2-2.md", "index.md"]
    assert "up" not in (project / "seca1" / "index.md").read_text("utf8").split()
    assert report.counts["navigation blocks dropped"] == 13
    conf = (project / "conf.py").read_text("utf8")
    assert "faq_pdf_volumes = [['secaint/index', 'app1/index'], " \
           "['secbint/index', 'app2/index', 'supplementary/index', 'links/index']]" in conf
    built = sphinx_build(project, "html")
    assert built.warnings == ""
    result = check_build(project, built.outdir)
    assert (result.compared, result.equal) == (13, 13), result.mismatches
    app2 = built.page("app2/index")
    appendix = app2.find(id="appendix-2")
    shown = appendix.find(class_="faq-number") if appendix is not None else None
    assert shown is not None and shown.get_text() == "Appendix 2"
    assert built.page("seca1/a-1-1").find("a", href="../app2/appendix-2-2.html#appendix-2-2")
    # the pages under a section are its sub-sections, as in the source's contents:
    # A.1 under A in the navigation (and so in the ePub's nav, the contents and
    # bookmarks of both PDFs), not beside it
    with (built.outdir.parent / "doctrees" / "environment.pickle").open("rb") as saved:
        env = pickle.load(saved)
    section_toc = env.tocs["secaint/index"]
    toctrees = list(section_toc.findall(addnodes.toctree))
    assert [t["includefiles"] for t in toctrees] == [["seca1/index"]]
    assert toctrees[0].parent is not section_toc, section_toc.pformat()  # inside A's entry


def test_start_overrides_the_rule(tmp_path: Path) -> None:
    project = tmp_path / "project"
    import_book([write_book(tmp_path / "site")], project, ImportOptions(start="index.html"))
    index = (project / "index.md").read_text("utf8")
    assert index.startswith("# Home\n")
    assert re.findall(r"^(\w+)/index$", index, re.M)[:2] == ["secbint", "secaint"]


def test_settings_file(tmp_path: Path) -> None:
    """The settings give what no rule can know; a misspelt key is an error naming it."""
    site = write_book(tmp_path / "site")
    settings = tmp_path / "book.toml"
    settings.write_text('title = "A Book"\nauthor = "The Editors"\ndate = "2019-11-26"\n'
                        'version = "15.3"\nepub_identifier = "urn:isbn:9781902593906"\n'
                        'skip = ["index.html"]\n'
                        '[numbers]\n"app1.html" = "7"\n[authors]\nknown = ["Ann Body"]\n',
                        "utf8")
    loaded = load_settings(settings)
    assert loaded.authors == {"known": ["Ann Body"]}
    out = tmp_path / "project"
    assert main(["import", str(site), str(out), "--settings", str(settings)]) == 0
    conf = (out / "conf.py").read_text("utf8")
    for line in ("project = 'A Book'", "author = 'The Editors'",
                 "copyright = '2019, The Editors'", "epub_identifier = 'urn:isbn:9781902593906'",
                 "epub_scheme = 'ISBN'", 'epub_uid = "book-id"', "today = 'November 26, 2019'",
                 "version = release = '15.3'"):
        assert line in conf
    assert not (out / "index").exists()
    # A number the settings give is taken as written; one appendix left titled
    # "Appendix - …" says nothing of a kind of part: plain numbers.
    assert {"7", "7.1", "7.2", "2", "2.1", "2.2"} <= set(numbers_of(out))
    settings.write_text('[numbers]\n"app1.html" = "Annex 3"\n"app2.html" = "Annex 4"\n',
                        "utf8")
    assert main(["import", str(site), str(tmp_path / "annex"), "--settings",
                 str(settings)]) == 0
    assert {"Annex 3", "Annex 3.1", "Annex 4.2"} <= set(numbers_of(tmp_path / "annex"))
    settings.write_text('[numbers]\n"app1.html" = "appendix 1"\n', "utf8")
    with pytest.raises(SettingsError, match=r"'numbers\.app1\.html' = 'appendix 1' is no "
                                            r"question number"):
        load_settings(settings)
    settings.write_text('title = "A Book"\nvolume = []\n', "utf8")
    with pytest.raises(SettingsError, match=r"book\.toml: unknown setting 'volume'"):
        load_settings(settings)
    assert main(["import", str(site), str(tmp_path / "x"), "--settings", str(settings)]) == 2
    settings.write_text('[authors]\nalias = {}\n', "utf8")  # read by the author rules
    assert main(["import", str(site), str(tmp_path / "x"), "--settings", str(settings)]) == 2


def test_default_identifier_is_stable_and_not_unknown(tmp_path: Path) -> None:
    site = write_book(tmp_path / "site")
    confs = []
    for name in ("one", "two"):
        import_book([site], tmp_path / name)
        confs.append((tmp_path / name / "conf.py").read_text("utf8"))
    identifier = re.search(r"epub_identifier = '(.*)'", confs[0])
    assert identifier and identifier.group(1).startswith("urn:uuid:")
    assert confs[0] == confs[1]
    # no made-up version: without one in the settings, the title pages print none
    assert "version = release = ''" in confs[0]


def test_a_page_reached_twice_is_read_once(tmp_path: Path) -> None:
    site = write_book(tmp_path / "site")
    (site / "secA1.en.html").symlink_to("secA1.html")
    (site / "copy.html").write_bytes((site / "secB1.html").read_bytes())
    report = import_book([site], tmp_path / "project")
    assert report.counts["pages read under another name, read once"] == 2
    assert len(numbers_of(tmp_path / "project")) == 13


def test_links_in_a_link_keep_their_lines_and_tables_their_header(tmp_path: Path) -> None:
    source = tmp_path / "t.html"
    source.write_text(
        "<h1>T</h1>\n<h2>1 Q?</h2><p><a href='#x'>First line<br>second line</a></p>"
        "<table><tr><td>a</td><td>b</td></tr></table>"
        "<table><tr><th>H</th></tr><tr><td>c</td></tr></table>"
        "<blockquote><p><i>\"Quoted words.\"</i> [<b>Book</b>, p. 1]. </p></blockquote>", "utf8")
    project = tmp_path / "project"
    import_book([source], project)
    text = (project / "t" / "q-1.md").read_text("utf8")
    assert re.search(r"First line[^\n]*\\\n[^\n]*second line", text), text
    assert "````{list-table}\n\n* - a\n  - b\n````" in text
    assert "| H |\n|---|\n| c |" in text
    assert '"Quoted words."' in text  # both marks kept: the quote does not end with one
    built = sphinx_build(project, "html")
    assert built.warnings == ""
    table = built.page("t/q-1").find("table")
    assert table.find("thead") is None and table.find("th") is None


def test_numbers_by_place() -> None:
    """Pages starting again at 1 get their place; a page of one chapter keeps its own."""
    from sphinx_faq_ext.importer.recognise.order import BookOrder, Group, Node
    from sphinx_faq_ext.importer.recognise.places import place_numbers

    order = BookOrder(groups=[
        Group("", [Node("chapter1.html"), Node("symbols.html")]),
        Group("More", [Node("supplementary.html", [
            Node("marx.html", [Node("marx1.html"), Node("marx2.html")]),
            Node("capital.html", [Node("cap1.html"), Node("cap2.html")]),
        ])]),
    ])
    local = {"chapter1.html": ["7.1", "7.2"], "symbols.html": ["1", "2"],
             "marx1.html": ["1", "2"], "marx2.html": ["1", "2", "3"],
             "cap1.html": ["1", "1.1", "1.2"], "cap2.html": ["2", "2.1"]}
    prefixes, titled = place_numbers(order, local)
    assert "chapter1.html" not in prefixes  # 7.1 and 7.2: no other page uses them
    assert prefixes == {"symbols.html": "1", "marx.html": "2", "marx1.html": "2.1",
                        "marx2.html": "2.2", "capital.html": "3", "cap1.html": "3",
                        "cap2.html": "3"}
    assert titled == {"marx.html": "2", "capital.html": "3"}
    assert place_numbers(order, local, {"capital.html": "9"})[0]["cap1.html"] == "9"


def test_parts_titled_alike_are_named_in_their_numbers() -> None:
    """``Appendix - …``, ``Appendix: …`` on every top part numbered by place: the word
    goes before every number by place (not before the book's own numbers)."""
    from sphinx_faq_ext.importer.recognise.places import kind_word, name_places

    assert [kind_word(t) for t in ("Appendix - The Symbols", "Appendix : Marxism",
                                   "Annex -- Russia", "Appendix", "Appendix 1: X",
                                   "What happened in 1917?", "APPENDIX - X",
                                   "Appendix-based answers")] == [
        "Appendix", "Appendix", "Annex", "Appendix", "", "", "", ""]
    titles = {"symbols.html": "Appendix - The Symbols", "marx.html": "Appendix: Marxism",
              "marx1.html": "Reply to McNally", "capital.html": "Appendix -- Capital"}
    prefixes = {"symbols.html": "1", "marx.html": "2", "marx1.html": "2.1",
                "capital.html": "3", "cap1.html": "3"}
    titled = {"marx.html": "2", "capital.html": "3"}
    assert name_places(prefixes, titled, titles) == "Appendix"
    assert prefixes == {"symbols.html": "Appendix 1", "marx.html": "Appendix 2",
                        "marx1.html": "Appendix 2.1", "capital.html": "Appendix 3",
                        "cap1.html": "Appendix 3"}
    assert titled == {"marx.html": "Appendix 2", "capital.html": "Appendix 3"}
    # titled unlike, or one part alone: plain numbers
    for others in ({"capital.html": "Capital and Us"}, {"capital.html": "Annex - Capital"}):
        prefixes = {"marx.html": "2", "capital.html": "3", "cap1.html": "3.1"}
        assert name_places(prefixes, {}, {**titles, **others}) == ""
        assert prefixes == {"marx.html": "2", "capital.html": "3", "cap1.html": "3.1"}
    prefixes = {"marx.html": "2", "marx1.html": "2.1"}
    assert name_places(prefixes, {}, titles) == "" and prefixes["marx1.html"] == "2.1"


def test_tables_of_the_book_pass_ace(tmp_path: Path) -> None:
    """secB7.html's tables have no header row in the source: none is made up, and DAISY
    Ace finds no violation in the ePub (an empty header row was ``empty-table-header``)."""
    from external_tools import ace

    source = Path("/usr/share/doc/anarchism/html/secB7.html")
    need_tool("anarchism (Debian package)", source.exists())
    project = tmp_path / "project"
    import_book([source], project)
    assert "````{list-table}" in (project / "secb7" / "b-7-1.md").read_text("utf8")
    built = sphinx_build(project, "epub")
    report = ace(built.file("*.epub"), tmp_path / "ace")
    failed = [(doc["earl:testSubject"]["url"], check["earl:test"]["dct:title"])
              for doc in report["assertions"] for check in doc["assertions"]
              if check["earl:result"]["earl:outcome"] != "pass"]
    assert failed == []


def test_command_line_options_are_laid_on_the_settings() -> None:
    """One copy of the book's title, author, language and contents page: the settings';
    the command line's values win over the file's, an empty one keeps the file's."""
    from sphinx_faq_ext.importer.settings import BookSettings

    file = BookSettings(title="From the file", author="The Editors", contents="book.html",
                        path="book.toml")
    options = ImportOptions(title="From the command line", start="toc.html", settings=file)
    assert options.settings == BookSettings(
        title="From the command line", author="The Editors", language="",
        contents="toc.html", path="book.toml")
    assert ImportOptions(settings=file).settings == file
    assert ImportOptions().settings == BookSettings()


def test_one_walk_over_a_block_tree() -> None:
    """:func:`inline_runs` reaches every run of text: paragraphs, headings, quotes (and
    their notes), list items, table cells; :func:`inlines_in` every inline in them."""
    from sphinx_faq_ext.importer.model.page import (
        Block,
        Heading,
        Link,
        ListBlock,
        Note,
        Paragraph,
        Quote,
        Styled,
        Table,
        Text,
        inline_runs,
        inline_text,
        inlines_in,
    )

    blocks: list[Block] = [
        Heading(2, [Text("H"), Link("h.html", [Text("h")])], 1),
        Paragraph([Text("p "), Styled("em", [Link("p.html", [Text("pl")])]),
                   Note([Link("n.html", [Text("nl")])], 2)], 2),
        Quote([Paragraph([Text("q")], 3)], 3, note=[Link("qn.html", [Text("qnl")])]),
        ListBlock(False, [[Paragraph([Text("li")], 4)], [Quote([Paragraph(
            [Link("lq.html", [Text("lql")])], 5)], 5)]], 4),
        Table([[[Text("c1")], [Link("c2.html", [Text("c2")])]]], 6),
    ]
    assert [inline_text(run) for run in inline_runs(blocks)] == [
        "Hh", "p pl", "q", "li", "lql", "c1", "c2"]
    assert [inline_text(run) for run in inline_runs(blocks, headings=False, notes=True)] == [
        "p pl", "q", "qnl", "li", "lql", "c1", "c2"]
    hrefs = [i.href for i in inlines_in(blocks) if isinstance(i, Link)]
    assert hrefs == ["h.html", "p.html", "lq.html", "c2.html"]
    hrefs = [i.href for i in inlines_in(blocks, headings=False, notes=True)
             if isinstance(i, Link)]
    assert hrefs == ["p.html", "n.html", "qn.html", "lq.html", "c2.html"]


def test_author_from_the_books_copyright_line(tmp_path: Path) -> None:
    """No settings: the holder of the book's one copyright line is its author (not the
    title, as before); a quoted book's notice does not count; two holders give none."""
    site = write_book(tmp_path / "site")
    intro = site / "secAint.html"
    intro.write_text(intro.read_text("utf8").replace(
        "<p>Intro A.</p>", "<p>Intro A.</p>\n<p>\"The Book\", Version 2<br/>Copyright (C) "
        "1995-2019 The Book Collective: see the licence.</p>\n<blockquote><p>Copyright (C) "
        "2001 Another Press.</p></blockquote>"), "utf8")
    import_book([site], tmp_path / "one")
    conf = (tmp_path / "one" / "conf.py").read_text("utf8")
    assert "author = 'The Book Collective'" in conf
    assert "copyright = '1995-2019, The Book Collective'" in conf
    assert "project = 'The Book'" in conf
    intro.write_text(intro.read_text("utf8").replace(
        "<p>Intro A.</p>", "<p>Intro A.</p>\n<p>\u00a9 2003 Someone Else</p>"), "utf8")
    import_book([site], tmp_path / "two")
    conf = (tmp_path / "two" / "conf.py").read_text("utf8")
    assert "author = 'The Book'" in conf and "Collective" not in conf


def test_whole_heading_emphasis_is_the_web_sites_look(tmp_path: Path) -> None:
    """``<h1><u>Bibliography</u></h1>``: the book's heading style is its own (an italic
    title in the contents reads as a book's title); emphasis on part of a heading stays."""
    source = tmp_path / "notes.html"
    source.write_text(page("Notes", "<h1><u>Notes on <i>Sources</i></u></h1>"
                                    "<h2><b><i>Further reading</i></b></h2><p>Text.</p>"
                                    "<h2>On <i>Mutual Aid</i></h2><p>More.</p>"), "utf8")
    project = tmp_path / "project"
    import_book([source], project)
    text = "".join(p.read_text("utf8") for p in project.rglob("*.md"))
    assert "# Notes on *Sources*\n" in text
    assert "## Further reading\n" in text
    assert "## On *Mutual Aid*\n" in text


def test_edition_date_printed_in_the_books_language() -> None:
    """The title pages print Sphinx's ``today`` as written: not ``2019-11-26``."""
    from sphinx_faq_ext.importer.project import printed_date

    assert printed_date("2019-11-26", "en") == "November 26, 2019"
    assert printed_date("2019-11-26", "de") == "26. November 2019"
    assert printed_date("2019-11-26", "pt-BR") == "26 de novembro de 2019"
    assert printed_date("2019-11", "en") == "2019-11"  # not a day: as given


def test_the_importers_own_words_in_the_books_language(tmp_path: Path) -> None:
    """``language = "fr"``: the caption the importer makes up (``Other pages``) is
    French; the source's own words stay as written, the contents page's captions
    and the word its appendix titles give their numbers (``Appendix - Topic 2`` ->
    ``Appendix 2``: its anchor and file names depend on it)."""
    project = tmp_path / "project"
    import_book([write_book(tmp_path / "site")], project, ImportOptions(language="fr"))
    index = (project / "index.md").read_text("utf8")
    assert re.findall(r":caption: (.*)", index) == [
        "Volume 1", "Volume 2", "Supplementary Material", "Autres pages"]
    assert "language = 'fr'" in (project / "conf.py").read_text("utf8")
    assert ":number: Appendix 2\n" in (project / "app2" / "index.md").read_text("utf8")
