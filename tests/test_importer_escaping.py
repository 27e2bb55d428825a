"""The importer's MyST escaping never loses or changes text (property tests).

Any text — backticks, braces, ``$``, a leading ``#``, ``:::``, ``1.``,
``<tags>``, ``&entities;``, ``[brackets]`` — written by the importer's
writer reads back as the same text: as paragraphs (MyST alone, many
examples), and inside ``faq:note`` roles, ``faq:quote`` options and
``faq:question`` titles (a Sphinx build per example, fewer examples).
"""

from __future__ import annotations

from io import StringIO

import pytest
from conftest import sphinx_build
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from seed import words

from sphinx_faq_ext.importer.model.page import Note, Paragraph, Quote, Styled, Text
from sphinx_faq_ext.importer.write.myst import BlockWriter
from sphinx_faq_ext.importer.write.myst_inline import InlineWriter
from sphinx_faq_ext.testing import write_project

#: Characters MyST or our roles could misread, and ordinary ones around them.
HOSTILE = "`{}$#:*_[]<>&|\\~!()=+-.%'\"^;@/ \n1aZé—"
texts = st.text(alphabet=st.sampled_from(HOSTILE), min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)


def parse_myst(source: str) -> list[str]:
    """The text of each paragraph MyST reads from *source* (docutils, no Sphinx)."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    doctree = publish_doctree(
        source, parser=Parser(),
        settings_overrides={"report_level": 5, "halt_level": 5, "warning_stream": StringIO(),
                            "myst_enable_extensions": ["colon_fence"]},
    )
    return [words(p.astext()) for p in doctree.findall(nodes.paragraph)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=4))
def test_paragraph_text_reads_back(paragraphs: list[str]) -> None:
    writer = BlockWriter(InlineWriter())
    blocks = [Paragraph([Text(text)], 1) for text in paragraphs]
    source = "\n".join(writer.blocks(blocks))
    assert parse_myst(source) == [words(t) for t in paragraphs]


@settings(max_examples=200, deadline=None)
@given(texts, texts, texts)
def test_emphasis_keeps_text(before: str, inner: str, after: str) -> None:
    """Emphasis MyST cannot mark is dropped, never its text."""
    writer = InlineWriter()
    source = writer.render([Text(before), Styled("em", [Text(inner)]), Text(after)])
    assert parse_myst(source) == [words(before + inner + after)]


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=5, max_size=5))
@example(values=["1", "1", "1", "1", '"'])  # a quote that is only a mark kept it (was lost)
def test_roles_options_and_titles_read_back(
    tmp_path_factory: pytest.TempPathFactory, values: list[str]
) -> None:
    """A note's text, a quote's author and note, a question's title survive a build."""
    title, note, author, quote_note, body = (words(v) for v in values)
    inline = InlineWriter()
    writer = BlockWriter(inline)
    paragraph = writer.blocks([Paragraph([Text("Said "), Note([Text(note)], 1)], 1)])
    quote = writer.blocks([Quote([Paragraph([Text(body)], 2)], 2, author=author,
                                 note=[Text(quote_note)])])
    source = "\n".join([
        f":::{{faq:question}} {inline.render([Text(title)], True)}",
        ":number: A.1", "", *paragraph, *quote, ":::", "",
    ])
    src = write_project(tmp_path_factory.mktemp("escape"), {"index.md": source},
                        conf='extensions = ["myst_parser", "sphinx_faq_ext"]\n'
                             'myst_enable_extensions = ["colon_fence"]\nsmartquotes = False\n')
    soup = sphinx_build(src, "html").page("index")
    section = soup.find("section", id="a-1")
    heading = section.find("h1")
    heading.find("span", class_="faq-number").decompose()
    for link in soup.select("a.headerlink, a[role=doc-backlink]"):
        link.decompose()
    assert words(heading.get_text()) == title
    notes = [words(li.get_text()) for li in section.select("section[role=doc-endnotes] li")]
    assert notes == [note, quote_note]
    figure = section.find("figure")
    assert words(figure.figcaption.get_text()).removeprefix("— ") == author
    assert words(figure.blockquote.p.get_text()).removesuffix("[2]").strip() == body
