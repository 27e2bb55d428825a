"""Code highlighting styles that stay readable on the theme's code background.

Pygments' ``default`` and ``github-dark`` styles have token colours below the
WCAG AA contrast of 4.5:1 on our code blocks (axe-core reports them).  These
styles are the same palettes with each colour that falls short pushed darker
(light style) or lighter (dark style) until it passes.  ``theme.toml`` names
them by dotted path, which Sphinx imports.
"""

from __future__ import annotations

import re

from pygments.style import Style, StyleMeta
from pygments.styles import get_style_by_name

#: The ``--faq-code-bg`` colours of faq-theme.css (light, dark): keep in step.
LIGHT_CODE_BACKGROUND = "#f2efe8"
DARK_CODE_BACKGROUND = "#24262b"
#: A little above WCAG AA's 4.5 so rounding never drops a colour below it.
MIN_CONTRAST = 4.6

_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""
    a, b = _luminance(_rgb(foreground)), _luminance(_rgb(background))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def readable(colour: str, background: str) -> str:
    """*colour*, mixed towards black or white until it reads on *background*."""
    target = 0.0 if _luminance(_rgb(background)) > 0.5 else 1.0
    rgb = _rgb(colour)
    for step in range(21):
        mix = step / 20
        mixed = tuple(c + (target - c) * mix for c in rgb)
        candidate = "#" + "".join(f"{round(c * 255):02x}" for c in mixed)
        if contrast(candidate, background) >= MIN_CONTRAST:
            return candidate
    return "#000000" if target == 0.0 else "#ffffff"


def accessible_style(base: str, background: str) -> StyleMeta:
    """Pygments style *base* on *background*, every text colour readable."""
    source = get_style_by_name(base)
    styles = {}
    for token, definition in source.styles.items():
        # Only foreground colours ("#rrggbb"); "bg:#…" and "border:#…" stay.
        styles[token] = re.sub(
            r"(?<![:\w])" + _COLOUR.pattern,
            lambda match: readable(match.group(0), background),
            definition,
        )
    return StyleMeta(
        f"Faq{base.title().replace('-', '')}Style",
        (Style,),
        {"background_color": background, "styles": styles,
         "highlight_color": source.highlight_color},
    )


#: ``pygments_style`` of the theme (light mode).
FaqLightStyle = accessible_style("default", LIGHT_CODE_BACKGROUND)
#: ``pygments_dark_style`` of the theme (dark mode).
FaqDarkStyle = accessible_style("github-dark", DARK_CODE_BACKGROUND)
