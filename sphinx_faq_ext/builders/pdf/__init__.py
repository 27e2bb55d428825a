"""The ``faqpdf`` builder: the book as one PDF (or one a volume), by two engines.

Read in pipeline order:

- :mod:`.faqpdf` — the builder's front: the ``sphinx.builders`` entry point
  and the engine ``faq_pdf_engine`` chooses;
- :mod:`.doctree` — the merged book doctree made fit for print (both engines);
- :mod:`.parts` — the book's parts: its chapters, and volumes of them;
- :mod:`.workers` — the worker processes that lay parts out side by side;
- :mod:`.join` — the parts' PDFs joined into one book (pikepdf);
- one sub-package a layout engine, each with what only it needs beside it:
  :mod:`.typst` (the builder, the compiler, the book template) and
  :mod:`.weasyprint` (the builder, the layout, its print template and
  stylesheet, and its guarded patches of WeasyPrint in
  :mod:`.weasyprint.upstream`).
"""
