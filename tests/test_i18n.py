"""Translations: our labels in de/es/fr/pt, and whole books through gettext."""

from __future__ import annotations

import gettext
import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import Built, build_root, html_page, sphinx_build

from sphinx_faq_ext import LOCALE_DIR
from sphinx_faq_ext.locale import catalogs

if TYPE_CHECKING:
    from conftest import MakeProject

LABELS = {  # what a German, Spanish, French or Portuguese reader sees (theme labels too)
    "de": {"Notes": "Anmerkungen", "Back to text": "Zurück zum Text",
           "Works quoted": "Zitierte Werke", "Dark mode": "Dunkelmodus",
           "Skip to content": "Zum Inhalt springen"},
    "es": {"Notes": "Notas", "Back to text": "Volver al texto", "Works quoted": "Obras citadas",
           "Dark mode": "Modo oscuro", "Skip to content": "Saltar al contenido"},
    "fr": {"Notes": "Notes", "Back to text": "Retour au texte", "Works quoted": "Œuvres citées",
           "Dark mode": "Mode sombre", "Skip to content": "Aller au contenu"},
    "pt": {"Notes": "Notas", "Back to text": "Voltar ao texto", "Works quoted": "Obras citadas",
           "Dark mode": "Modo escuro", "Skip to content": "Pular para o conteúdo"},
}


def test_catalogs_are_current() -> None:
    """The .pot lists every _() message, each .po has them all, each .mo matches its .po."""
    stale = [str(path) for path, content in catalogs.plan().items()
             if not path.exists() or path.read_bytes() != content]
    assert stale == [], "run: python -m sphinx_faq_ext.locale.catalogs"


def test_theme_templates_are_extracted() -> None:
    """The theme's faq_gettext() labels are ours; its _() strings stay Sphinx's."""
    messages = {str(m.id) for m in catalogs.extract() if m.id}
    assert {"Dark mode", "Skip to content", "Edit this page", "Search the book"} <= messages
    assert "Search" not in messages


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    assert catalogs.untranslated(language) == []
    translation = gettext.translation("sphinx_faq_ext", str(LOCALE_DIR), [language])
    for english, translated in LABELS[language].items():
        assert translation.gettext(english) == translated


def test_labels_in_a_german_build(make_project: MakeProject) -> None:
    app = make_project({
        "conf.py": "extensions = ['myst_parser', 'sphinx_faq_ext']\n"
                   "myst_enable_extensions = ['colon_fence']\nlanguage = 'de'\n",
        "index.md": "# T\n\n:::{faq:question} Q?\n:number: A\n\nText.{faq:note}`N`\n:::\n\n"
                    "```{faq:sources}\n:caption:\n```\n",
    })
    app.build()
    soup = html_page(app.outdir, "index")
    notes = soup.find("section", role="doc-endnotes")
    assert notes["aria-label"] == "Anmerkungen zu A"  # one landmark name per question
    assert notes.find(class_="faq-notes-title").get_text() == "Anmerkungen"
    assert notes.find("a", role="doc-backlink")["aria-label"] == "Zurück zum Text"
    assert soup.find(class_="faq-caption").get_text() == "Zitierte Werke"
    assert soup.find(class_="faq-sources-empty").get_text() == "Noch keine zitierten Werke."


# -- a whole book through gettext, a German catalog, and back -------------------------------

GERMAN = {
    "Why is solidarity important?": "Warum ist Solidarität wichtig?",
    "Solidarity is a key idea of anarchism.{faq:note}`*Anarchy*, p. 29`":
        "Solidarität ist eine Schlüsselidee des Anarchismus.{faq:note}`*Anarchie*, S. 29`",
    "The oppressed masses are beginning to understand.":
        "Die unterdrückten Massen beginnen zu verstehen.",
    "*Anarchy*, p. 33": "*Anarchie*, S. 33",
    "What is mutual aid?": "Was ist gegenseitige Hilfe?",
    "Is it written in reStructuredText?": "Ist es in reStructuredText geschrieben?",
    "Yes, it is.\\ :faq:note:`A note in rST`": "Ja.\\ :faq:note:`Eine Anmerkung in rST`",
}


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """gettext -> German catalogs (as sphinx-intl would write them) -> HTML and LaTeX."""
    tmp = tmp_path_factory.mktemp("i18n")
    extract = build_root(tmp, "i18n", "gettext")
    src = tmp / "i18n"
    messages = {}
    for pot in extract.outdir.glob("*.pot"):
        with pot.open("rb") as handle:
            catalog = read_po(handle)
        messages.update({m.id: m for m in catalog if m.id})
        for message in catalog:
            if message.id in GERMAN:
                message.string = GERMAN[message.id]
        target = src / "locales" / "de" / "LC_MESSAGES" / pot.with_suffix(".mo").name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalog)
    builds: dict[str, Any] = {"messages": messages}
    for builder in ("html", "latex"):
        builds[builder] = sphinx_build(src, builder, builddir=src / "_build" / "de",
                                       language="de")
    return builds


