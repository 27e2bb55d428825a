"""markdown-it-py's private API: ``Ruler.__cache__``, a ruler's compiled chain.

MyST's markdown-it instance is asked which rules it runs at every note of a
book (:func:`sphinx_faq_ext.util.upstream.myst.myst_plain_inline`); the
compiled chains tell cheaply whether that answer can have changed.
"""

from __future__ import annotations

from typing import Any


def compiled_chains(md: Any) -> tuple[Any, ...] | None:
    """markdown-it's compiled rule chains (``Ruler.__cache__``), None if one is not.

    Switching a rule on or off (as MyST does around some parses, for
    ``myst_preserve_newline``) drops a ruler's chain; the next parse compiles a
    new one.  The same chain objects therefore mean the same active rules.
    """
    try:
        chains = tuple(ruler.__cache__ for ruler in (
            md.core.ruler, md.block.ruler, md.inline.ruler, md.inline.ruler2))
    except AttributeError:
        return None
    return None if any(chain is None for chain in chains) else chains
