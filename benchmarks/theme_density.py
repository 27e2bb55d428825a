"""How tall an autodoc page is with our theme and with furo, measured in Chromium.

    python benchmarks/theme_density.py [--widths 1280,1920] [--keep DIR]

Builds the same API reference pages twice, once with ``html_theme =
"sphinx_faq_ext"`` and once with ``"furo"``, opens each page in headless
Chromium (Debian's, or ``FAQ_CHROMIUM``) at each width and prints the page
heights as a Markdown table for docs/reference/theme.md.  A shorter page shows
the same content in less scrolling: the figure issue 22 asks to keep at or
below furo's at 1280 px.

The pages: the test project's ``bookshelf_api`` module
(tests/roots/test-theme-api: long signatures, field lists, exceptions) and
``sphinx.application``, a real module with long docstrings.

furo is a measuring stick, not a dependency: install it into the virtualenv
you measure in (``pip install furo``).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
API_ROOT = REPO / "tests" / "roots" / "test-theme-api"
CHROMIUM = os.environ.get("FAQ_CHROMIUM", "/usr/bin/chromium")
THEMES = ("sphinx_faq_ext", "furo")

CONF = """\
import sys
sys.path.insert(0, {api_root!r})
project = "Density"
extensions = ["sphinx.ext.autodoc"]
html_theme = {theme!r}
autodoc_member_order = "bysource"
"""

#: Page name -> its source: the same on both themes.
PAGES = {
    "bookshelf": "Bookshelf API\n=============\n\n.. automodule:: bookshelf_api\n"
                 "   :members:\n   :special-members: __init_subclass__\n",
    "application": "sphinx.application\n==================\n\n"
                   ".. automodule:: sphinx.application\n   :members:\n",
}


def build(theme: str, folder: Path) -> Path:
    """Build :data:`PAGES` with *theme* in *folder*; return the HTML folder."""
    from sphinx_faq_ext.testing import build, write_project

    toctree = "\n".join(f"   {name}" for name in PAGES)
    files = {"index.rst": f"Density\n=======\n\n.. toctree::\n\n{toctree}\n",
             **{f"{name}.rst": text for name, text in PAGES.items()}}
    src = write_project(folder / "src", files,
                        conf=CONF.format(api_root=str(API_ROOT), theme=theme))
    built = build(src, "html", builddir=folder / "build")
    if built.status:
        sys.exit(f"building with {theme} failed ({built.status}):\n{built.warnings}")
    return built.outdir


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log."""


def heights(sites: dict[str, Path], widths: list[int]) -> dict[tuple[str, str, int], int]:
    """Page height in CSS px of each page of each site at each width."""
    from playwright.sync_api import sync_playwright

    served = Path(tempfile.mkdtemp(prefix="density-www-"))
    for theme, outdir in sites.items():
        (served / theme).symlink_to(outdir, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    found = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=["--no-sandbox", "--disable-gpu"])
            for theme in sites:
                for width in widths:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    for name in PAGES:
                        page.goto(f"{base}/{theme}/{name}.html")
                        page.wait_for_load_state("load")
                        found[theme, name, width] = page.evaluate(
                            "document.documentElement.scrollHeight")
                    page.close()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(served, ignore_errors=True)
    return found


def main(argv: list[str] | None = None) -> int:
    """Build, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--widths", default="1280,1920")
    parser.add_argument("--keep", type=Path, help="build here and keep the output")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("furo") is None:
        sys.exit("furo is not installed here: pip install furo (for measuring only)")
    widths = [int(w) for w in args.widths.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="density-"))
    try:
        sites = {theme: build(theme, folder / theme) for theme in THEMES}
        found = heights(sites, widths)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print("| page | width | sphinx_faq_ext | furo | ours / furo |")
    print("|---|---:|---:|---:|---:|")
    for name in PAGES:
        for width in widths:
            ours, theirs = found["sphinx_faq_ext", name, width], found["furo", name, width]
            print(f"| {name} | {width} px | {ours:,} px | {theirs:,} px | {ours / theirs:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
