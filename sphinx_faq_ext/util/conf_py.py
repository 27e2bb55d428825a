"""Where ``conf.py`` sets a value, for warnings about it."""

from __future__ import annotations

import re
from pathlib import Path


def conf_location(confdir: str | Path | None, name: str) -> str | None:
    """Where ``conf.py`` sets *name*, as a warning location (``path:line``).

    Without that line (a ``-D`` override), ``path:``; without ``conf.py``, None.
    """
    if not confdir:
        return None
    path = Path(confdir, "conf.py")
    try:
        lines = path.read_text("utf8").splitlines()
    except OSError:
        return None
    assignment = re.compile(rf"{re.escape(name)}\s*(:[^=]*)?=")
    line = next((n for n, text in enumerate(lines, 1) if assignment.match(text)), "")
    return f"{path}:{line}"
