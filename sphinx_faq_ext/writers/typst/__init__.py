"""The Typst translator: a merged book doctree as Typst markup.

Written with the discipline of Sphinx's LaTeX writer:

* every string from the book reaches Typst through
  :func:`~sphinx_faq_ext.writers.typst.markup.escape` (markup) or
  :func:`~sphinx_faq_ext.writers.typst.markup.string` (code);
* every docutils and Sphinx node has a visitor here (Sphinx's translators
  dispatch along the node's class hierarchy, so a Sphinx node subclassing
  ``inline`` or ``paragraph`` is rendered as one); sphinx-design's nodes are
  made readable (a tab's label as a heading line, a dropdown open, icons
  left out); our own ``faq`` nodes' visitors are registered in
  ``writers/__init__.py`` with ``typst=(visit, depart)`` and live in
  :mod:`sphinx_faq_ext.writers.typst.faq`;
* a node nobody knows gives one located ``faq.typst`` warning a node class,
  and its text is kept — never a crash, never lost text.

The markup calls the functions of the book template
(``builders/pdf/typst/template/faq-book.typ``: ``faq-quote``, ``faq-admonition``,
``faq-page`` …) rather than spelling the layout out, so a book restyles its
PDF in Typst without touching Python.

Labels: a docutils id becomes a Typst label only when something links to it
(:attr:`~.translator.TypstTranslator.targets`); a link whose target the book does not
print gets a label at the end of the book and a warning, as Typst refuses
a link to a missing label.

The package itself imports nothing: ``writers/__init__.py`` registers our
nodes' visitors from :mod:`.faq` in every build, and only the ``faqpdf``
builder of the Typst engine imports the translator
(:mod:`sphinx_faq_ext.writers.typst.translator`) and its visitor modules.
"""
