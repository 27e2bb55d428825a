"""The WeasyPrint engine (``faq_pdf_engine = "weasyprint"``): the book as print HTML.

:mod:`.builder` writes the book as HTML with the print template and
stylesheet of ``static/``; :mod:`.layout` lays it out with WeasyPrint (in the
build or in a worker process); :mod:`.chapters` lays a book out chapter by
chapter and settles page numbers across chapters; :mod:`.upstream` holds the
guarded patches of WeasyPrint's private code.
"""