def test_gettext_extracts_titles_quotes_and_notes(translated: dict[str, Any]) -> None:
    messages = translated["messages"]
    for message in GERMAN:
        assert message in messages, message
    # our own generated labels are not the book's messages
    assert "Notes" not in messages and "Questions" not in messages


def test_german_html(translated: dict[str, Any]) -> None:
    built: Built = translated["html"]
    assert built.warnings == ""
    soup = built.page("index")
    question = soup.find("section", id="a")
    heading = question.find(re.compile("^h[1-6]$"))
    assert heading.find(class_="faq-number").get_text() == "A"
    assert heading.get_text(" ", strip=True).rstrip("¶ ") == "A Warum ist Solidarität wichtig?"
    assert "Solidarität ist eine Schlüsselidee" in question.find("p").get_text()
    quote = question.find("figure", class_="faq-quote").blockquote
    assert quote.get_text(" ", strip=True) == "Die unterdrückten Massen beginnen zu verstehen. [2]"
    notes = question.find("section", role="doc-endnotes", recursive=False)
    assert notes.find(class_="faq-notes-title").get_text() == "Anmerkungen"
    items = [li.get_text(" ", strip=True).rstrip("↩\ufe0e ") for li in notes.find_all("li")]
    assert items == ["Anarchie , S. 29", "Anarchie , S. 33"]
    sub = soup.find("section", id="a-1")
    assert sub.find(re.compile("^h[1-6]$")).get_text(" ", strip=True).startswith(
        "A.1 Was ist gegenseitige Hilfe?")


def test_german_refs_index_and_json(translated: dict[str, Any]) -> None:
    built: Built = translated["html"]
    soup = built.page("other")
    refs = [a.get_text() for a in soup.select("p a.reference.internal")
            if a.find_parent("ul") is None]
    assert refs == ["A Warum ist Solidarität wichtig?", "Was ist gegenseitige Hilfe?"]
    assert soup.find(class_="faq-caption").get_text() == "Fragen"
    entries = [a.get_text(" ", strip=True) for a in soup.select("ul.faq-index a")]
    assert entries == ["A Warum ist Solidarität wichtig?", "A.1 Was ist gegenseitige Hilfe?",
                       "B Ist es in reStructuredText geschrieben?"]
    b = soup.find("section", id="b")
    assert b.find(class_="faq-number").get_text() == "B"
    assert "Eine Anmerkung in rST" in b.find("section", role="doc-endnotes").get_text()
    data = json.loads(built.text("faq.json"))
    assert data["language"] == "de"
    assert [q["title"] for q in data["questions"]][:2] == [
        "Warum ist Solidarität wichtig?", "Was ist gegenseitige Hilfe?"]


def test_german_latex(translated: dict[str, Any]) -> None:
    tex = translated["latex"].text("i18ntest.tex")
    assert r"\chapter{A Warum ist Solidarität wichtig?}" in tex
    assert r"\section{A.1 Was ist gegenseitige Hilfe?}" in tex
    assert r"\label{\detokenize{index:a}}" in tex
    # the index on another page links to the question's own page
    assert (r"{\hyperref[\detokenize{index:a}]{\sphinxcrossref{\DUrole{faq-index-entry}"
            r"{\DUrole{faq-number}{A} Warum ist Solidarität wichtig?}}}}") in tex
    assert r"\sphinxstyleemphasis{Anarchie}, S. 33" in tex
    assert "Die unterdrückten Massen beginnen zu verstehen." in tex
