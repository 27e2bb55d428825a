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
  ``md_env``.
* markdown-it-py (:mod:`.markdown_it`): ``Ruler.__cache__``, the compiled
  rule chains.
* WeasyPrint and pydyf: beside the engine that needs them, in
  :mod:`sphinx_faq_ext.builders.pdf.weasyprint.upstream` (imported only by the
  ``faqpdf`` builder's WeasyPrint engine), which lists its uses.

This module holds what they all share: the warning, the digest of upstream
code, and the digests and versions last reviewed.
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: sha256 of the upstream functions we copy or wrap, as last reviewed.
#: ``tests/test_upstream.py`` compares them with the installed code.
#: A mismatch does not stop the helper (it checks the exact shape it needs
#: at run time); it tells a developer to review the helper against the change.
REVIEWED_SOURCES: dict[str, str] = {
    # WeasyPrint 70.0
    "weasyprint.layout.block._linebox_layout":
        "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d",
    "weasyprint.pdf.tags._build_box_tree":
        "f716251a83e7096e9cae972b63e633aab21c664d200582166dd0d5096780f9c4",
    "weasyprint.layout.page.make_page":
        "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
    "weasyprint.layout.layout_document":
        "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
    "weasyprint.layout.LayoutContext._update_footnote_area":
        "0fcc68f3897d5ef0d681d0c7105373ebcea7a030729ce1981a7b2734f32962b5",
    "weasyprint.images.RasterImage.__init__":
        "867c9403e439c2b6b4bf9870a9aaeaa45ce50a4102e9bb080cf8d63a94d19ca9",
    # pydyf 0.13.0 (the getter of the property)
    "pydyf.PDF.page_references":
        "3175bae9885c04002ce255130a135c27ba05233eab15fa2eb9b6caaea0e45865",
}

#: The versions whose code :data:`REVIEWED_SOURCES` fingerprints.  An older
#: one (``nox -s tests_oldest`` installs the floors) has other code, which the
#: helpers' own shape checks cover; the digests are compared from these on.
REVIEWED_VERSIONS: dict[str, str] = {"weasyprint": "70.0", "pydyf": "0.13.0"}

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
