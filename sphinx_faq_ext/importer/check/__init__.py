"""Stage 4, check: what happened, and proof that nothing was lost.

Takes the counts and uncertain decisions of every stage and gives the import
report (:mod:`.report`, ``_import/report.md`` and ``.json``); takes each
question's text straight from the source page at import time and, after
``sphinx-build -b html``, compares it with the built page (:mod:`.fidelity`,
``sphinx-faq-ext check``).
"""
