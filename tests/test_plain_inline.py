"""The fast path for simple note texts gives what MyST's inline parser gives.

``util.upstream.myst.myst_plain_inline`` builds the nodes of texts such as
``Errico Malatesta, *Anarchy*, p. 29`` without markdown-it.  Each text below
(and each text Hypothesis makes from words, spaces, ``*`` and punctuation)
is parsed both ways inside one MyST document; wherever the fast path answers,
its nodes (with their line and source) and its word count must be MyST's.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from myst_parser.parsers.docutils_ import Parser

from sphinx_faq_ext.util.upstream.myst import myst_plain_inline

SIMPLE = [
    "Errico Malatesta, *Anarchy*, p. 29",
    "*Mutual Aid*",
    "Kropotkin",
    "*A* and *B*; see p. 3",
    "Émile Pouget, *Le Père Peinard*, 1889",
    "*Works*. Vol. 2",
    "pp. 133-4",
    # the real book's commonest other shapes
    "*Op. Cit.*, p. 35",
    'Winn, *"The Pinochet Era"*, Winn (ed.), *Op. Cit.*, p. 31',
    "quoted by M. Brinton, *The Bolsheviks and Workers' Control*, p. 78",
    "Alexander Berkman, *What is Anarchism?*, p. 217",
    "*Property is Theft!*, p. 205",
    "*Selections from Political Writings (1921-1926)*, p. 333",
    '*"How Did Stalin Defeat the Opposition?,"* *Writings, 1935-36*, pp. 175-6',
    "Marx, *Capital: Volume 1*, p. 3/4",
    "x (c) y", "'quoted'",
]
NOT_SIMPLE = [
    "C:\\dir", "a -- b", "wait...", "*a*b", "a*b*", "**strong**", "*a *b*", "_under_",
    "`code`", "[link](x)", "a  b", " lead", "trail ", "*a*,*b*",
    "{faq:cite}`k`", "a & b", "*", "**", "* a*", "*a *", "![image](x)", "*a,* b", "*.a*",
    "a *(* b", "$x$", "a\\& b",
]


class Probe(Directive):
    """Parses each line of its content both ways; results go to ``Probe.seen``."""

    has_content = True
    seen: ClassVar[list[tuple[str, Any, Any]]] = []

    def run(self) -> list[nodes.Node]:
        renderer = self.state._renderer
        for text in self.content:
            words = dict(renderer.md_env.get("wordcount", {}))
            slow, _messages = self.state.inline_text(text, 7)
            slow_words = dict(renderer.md_env.get("wordcount", {}))
            renderer.md_env["wordcount"] = dict(words)
            fast = myst_plain_inline(renderer, text, 7)
            fast_words = dict(renderer.md_env.get("wordcount", {}))
            renderer.md_env["wordcount"] = dict(slow_words)
            Probe.seen.append((text, shape(slow, slow_words), shape(fast, fast_words)
                               if fast is not None else None))
        return []


def shape(found: list[nodes.Node], words: dict[str, Any]) -> tuple[Any, ...]:
    """Everything about the nodes a writer or a warning could see, and the word count."""
    container = nodes.Element("", *found)
    return (
        container.pformat(),
        [(type(node).__name__, node.line, node.source, getattr(node, "rawsource", None))
         for node in container.findall(include_self=False)],
        words,
    )


def parse_all(texts: list[str]) -> list[tuple[str, Any, Any]]:
    directives.register_directive("probe", Probe)
    Probe.seen = []
    body = "\n".join(texts)
    publish_doctree(f"Some words first.\n\n```{{probe}}\n{body}\n```\n", parser=Parser(),
                    source_path="probe.md",
                    settings_overrides={"report_level": 5, "myst_enable_extensions": []})
    return Probe.seen


def test_simple_texts_take_the_fast_path_and_match_myst() -> None:
    for text, slow, fast in parse_all(SIMPLE):
        assert fast is not None, text
        assert fast == slow, text


def test_other_texts_are_left_to_myst() -> None:
    for text, _slow, fast in parse_all(NOT_SIMPLE):
        assert fast is None, text


@pytest.mark.parametrize("extension", ["replacements", "smartquotes"])
def test_text_changing_extensions_turn_the_fast_path_off(extension: str) -> None:
    directives.register_directive("probe", Probe)
    Probe.seen = []
    publish_doctree("```{probe}\nKropotkin, *Mutual Aid*\n```\n", parser=Parser(),
                    settings_overrides={"report_level": 5,
                                        "myst_enable_extensions": [extension]})
    assert [fast for _text, _slow, fast in Probe.seen] == [None]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet="ab é1 *,.;-_:'()\"?!/[", min_size=1, max_size=14),
                min_size=1, max_size=8))
def test_fast_path_agrees_with_myst_wherever_it_answers(texts: list[str]) -> None:
    texts = [text for text in texts if text.strip() == text and "\n" not in text]
    for text, slow, fast in parse_all(texts):
        if fast is not None:
            assert fast == slow, text


def test_rules_check_notices_rules_switched_on_and_off() -> None:
    """The remembered answer follows markdown-it's rules (MyST switches some per parse)."""
    from markdown_it import MarkdownIt

    from sphinx_faq_ext.util.upstream.myst import _plain_rules_only

    md = MarkdownIt("commonmark")
    md.parse("x")  # compiles the rule chains
    assert _plain_rules_only(md)
    assert _plain_rules_only(md)  # remembered
    md.enable("replacements")  # a core rule the fast path does not reproduce
    assert not _plain_rules_only(md)  # chains not compiled yet: asked afresh
    md.parse("x")
    assert not _plain_rules_only(md)
    md.disable("replacements")
    md.parse("x")
    assert _plain_rules_only(md)
    md.options["typographer"] = True
    assert not _plain_rules_only(md)
