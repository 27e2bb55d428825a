"""Maintain the extension's own message catalogs (labels such as "Notes").

``python -m sphinx_faq_ext.locale.catalogs`` extracts every ``_()`` message of
the package's Python modules and every ``faq_gettext()`` label of the theme's
templates into
``sphinx_faq_ext.pot``, merges it into each language's ``.po`` and compiles
the ``.mo`` files Sphinx loads (``app.add_message_catalog``).  With
``--check`` it changes nothing and lists what is out of date (the tests run
it).  Babel, which does the work, is a dependency of Sphinx.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAIN = "sphinx_faq_ext"
LOCALE_DIR = Path(__file__).parent
PACKAGE_DIR = LOCALE_DIR.parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ("de", "es", "fr", "pt")
#: Where messages come from, and the functions that mark them: ``_()`` in our
#: Python modules; ``faq_gettext()`` in the theme's Jinja templates, whose
#: ``_()`` and ``{% trans %}`` are Sphinx's own strings, translated by Sphinx.
SOURCES: list[tuple[list[tuple[str, str]], dict[str, Any]]] = [
    ([("locale/**", "ignore"), ("theme/**", "ignore"), ("**.py", "python")],
     {"_": None, "__": None}),
    ([("theme/**.html", "jinja2.ext:babel_extract")],
     {"faq_gettext": None}),
]
HEADER: dict[str, Any] = {
    "copyright_holder": "sphinx-faq-ext developers",
    "msgid_bugs_address": "https://github.com/sphinx-faq-ext/sphinx-faq-ext/issues",
    "last_translator": "sphinx-faq-ext developers",
    "language_team": "sphinx-faq-ext developers",
}
#: A fixed date keeps regenerated files identical when nothing changed.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def po_path(language: str) -> Path:
    """``locale/<language>/LC_MESSAGES/sphinx_faq_ext.po``."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every translatable message of the package, with its locations."""
    template = Catalog(project="sphinx-faq-ext", domain=DOMAIN, creation_date=EPOCH,
                       revision_date=EPOCH, fuzzy=False, **HEADER)
    for method_map, keywords in SOURCES:
        messages = extract_from_dir(str(PACKAGE_DIR), method_map, keywords=keywords,
                                    comment_tags=("Translators:",), strip_comment_tags=True)
        for filename, lineno, message, comments, context in messages:
            template.add(message, None, [(f"sphinx_faq_ext/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers: editing a module must not make the catalogs stale.
    write_po(buffer, catalog, width=99, sort_output=True, include_lineno=False)
    return buffer.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def merged(language: str, template: Catalog) -> Catalog:
    """The language's catalog updated to *template* (new messages untranslated)."""
    path = po_path(language)
    if path.exists():
        catalog = read(path, language)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="sphinx-faq-ext",
                          creation_date=EPOCH, revision_date=EPOCH, **HEADER)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date = EPOCH
    catalog.fuzzy = False  # a fuzzy header would make gettext tools skip the catalog
    return catalog


def plan() -> dict[Path, bytes]:
    """The contents every catalog file should have."""
    template = extract()
    files = {POT: render_po(template)}
    for language in LANGUAGES:
        catalog = merged(language, template)
        files[po_path(language)] = render_po(catalog)
        files[po_path(language).with_suffix(".mo")] = render_mo(catalog)
    return files


def untranslated(language: str) -> list[str]:
    """Messages the language's ``.po`` leaves untranslated (or fuzzy)."""
    catalog = read(po_path(language), language)
    return sorted(str(m.id) for m in catalog if m.id and (not m.string or m.fuzzy))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    stale = []
    for path, content in plan().items():
        if path.exists() and path.read_bytes() == content:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    for path in stale:
        print(f"{'stale' if args.check else 'updated'}: {path.relative_to(PACKAGE_DIR.parent)}")
    for language in LANGUAGES:
        for message in untranslated(language) if po_path(language).exists() else []:
            print(f"untranslated ({language}): {message!r}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
