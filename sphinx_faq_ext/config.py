"""The ``faq_*`` configuration values, validated once on ``config-inited``."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinx_faq_ext.util.conf_py import conf_location

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

NOTES_STYLES = ("endnotes", "footnotes", "inline")
REF_STYLES = ("number", "number-title", "title")

#: Named book page sizes for ``faq_latex_page_size`` (width, height).
PAGE_SIZES: dict[str, tuple[str, str]] = {
    "a5": ("148mm", "210mm"),
    "b5": ("176mm", "250mm"),
    "a4": ("210mm", "297mm"),
    "letter": ("8.5in", "11in"),
    "6x9in": ("6in", "9in"),
    "royal": ("156mm", "234mm"),
}
DEFAULT_PAGE_SIZE = "A5"
#: Characters a line (Bringhurst's 45-75, 66 the ideal); 65 by default.
DEFAULT_MEASURE = 65
#: Our pybtex style (:mod:`sphinx_faq_ext.transforms.pybtex_style`).
DEFAULT_CITE_STYLE = "faq-notes"
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")

#: Used when ``faq_notes_style`` does not name the builder: print media get
#: real footnotes, screens and e-readers get per-question endnotes.
DEFAULT_NOTES_STYLES: dict[str, str] = {
    "latex": "footnotes",
    "faqpdf": "footnotes",
    "default": "endnotes",
}


def setting(name: str, default: Any, rebuild: str, *types: type) -> dict[str, Any]:
    """Field metadata declaring the ``conf.py`` value a :class:`FaqConfig` field holds."""
    return {"name": name, "default": default, "rebuild": rebuild, "types": frozenset(types)}


_NONE = type(None)


@dataclass(frozen=True)
class FaqConfig:
    """Validated view of the ``faq_*`` values of ``conf.py``.

    Each field declares its ``conf.py`` value (name, default, what a change
    rebuilds, accepted types): :func:`setup_config` registers exactly these.
    """

    notes_style: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_NOTES_STYLES),
        metadata=setting("faq_notes_style", None, "env", str, dict, _NONE),
    )
    ref_style: str = field(
        default="number", metadata=setting("faq_ref_style", "number", "env", str)
    )
    note_marker: str = field(
        default="[{number}]", metadata=setting("faq_note_marker", "[{number}]", "env", str)
    )
    #: pybtex style of a work's first ``faq:cite`` note in a question.
    cite_style: str = field(
        default=DEFAULT_CITE_STYLE,
        metadata=setting("faq_cite_style", DEFAULT_CITE_STYLE, "env", str),
    )
    #: Whether later notes citing the same work use the short form.
    cite_short: bool = field(default=True, metadata=setting("faq_cite_short", True, "env", bool))
    #: EPUB Accessibility metadata set in ``conf.py`` (property -> values),
    #: over the builder's defaults (:data:`EPUB_ACCESSIBILITY_DEFAULTS`).
    epub_accessibility: dict[str, tuple[str, ...]] = field(
        default_factory=dict,
        metadata=setting("faq_epub_accessibility", None, "epub", dict, _NONE),
    )
    #: The LaTeX book page, width and height as TeX lengths; ``None`` leaves
    #: the page to Sphinx (``latex_elements["papersize"]``).  Only the .tex
    #: changes, not the doctrees.
    latex_page: tuple[str, str] | None = field(
        default=PAGE_SIZES["a5"],
        metadata=setting("faq_latex_page_size", DEFAULT_PAGE_SIZE, "", str, _NONE),
    )
    #: The LaTeX measure: average characters a line of body text.
    latex_measure: int = field(
        default=DEFAULT_MEASURE,
        metadata=setting("faq_latex_measure", DEFAULT_MEASURE, "", int),
    )
    #: The WeasyPrint book (``faqpdf``): file name (``None``: from the project).
    pdf_filename: str | None = field(
        default=None, metadata=setting("faq_pdf_filename", None, "", str, _NONE)
    )
    #: Title page title (``None``: the project) and subtitle.
    pdf_title: str | None = field(
        default=None, metadata=setting("faq_pdf_title", None, "", str, _NONE)
    )
    pdf_subtitle: str = field(default="", metadata=setting("faq_pdf_subtitle", "", "", str))
    #: CSS ``@page`` size of the WeasyPrint book.
    pdf_page_size: str = field(
        default="A5", metadata=setting("faq_pdf_page_size", "A5", "", str)
    )
    #: Section levels in the printed contents.
    pdf_toc_depth: int = field(default=2, metadata=setting("faq_pdf_toc_depth", 2, "", int))
    #: The user's stylesheets, linked after ours.
    pdf_css: tuple[str, ...] = field(
        default=(), metadata=setting("faq_pdf_css", [], "", list, tuple)
    )
    #: The book in volumes: 0 (one PDF), a number of volumes of about equal
    #: length, or the chapters (docnames) of each volume.
    pdf_volumes: int | tuple[tuple[str, ...], ...] = field(
        default=0, metadata=setting("faq_pdf_volumes", 0, "", int, list, tuple)
    )
    #: Lay a book of two or more chapters out chapter by chapter, in child
    #: processes (``-j`` at once), and join the PDFs; False: one layout.
    pdf_by_chapter: bool = field(
        default=True, metadata=setting("faq_pdf_by_chapter", True, "", bool)
    )
    #: The faqpdf engine: ``"typst"`` (the default) or ``"weasyprint"``;
    #: checked when the builder is chosen (``builders/pdf/faqpdf.py``).
    pdf_engine: str = field(
        default="typst", metadata=setting("faq_pdf_engine", "typst", "", str)
    )
    #: Typst files (relative to ``conf.py``) imported after the book template:
    #: what they define replaces the template's functions.
    pdf_typst: tuple[str, ...] = field(
        default=(), metadata=setting("faq_pdf_typst", [], "", list, tuple)
    )
    #: Folders of fonts (relative to ``conf.py``) for the Typst engine, beside
    #: the fonts built into Typst; system fonts are not used (reproducible).
    pdf_fonts: tuple[str, ...] = field(
        default=(), metadata=setting("faq_pdf_fonts", [], "", list, tuple)
    )
    #: The Typst book's measure: average characters a line.
    pdf_measure: int = field(
        default=DEFAULT_MEASURE, metadata=setting("faq_pdf_measure", DEFAULT_MEASURE, "", int)
    )

    def notes_style_for(self, builder_name: str) -> str:
        """The notes style in force for the builder called *builder_name*."""
        return self.notes_style.get(
            builder_name, self.notes_style.get("default", "endnotes")
        )

    def marker(self, number: int) -> str:
        """The visible text of note marker *number* (``[2]`` by default)."""
        return self.note_marker.format(number=number)


#: What an FAQ book is unless ``faq_epub_accessibility`` says otherwise
#: (EPUB Accessibility 1.1, schema.org properties).  ``visual`` joins the
#: access modes when the book holds images; the summary is translated.
EPUB_ACCESSIBILITY_DEFAULTS: dict[str, tuple[str, ...]] = {
    "accessMode": ("textual",),
    "accessModeSufficient": ("textual",),
    "accessibilityFeature": ("structuralNavigation", "tableOfContents", "readingOrder"),
    "accessibilityHazard": ("none",),
}
#: The properties ``faq_epub_accessibility`` accepts: the schema.org ones,
#: plus the conformance claim (``dcterms:conformsTo``) and its certifier.
EPUB_ACCESSIBILITY_KEYS = (
    "accessMode", "accessModeSufficient", "accessibilityFeature", "accessibilityHazard",
    "accessibilitySummary", "conformsTo", "certifiedBy",
)
#: schema.org vocabularies EPUBCheck and Ace know; other values are typos.
ACCESS_MODES = frozenset({
    "auditory", "chartOnVisual", "chemOnVisual", "colorDependent", "diagramOnTactile",
    "diagramOnVisual", "mathOnVisual", "musicOnVisual", "tactile", "textOnVisual", "textual",
    "visual",
})
ACCESSIBILITY_HAZARDS = frozenset({
    "flashing", "noFlashingHazard", "unknownFlashingHazard", "motionSimulation",
    "noMotionSimulationHazard", "unknownMotionSimulationHazard", "sound", "noSoundHazard",
    "unknownSoundHazard", "none", "unknown",
})


def _warn(message: str, subtype: str) -> None:
    logger.warning(message, type="faq", subtype=subtype)


def _validated_notes_style(value: Any) -> dict[str, str]:
    styles = dict(DEFAULT_NOTES_STYLES)
    if value is None:
        return styles
    if isinstance(value, str):
        value = {"default": value, "latex": value, "faqpdf": value}
    if not isinstance(value, dict):
        _warn(
            f"faq_notes_style must be a string or a dict of builder name -> style, "
            f"not {type(value).__name__}; using the defaults",
            "config",
        )
        return styles
    for builder, style in value.items():
        if style not in NOTES_STYLES:
            _warn(
                f"faq_notes_style[{builder!r}] = {style!r} is not one of "
                f"{', '.join(NOTES_STYLES)}; ignored",
                "config",
            )
            continue
        styles[str(builder)] = style
    return styles


def build_faq_config(config: Config, location: str | None = None) -> FaqConfig:
    """Validate the raw values and return a :class:`FaqConfig`.

    *location* (``conf.py``, :func:`conf_location`) is given to the warnings
    about ``faq_pdf_volumes``, which the builder checks further.
    """
    ref_style = config.faq_ref_style
    if ref_style not in REF_STYLES:
        _warn(
            f"faq_ref_style = {ref_style!r} is not one of {', '.join(REF_STYLES)}; "
            f"using 'number'",
            "config",
        )
        ref_style = "number"
    marker = config.faq_note_marker
    try:
        marker.format(number=1)
    except (KeyError, IndexError, ValueError, AttributeError):
        _warn(
            f"faq_note_marker = {marker!r} must be a format string using "
            f"{{number}}; using '[{{number}}]'",
            "config",
        )
        marker = "[{number}]"
    return FaqConfig(
        notes_style=_validated_notes_style(config.faq_notes_style),
        ref_style=ref_style,
        note_marker=marker,
        cite_style=_validated_cite_style(config.faq_cite_style),
        cite_short=bool(config.faq_cite_short),
        epub_accessibility=_validated_epub_accessibility(config.faq_epub_accessibility),
        latex_page=_validated_page_size(config.faq_latex_page_size),
        latex_measure=_validated_measure(config.faq_latex_measure),
        pdf_filename=config.faq_pdf_filename,
        pdf_title=config.faq_pdf_title,
        pdf_subtitle=config.faq_pdf_subtitle,
        pdf_page_size=config.faq_pdf_page_size,
        pdf_toc_depth=config.faq_pdf_toc_depth,
        pdf_css=_validated_css(config.faq_pdf_css),
        pdf_volumes=_validated_volumes(config.faq_pdf_volumes, location),
        pdf_by_chapter=bool(config.faq_pdf_by_chapter),
        pdf_engine=str(config.faq_pdf_engine),
        pdf_typst=_validated_paths(config.faq_pdf_typst, "faq_pdf_typst"),
        pdf_fonts=_validated_paths(config.faq_pdf_fonts, "faq_pdf_fonts"),
        pdf_measure=_validated_measure(config.faq_pdf_measure, "faq_pdf_measure"),
    )


def _validated_volumes(value: Any, location: str | None) -> int | tuple[tuple[str, ...], ...]:
    """0, a number of volumes (2 or more), or two or more lists of docnames."""
    if isinstance(value, int) and not isinstance(value, bool) and (value == 0 or value >= 2):
        return value
    if (
        isinstance(value, list | tuple) and len(value) >= 2
        and all(isinstance(volume, list | tuple) and volume for volume in value)
        and all(isinstance(name, str) for volume in value for name in volume)
    ):
        return tuple(tuple(volume) for volume in value)
    logger.warning(
        "faq_pdf_volumes = %r must be 0 (one PDF), a number of volumes (2 or more) or a "
        "list of two or more lists of chapter docnames; one PDF is written", value,
        type="faq", subtype="config", location=location,
    )
    return 0


def _validated_paths(value: Any, name: str) -> tuple[str, ...]:
    """A list of paths (strings), else nothing, with a warning."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        _warn(f"{name} must be a list of paths; ignored", "config")
        return ()
    return tuple(value)


