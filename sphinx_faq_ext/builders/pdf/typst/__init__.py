"""The Typst engine (``faq_pdf_engine = "typst"``, the default): a tagged PDF/UA-1.

:mod:`.builder` writes the book as Typst markup (the translator is in
``writers/typst/``) beside the book template ``template/faq-book.typ``;
:mod:`.compile` runs the Typst compiler in worker processes (:mod:`..workers`).
"""
