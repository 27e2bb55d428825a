"""Stage 1, read: source files in, pages of the :mod:`..model` out.

Takes an HTML page (:mod:`.html_reader`, over the forgiving tree of
:mod:`.dom`) or a plain-text FAQ (:mod:`.text_reader`); gives a
:class:`~sphinx_faq_ext.importer.model.page.Page` of blocks and inline runs,
every block with its source line, the web site's navigation dropped and
counted, and the page's element tree (from which :mod:`..check` later takes
each question's source text).  Nothing here knows about questions, quotes or
the book's order: that is the recognise stage.
"""
