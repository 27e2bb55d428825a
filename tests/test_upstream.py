"""The private APIs of other libraries we depend on (sphinx_faq_ext/util/upstream/).

One module there per library (``docutils``, ``sphinx``, ``myst``,
``markdown_it``, the WeasyPrint ones); these tests cover each.

These fail when the upstream code changes, so that the helper is reviewed
against the change, and check each helper warns (never silently falls back)
when what it needs is gone.
"""

from __future__ import annotations

import importlib
import inspect
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest
import sphinx
from external_tools import need_module
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.util import logging as sphinx_logging

from sphinx_faq_ext.builders.pdf.weasyprint import upstream as weasyprint_api
from sphinx_faq_ext.util import upstream
from sphinx_faq_ext.util.upstream import docutils as upstream_docutils
from sphinx_faq_ext.util.upstream import markdown_it as upstream_markdown_it
from sphinx_faq_ext.util.upstream import myst as upstream_myst
from sphinx_faq_ext.util.upstream import sphinx as upstream_sphinx

if TYPE_CHECKING:
    from conftest import MakeProject


def _resolve(dotted: str) -> Any:
    """The function named *dotted*: a module's, a class's, or a property's getter."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = inspect.getattr_static(found, name)
        return found.fget if isinstance(found, property) else found
    raise ImportError(dotted)


def _numbers(version: str) -> tuple[int, ...]:
    """``"70.0"`` -> ``(70, 0)`` (a suffix such as ``rc1`` is left out)."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


@pytest.mark.parametrize("dotted", sorted(weasyprint_api.REVIEWED_SOURCES))
def test_reviewed_weasyprint_code_is_unchanged(dotted: str) -> None:
    need_module("weasyprint")
    from importlib.metadata import version

    distribution = dotted.partition(".")[0]
    installed, reviewed = version(distribution), weasyprint_api.REVIEWED_VERSIONS[distribution]
    if _numbers(installed) < _numbers(reviewed):  # the floors (nox -s tests_oldest)
        pytest.skip(f"{distribution} {installed} is older than the reviewed {reviewed}")
    digest = upstream.source_digest(_resolve(dotted))
    assert digest == weasyprint_api.REVIEWED_SOURCES[dotted], (
        f"{dotted} changed upstream: review builders/pdf/weasyprint/upstream/, "
        "then update REVIEWED_SOURCES"
    )


def test_weasyprint_line_we_drop_is_there() -> None:
    need_module("weasyprint")
    from weasyprint.layout import block

    assert weasyprint_api._REPORT_LINE in inspect.getsource(block._linebox_layout)
    with weasyprint_api.footnotes_stay_with_calls() as applied:
        assert applied
        assert block._linebox_layout.__code__.co_filename == block.__file__
    with weasyprint_api.footnotes_tagged_as_notes() as applied:
        assert applied