def _validated_css(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        _warn("faq_pdf_css must be a list of stylesheet paths; ignored", "config")
        return ()
    return tuple(value)


def _accessibility_values(key: str, value: Any) -> tuple[str, ...] | None:
    """*value* as a tuple of known terms, or None (with a warning) if unusable."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        _warn(f"faq_epub_accessibility[{key!r}] must be a string or a list of strings; "
              f"using the default", "config")
        return None
    values = tuple(v.strip() for v in value if v.strip())
    if key == "accessibilitySummary" and len(values) > 1:
        _warn("faq_epub_accessibility['accessibilitySummary'] must be one string; "
              "using the first", "config")
        values = values[:1]
    vocabulary = {"accessMode": ACCESS_MODES, "accessModeSufficient": ACCESS_MODES,
                  "accessibilityHazard": ACCESSIBILITY_HAZARDS}.get(key)
    if vocabulary is None:
        return values
    kept = []
    for term in values:
        # accessModeSufficient lists sets of modes: "textual,visual"
        unknown = [m for m in term.split(",") if m.strip() not in vocabulary]
        if unknown:
            _warn(f"faq_epub_accessibility[{key!r}]: {', '.join(map(repr, unknown))} is not "
                  f"one of {', '.join(sorted(vocabulary))}; ignored", "config")
            continue
        kept.append(",".join(m.strip() for m in term.split(",")))
    return tuple(kept)


def _validated_epub_accessibility(value: Any) -> dict[str, tuple[str, ...]]:
    """The ``faq_epub_accessibility`` entries that can be written to content.opf."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        _warn(f"faq_epub_accessibility must be a dict of property -> value(s), "
              f"not {type(value).__name__}; using the defaults", "config")
        return {}
    validated: dict[str, tuple[str, ...]] = {}
    for key, values in value.items():
        if key not in EPUB_ACCESSIBILITY_KEYS:
            _warn(f"faq_epub_accessibility[{key!r}] is not one of "
                  f"{', '.join(EPUB_ACCESSIBILITY_KEYS)}; ignored", "config")
            continue
        checked = _accessibility_values(key, values)
        if checked is not None:
            validated[key] = checked
    return validated


