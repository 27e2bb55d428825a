"""Bring an existing FAQ book in: HTML pages or plain text → a Sphinx project in MyST.

The pipeline, one module per stage: :mod:`.dom` and :mod:`.html_reader` (or
:mod:`.text_reader`) read pages into the :mod:`.model`, web navigation left out;
:mod:`.order` finds the book's contents, order and groups, :mod:`.places` the
numbers of parts that start again at 1; :mod:`.citations`, :mod:`.quotes` and
:mod:`.structure` recognise notes, quotations, questions and links
(:mod:`.settings`: what one book's settings file adds); :mod:`.escaping`,
:mod:`.myst_inline`, :mod:`.myst` and :mod:`.project` write the project;
:mod:`.report` says what happened and :mod:`.check` proves the text is intact.
"""

from __future__ import annotations

from sphinx_faq_ext.importer.project import ImportOptions, import_book

__all__ = ["ImportOptions", "import_book"]
