"""Bring an existing FAQ book in: HTML pages or plain text → a Sphinx project in MyST.

The folders are the pipeline, in the order it runs; a stage imports only the
model and the stages before it (``tests/test_layers.py`` checks it):

1. :mod:`.read` — source files → pages of the model, web navigation dropped;
2. :mod:`.model` — what a page is made of (blocks, inline runs, source lines),
   shared by every stage;
3. :mod:`.recognise` — pages → the book: its contents, order, numbers,
   questions, notes, quotations and their authors, bibliographies;
4. :mod:`.write` — the book → MyST text, escaped to read back the same;
5. :mod:`.check` — the report of every uncertain decision, and the proof
   that the built book keeps every word of the source.

At the top: :mod:`.cli` (``sphinx-faq-ext import`` and ``check``),
:mod:`.settings` (what one book's settings file adds) and :mod:`.project`,
which runs the stages in order (:func:`import_book`) and writes the project's
files, ``conf.py`` and ``index.md``.
"""

from __future__ import annotations

from sphinx_faq_ext.importer.project import ImportOptions, import_book

__all__ = ["ImportOptions", "import_book"]