def _validated_page_size(value: Any) -> tuple[str, str] | None:
    """``"A5"``, ``"6x9in"``…, ``"148mm 210mm"``, or ``None`` (Sphinx's page)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        named = PAGE_SIZES.get(value.strip().lower())
        if named is not None:
            return named
        parts = value.split()
        if len(parts) == 2 and all(_LENGTH.match(part) for part in parts):
            return parts[0], parts[1]
    _warn(
        f"faq_latex_page_size = {value!r} is not one of "
        f"{', '.join(PAGE_SIZES)}, two lengths such as '6in 9in', or None; "
        f"using {DEFAULT_PAGE_SIZE!r}",
        "config",
    )
    return PAGE_SIZES[DEFAULT_PAGE_SIZE.lower()]


def _validated_measure(value: Any, name: str = "faq_latex_measure") -> int:
    """A measure between 30 and 100 characters a line."""
    if isinstance(value, int) and not isinstance(value, bool) and 30 <= value <= 100:
        return value
    _warn(
        f"{name} = {value!r} must be a number of characters a line "
        f"between 30 and 100; using {DEFAULT_MEASURE}",
        "config",
    )
    return DEFAULT_MEASURE


def _validated_cite_style(style: str) -> str:
    """A pybtex formatting style that exists, else ours."""
    from pybtex.plugin import PluginNotFound, find_plugin

    # Our own style is registered by the faq:cite feature's setup
    # (sphinx_faq_ext.transforms.pybtex_style.register_notes_style).
    if style == DEFAULT_CITE_STYLE:
        return style
    try:
        find_plugin("pybtex.style.formatting", style)
    except PluginNotFound:
        _warn(f"faq_cite_style {style!r} is not a pybtex formatting style; "
              f"using {DEFAULT_CITE_STYLE!r}", "config")
        return DEFAULT_CITE_STYLE
    return style


#: The validated configuration of each application, keyed by its (weakly
#: held) :class:`~sphinx.config.Config`: one per application, gone with it,
#: and nothing is written into the user's configuration.
_VALIDATED: weakref.WeakKeyDictionary[Config, FaqConfig] = weakref.WeakKeyDictionary()


def faq_config(config: Config) -> FaqConfig:
    """The validated configuration of *config*'s application.

    Validated on ``config-inited``; validated here on first use for a
    configuration that did not go through it (a test's bare ``Config``).
    """
    validated = _VALIDATED.get(config)
    if validated is None:
        validated = _VALIDATED[config] = build_faq_config(config)
    return validated


def _on_config_inited(app: Sphinx, config: Config) -> None:
    _VALIDATED[config] = build_faq_config(config, conf_location(app.confdir, "faq_pdf_volumes"))


def setup_config(app: Sphinx) -> None:
    """Register every ``faq_*`` value declared on :class:`FaqConfig`."""
    for declared in fields(FaqConfig):
        meta = declared.metadata
        app.add_config_value(meta["name"], meta["default"], meta["rebuild"], types=meta["types"])
    app.connect("config-inited", _on_config_inited)
