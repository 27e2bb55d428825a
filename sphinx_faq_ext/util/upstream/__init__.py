"""Every use of another library's private API, one module per library.

Each helper leans on something its library does not promise to keep.  Each
checks that the thing is still there and in the shape we know (a version or a
fingerprint of the code), falls back to documented behaviour when it is not,
and then says so, once per process, with a ``faq.upstream`` (or
``faq.weasyprint``) warning (:func:`_changed`) instead of failing silently.
``tests/test_upstream.py`` fails as soon as the upstream code changes, so a
dependency update is reviewed here first.  Nothing outside this package and
the WeasyPrint engine's own (below) reads another library's private attribute
or imports its private module.

Where each library's private API is used:

* docutils (:mod:`.docutils`): ``Node._document``.
* Sphinx (:mod:`.sphinx`): ``env._app`` (8.2+), ``env._builder_cls``,
  ``Builder._app`` (9+), the LaTeX translator's ``context[-1]``,
  ``Theme._dirs``, and the type ``sphinx.builders._epub_base.NavPoint``.
* MyST-Parser (:mod:`.myst`): the ``_renderer`` of MyST's mock state and
  inliner, ``DocutilsRenderer._level_to_section``, the renderer's ``md`` and
  ``md_env``, the option tokenizer of ``myst_parser.parsers.options`` (its
  token classes; ``options_to_tokens`` replaced where
  ``myst_parser.parsers.directives`` looks it up).
* markdown-it-py (:mod:`.markdown_it`): ``Ruler.__cache__``, the compiled
  rule chains.
* WeasyPrint and pydyf: beside the engine that needs them, in
  :mod:`sphinx_faq_ext.builders.pdf.weasyprint.upstream` (imported only by the
  ``faqpdf`` builder's WeasyPrint engine), which lists its uses.

This module holds what they all share: the warning (:func:`_changed`) and the
digest of upstream code (:func:`source_digest`).
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

_warned: set[str] = set()


def _changed(what: str, consequence: str) -> None:
    """Warn (once per process) that *what* is not what we know; say what it costs."""
    if what in _warned:
        return
    _warned.add(what)
    logger.warning(
        "%s has changed upstream (sphinx-faq-ext needs an update): %s",
        what, consequence, type="faq", subtype="upstream",
    )


def source_digest(function: Any) -> str:
    """sha256 of *function*'s source, dedented ("" if it has none)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode("utf8")).hexdigest()
