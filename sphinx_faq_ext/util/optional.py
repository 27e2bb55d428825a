"""Optional dependencies: imported only where they are used, missing ones named once.

``pip install sphinx-faq-ext`` alone builds html, epub, LaTeX, text, man and
gettext; the ``faqpdf`` builder needs the ``pdf`` extra (WeasyPrint, and
pikepdf to join a book laid out chapter by chapter).  No module of the
package imports them at its top: a builder that needs one calls
:func:`import_optional` when it starts, so that a missing package stops the
build with one Sphinx error naming the extra to install, not a traceback.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from sphinx.errors import SphinxError

if TYPE_CHECKING:
    from types import ModuleType

#: The distribution name users install.
DISTRIBUTION = "sphinx-faq-ext"
#: Every optional package the code imports, and the extra that brings it.
#: ``tests/test_install.py`` checks that no module imports one at its top.
OPTIONAL = {"weasyprint": "pdf", "pikepdf": "pdf", "pydyf": "pdf", "typst": "pdf"}


class MissingExtraError(SphinxError):
    """An optional dependency (an extra of the package) is missing or cannot load."""

    category = "Missing dependency"


def install_line(extra: str) -> str:
    """The command that installs *extra*: ``python -m pip install "sphinx-faq-ext[pdf]"``."""
    return f'python -m pip install "{DISTRIBUTION}[{extra}]"'


def import_optional(module: str, needed_by: str, hint: str = "") -> ModuleType:
    """Import *module*, or raise :class:`MissingExtraError` naming its extra.

    *needed_by* says what needs it (``"the faqpdf builder"``); *hint* is added
    to the message (a system library the package loads, for instance).
    ``OSError`` counts as missing too: WeasyPrint raises it when Pango cannot
    be loaded.
    """
    try:
        return importlib.import_module(module)
    except (ImportError, OSError) as error:
        extra = OPTIONAL.get(module.partition(".")[0], "pdf")
        message = (
            f"{needed_by} needs {module}, which could not be loaded ({error}). "
            f"Install it with: {install_line(extra)}"
        )
        raise MissingExtraError(message + (f" ({hint})" if hint else "")) from error