def test_weasyprint_only_the_report_line_is_changed() -> None:
    pytest.importorskip("weasyprint")
    from weasyprint.layout import block

    source = inspect.getsource(block._linebox_layout)
    patched = weasyprint_api.patched_linebox_source(source)
    assert weasyprint_api._REPORT_LINE not in patched
    changed = [
        (old, new) for old, new in zip(source.splitlines(), patched.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 1 and changed[0][1].strip() == "report = False"


def test_myst_renderer_keeps_level_to_section() -> None:
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    assert "self._level_to_section" in inspect.getsource(DocutilsRenderer)


def test_sphinx_privates_are_there(make_project: MakeProject) -> None:
    from sphinx.writers.latex import LaTeXTranslator

    app = make_project({"index.rst": "Title\n=====\n"})
    if sphinx.version_info >= (8, 2):
        assert app.env._app is app
        assert app.env._builder_cls is type(app.builder)
    assert upstream_sphinx.env_app(app.env) is app
    # visit_title leaves the heading's closing brace on the context stack
    assert "self.context.append" in inspect.getsource(LaTeXTranslator.visit_title)
    app.builder.init()
    assert any(str(d).endswith("basic") for d in upstream_sphinx.theme_dirs(app.builder.theme))
    if sphinx.version_info >= (9, 0):
        assert app.builder._app is app
    assert upstream_sphinx.builder_app(app.builder) is app


def test_sphinx_ncx_navpoint_is_there() -> None:
    """The type our ePub builder's toc.ncx methods return, in Sphinx's private module."""
    from sphinx.builders import _epub_base
    from sphinx.builders.epub3 import Epub3Builder

    assert "children" in _epub_base.NavPoint._fields
    assert "NavPoint" in inspect.signature(Epub3Builder.build_navpoints).return_annotation


def test_myst_mocks_keep_their_renderer() -> None:
    """MyST's mock state and inliner (what its directives and roles get) keep ``_renderer``."""
    from myst_parser.mocking import MockInliner, MockState

    for mock in (MockState, MockInliner):
        assert "self._renderer = " in inspect.getsource(mock.__init__), mock


def test_markdown_it_compiles_rule_chains() -> None:
    """A parse compiles the four chains; switching a rule off drops them."""
    from markdown_it import MarkdownIt

    md = MarkdownIt()
    md.parse("*a*")
    chains = upstream_markdown_it.compiled_chains(md)
    assert chains is not None and len(chains) == 4
    md.parse("*b*")
    again = upstream_markdown_it.compiled_chains(md)
    assert again is not None
    assert all(old is new for old, new in zip(chains, again, strict=True))
    md.disable("emphasis")
    assert upstream_markdown_it.compiled_chains(md) is None
    assert upstream_markdown_it.compiled_chains(SimpleNamespace()) is None



def test_every_element_links_to_its_document(make_project: MakeProject) -> None:
    """A question's answer and notes list are built apart; their elements still link up.

    Without the link, ``node.document`` climbs to the root at each call, which
    Sphinx makes for every node it copies or curls the quotes of.
    """
    from docutils import nodes

    app = make_project({
        "index.md": "::::{faq:question} Why?\n:number: A\n\nText.{faq:note}`*Work*, p. 2`\n\n"
                    "```{faq:quote}\n:author: Someone\n:note: Elsewhere\n\nQuoted.\n```\n\n"
                    ":::{faq:question} And why?\n:number: A.1\n\n## A heading\n\n"
                    "More.{faq:note}`Another`\n:::\n::::\n",
    })
    app.build()
    doctree = app.env.get_doctree("index")
    elements = list(doctree.findall(nodes.Element))
    assert any(isinstance(element, nodes.enumerated_list) for element in elements)
    assert [e for e in elements if e._document is None] == []
    assert {id(e.document) for e in elements} == {id(doctree)}


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ``faq.upstream`` warnings logged (each is logged once per process)."""
    seen: list[str] = []
    monkeypatch.setattr(upstream, "_warned", set())
    monkeypatch.setattr(
        upstream.logger, "warning",
        lambda msg, *args, **kw: seen.append(f"{msg % args} [{kw['type']}.{kw['subtype']}]"),
    )
    return seen


def test_missing_privates_warn_and_fall_back(warnings: list[str]) -> None:
    assert upstream_sphinx.theme_dirs(SimpleNamespace()) == []
    translator = SimpleNamespace(context=[], body=[])
    upstream_sphinx.latex_after_heading(translator, "text")
    assert translator.body == ["text"]

    class Renderer:  # a MyST renderer without _level_to_section
        pass

    state = SimpleNamespace(_renderer=Renderer())
    with pytest.raises(AttributeError):  # falls back to Sphinx's nested parse
        upstream_myst.parse_with_headings_under(state, None, 0, None, range(7))
    assert len(warnings) == 3
    assert all("changed upstream" in w and w.endswith("[faq.upstream]") for w in warnings)


def test_missing_renderer_and_builder_app_warn(warnings: list[str]) -> None:
    """A MyST mock without ``_renderer`` and a builder without ``_app`` warn and fall back."""

    class MockState:  # MyST's, as if it lost its renderer
        __module__ = "myst_parser.mocking"

    assert upstream_myst.myst_renderer(MockState()) is None
    assert upstream_myst.myst_renderer(SimpleNamespace()) is None  # rST's: no warning
    assert upstream_myst.myst_renderer(SimpleNamespace(_renderer="r")) == "r"
    assert upstream_sphinx.builder_app(SimpleNamespace(app="app")) == "app"  # type: ignore[arg-type]
    expected = ["myst_parser MockState._renderer"]
    if sphinx.version_info >= (9, 0):
        expected.append("sphinx.builders.Builder._app")
    assert [w.partition(" has changed upstream")[0] for w in warnings] == expected
    assert all(w.endswith("[faq.upstream]") for w in warnings)


def test_link_to_document_without_the_private_warns(
    warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from docutils import nodes

    monkeypatch.delattr(nodes.Node, "_document")
    upstream_docutils.link_to_document(nodes.paragraph())
    assert len(warnings) == 1
    assert "docutils.nodes.Node._document has changed upstream" in warnings[0]


def test_changed_weasyprint_layout_warns(
    warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    need_module("weasyprint")
    from weasyprint.layout import block

    monkeypatch.setattr(block, "_linebox_layout", lambda *args: None)
    with weasyprint_api.footnotes_stay_with_calls() as applied:
        assert not applied
    assert "_linebox_layout has changed upstream" in warnings[0]


def test_logger_is_sphinx_logger() -> None:
    assert isinstance(upstream.logger, sphinx_logging.SphinxLoggerAdapter)


def test_weasyprint_images_are_named_by_their_bytes() -> None:
    """The same image under two URLs (two build folders) gets one name; another image not."""
    need_module("weasyprint")
    from io import BytesIO

    from PIL import Image
    from weasyprint import images

    def png(colour: tuple[int, int, int]) -> bytes:
        data = BytesIO()
        Image.new("RGB", (4, 4), colour).save(data, "PNG")
        return data.getvalue()

    def made(image_id: str, data: bytes) -> str:
        return images.RasterImage(Image.open(BytesIO(data)), image_id, data).id

    red, blue = png((255, 0, 0)), png((0, 0, 255))
    with weasyprint_api.images_named_by_content() as applied:
        assert applied
        assert made("md5-of-/one/_images/red.png", red) == made("md5-of-/two/_images/red.png", red)
        assert made("same-url", red) != made("same-url", blue)
    assert made("md5-of-url", red) == "md5-of-url"  # put back afterwards


#: Option blocks as the importer writes them (the real book's) and as authors do.
SIMPLE_OPTIONS = [
    "author: 'William Lazonick'\nsource: 'Business Organisation and the Myth of the Market "
    "Economy'\npage: '173'\nnote: 'William Lazonick, *Business Organisation*, p. 173'",
    "number: C.6", "anonymous:\nnote: 'It''s *here*, p. 3'", "hidden:", "maxdepth: 2\nhidden:",
    "author: Errico Malatesta\nnote: *Anarchy*, p. 30", "label: a-2-6", "note: ''",
    "url: https://example.org/a?b=c", "a: b: c", "page: 'x  y '", "source: [Works], {1}, %2",
]
#: Blocks MyST's tokenizer reads its own way (comments, block and double-quoted
#: values, continuation lines, tabs, odd spacing) or refuses: left to it.
NOT_SIMPLE_OPTIONS = [
    "", "a: b # comment", "# comment\na: b", "a: |\n  text", "a: >\n  text", 'a: "x"',
    "'a': b", "a:  b", "a: b ", "a:b", " a: b", "a: b\n  more", "a: b\n\nc: d", "a:\tb",
    "a: 'b", "a: 'b' c", "a: 'b'\r\nc: d", "a b: c", "a: #b", "a: b\n", "\ufeffa: b",
]


def _myst_option_tokens(text: str) -> Any:
    """MyST's own tokens for *text*, or the error it raises."""
    from myst_parser.parsers.options import TokenizeError, options_to_tokens

    try:
        tokens, state = options_to_tokens(text)
    except TokenizeError as error:
        return str(error)
    return tokens, state.has_comments


def test_myst_option_tokenizer_is_the_reviewed_one() -> None:
    """The fast path reproduces this module's tokenizer: review it when it changes."""
    import myst_parser
    from myst_parser.parsers import options

    if _numbers(myst_parser.__version__) < upstream_myst.REVIEWED_MYST_VERSION:
        pytest.skip(f"myst-parser {myst_parser.__version__} is older than the reviewed one")
    assert upstream.source_digest(options) == upstream_myst.REVIEWED_OPTIONS_MODULE, (
        "myst_parser/parsers/options.py changed upstream: review "
        "util/upstream/myst.py's simple_option_tokens, then update REVIEWED_OPTIONS_MODULE"
    )


def test_simple_option_blocks_give_myst_tokens() -> None:
    for text in SIMPLE_OPTIONS:
        fast = upstream_myst.simple_option_tokens(text)
        assert fast is not None, text
        assert (fast, False) == _myst_option_tokens(text), text


def test_other_option_blocks_are_left_to_myst() -> None:
    for text in NOT_SIMPLE_OPTIONS:
        assert upstream_myst.simple_option_tokens(text) is None, repr(text)


#: Pieces of option lines, the characters MyST's tokenizer treats apart among them.
_OPTION_PIECES = st.text(alphabet=st.sampled_from(list("ab1_- :'\"#|>\t\\é*,.")), max_size=8)
#: A line as authors and the importer write them: ``key:``, ``key: value``,
#: ``key: 'value'`` (pieces above as the value, so not always simple).
_OPTION_LINES = st.tuples(
    st.from_regex(r"[a-z_1-][a-z1-]{0,3}", fullmatch=True), st.sampled_from([":", ": "]),
    _OPTION_PIECES | _OPTION_PIECES.map(lambda v: "'" + v.replace("'", "''") + "'"),
).map("".join)
#: Any line made of pieces: keys, separators, values, quotes.
_WILD_LINES = st.tuples(
    st.from_regex(r"[a-z_1-][a-z1-]{0,3}", fullmatch=True) | _OPTION_PIECES,
    st.sampled_from([":", ": ", ":  ", ": '", " :", ""]), _OPTION_PIECES,
    st.sampled_from(["", "'", " ", "''"]),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_OPTION_LINES | _OPTION_LINES | _WILD_LINES, min_size=1, max_size=4))
def test_simple_option_tokens_agree_with_myst_wherever_they_answer(lines: list[str]) -> None:
    """Wherever the fast path answers (for about one of these blocks in eight),
    MyST's tokenizer gives the same tokens (values, styles, positions)."""
    text = "\n".join(lines)
    fast = upstream_myst.simple_option_tokens(text)
    if fast is not None:
        assert (fast, False) == _myst_option_tokens(text), repr(text)


def test_directive_options_parse_alike_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """MyST's whole option parse (validation by our directives' option_spec)
    gives the same options, body and warnings with the fast path in place."""
    from myst_parser.parsers import directives, options

    from sphinx_faq_ext.authoring.question import QuestionDirective
    from sphinx_faq_ext.authoring.quote import QuoteDirective

    bodies = [
        (QuoteDirective, f":{text.replace(chr(10), chr(10) + ':')}\n\nQuoted text.")
        for text in SIMPLE_OPTIONS + NOT_SIMPLE_OPTIONS if "\n\n" not in text
    ] + [(QuestionDirective, ":number: A.2.6\n:label: solidarity\n\nAnswer.")]
    monkeypatch.setattr(directives, "options_to_tokens", options.options_to_tokens)
    slow = [directives.parse_directive_text(cls, "Why?", body, line=3) for cls, body in bodies]
    assert upstream_myst.use_simple_option_tokens()
    assert directives.options_to_tokens is not options.options_to_tokens
    fast = [directives.parse_directive_text(cls, "Why?", body, line=3) for cls, body in bodies]
    assert fast == slow


def test_simple_option_tokens_used_only_on_the_reviewed_tokenizer(
    warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from myst_parser.parsers import directives, options

    monkeypatch.setattr(directives, "options_to_tokens", options.options_to_tokens)
    monkeypatch.setattr(upstream_myst, "REVIEWED_OPTIONS_MODULE", "0" * 64)
    assert not upstream_myst.use_simple_option_tokens()
    assert directives.options_to_tokens is options.options_to_tokens
    assert [w.partition(" has changed upstream")[0] for w in warnings] == [
        "myst_parser.parsers.options"]


def test_myst_project_reads_options_the_fast_way(make_project: MakeProject) -> None:
    from myst_parser.parsers import directives

    app = make_project({"index.md": "# Book\n\n```{faq:quote}\n:author: 'Errico Malatesta'\n"
                                    ":page: '29'\n\nQuoted.\n```\n"})
    app.build()
    assert directives.options_to_tokens.__module__ == upstream_myst.__name__
