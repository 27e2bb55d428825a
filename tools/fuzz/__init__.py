"""The fuzz harness of sphinx-faq-ext: hostile documents through every builder.

Three parts, each readable alone, imported in pipeline order:

* :mod:`.generator` — hypothesis strategies that draw FAQ documents using
  every directive, role and option of the ``faq`` domain with hostile values,
  and the writer that turns one into MyST or reStructuredText with a unique
  token in every piece of text;
* :mod:`.checks` — what a finished build is examined for (crashes, lost
  tokens, unlocated warnings, wrong HTML) and the known bugs;
* :mod:`.runner` — the documents in batches through every builder (the
  tests' one way of building), crashes pinned on their documents, a report.

:mod:`.__main__` is the command line (``python -m tools.fuzz``, or
``nox -s fuzz``); ``tests/test_fuzz.py`` runs a quick profile of it.
"""

from . import checks, generator, runner

__all__ = ["checks", "generator", "runner"]
