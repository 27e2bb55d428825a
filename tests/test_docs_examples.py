"""Every example in the documentation builds, as written, with ``-W`` and no warning.

The convention (docs/*.md, any folder depth):

* every fenced block whose language is ``md`` or ``rst`` is an example, and is built;
* an HTML comment on the line just before a block says how:

  - none: the block is a document on its own.  It is built as ``index.md`` (or
    ``index.rst``) after a short context: the questions ``A``, ``A.2`` and
    ``A.2.6`` it does not define itself, so that parents and references exist;
  - ``<!-- example: in-question -->``: the block is a fragment of an answer
    (a note, a quote, a reference); it is built inside question ``A.2.6``;
  - ``<!-- example: file NAME -->``: the block is the file ``NAME`` of a whole
    project (the tutorial); a ``<!-- example: run -->`` shell block of the same
    page gives the ``sphinx-build`` commands, run as written plus ``-W``;
  - ``<!-- example: skip REASON -->``: not built (a reason is required).

Any other comment, a ``file`` block without a ``run`` block, or an example that
warns fails this test.  The conf of a non-tutorial example is the documentation's
own extensions (MyST with ``colon_fence``, sphinxcontrib-bibtex with
``docs/refs.bib``).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DOCS, REPO, warnings_of
from external_tools import need_module, python

if TYPE_CHECKING:
    from conftest import MakeProject

FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.S | re.M,
)
ANNOTATION = re.compile(r"<!--\s*example:\s*(?P<kind>[\w-]+)\s*(?P<arg>.*?)\s*-->\s*$")
KINDS = {"in-question", "file", "run", "skip"}


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    body: str
    kind: str  # "document" when not annotated
    arg: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(DOCS)}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        if "_build" in page.parts:
            continue
        text = page.read_text("utf8")
        for match in FENCE.finditer(text):
            before = text[: match.start()].rstrip("\n").rpartition("\n")[2]
            note = ANNOTATION.search(before)
            lang = match["lang"]
            if note is None and lang not in ("md", "rst"):
                continue
            kind, arg = (note["kind"], note["arg"]) if note else ("document", "")
            found.append(Block(page, text[: match.start()].count("\n") + 1, lang,
                               match["body"], kind, arg))
    return found


BLOCKS = blocks()
EXAMPLES = [b for b in BLOCKS if b.kind in ("document", "in-question")]

CONF = f"""\
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_faq_ext"]
myst_enable_extensions = ["colon_fence", "deflist"]
bibtex_bibfiles = [{str(DOCS / "refs.bib")!r}]
exclude_patterns = ["_build"]
show_warning_types = True
"""
CONTEXT = {"A": "What is anarchism?", "A.2": "What does anarchism stand for?",
           "A.2.6": "Why is solidarity important to anarchists?"}


def question(lang: str, number: str, title: str, body: str) -> str:
    if lang == "md":
        fence = ":" * (3 + max((len(m) for m in re.findall(r"^:{3,}", body, re.M)), default=0))
        return f"{fence}{{faq:question}} {title}\n:number: {number}\n\n{body}\n{fence}\n\n"
    indented = "\n".join(f"   {line}" if line.strip() else "" for line in body.splitlines())
    return f".. faq:question:: {title}\n   :number: {number}\n\n{indented}\n\n"


def document(block: Block) -> str:
    defined = set(re.findall(r"^\s*:number:\s*(\S+)", block.body, re.M))
    wrap = block.kind == "in-question"
    text = "# Example\n\n" if block.lang == "md" else "Example\n=======\n\n"
    for number, title in CONTEXT.items():
        if number in defined or (wrap and number == "A.2.6"):
            continue
        text += question(block.lang, number, title, "Context.")
    if wrap:
        return text + question(block.lang, "A.2.6", CONTEXT["A.2.6"], block.body)
    return text + block.body


def test_every_example_block_is_covered() -> None:
    problems = []
    for block in BLOCKS:
        if block.kind not in KINDS | {"document"}:
            problems.append(f"{block.name}: unknown example kind {block.kind!r}")
        if block.kind == "skip" and not block.arg:
            problems.append(f"{block.name}: 'example: skip' needs a reason")
        if block.kind == "file" and not any(
            b.page == block.page and b.kind == "run" for b in BLOCKS
        ):
            problems.append(f"{block.name}: a file of a project that no 'run' block builds")
    assert problems == []
    assert len(EXAMPLES) >= 15  # the reference pages' examples are found


@pytest.mark.parametrize("block", EXAMPLES, ids=lambda b: b.name)
def test_example_builds_without_warnings(make_project: MakeProject, block: Block) -> None:
    app = make_project({"conf.py": CONF, f"index.{block.lang}": document(block)},
                       warningiserror=False)
    app.build()
    warnings = warnings_of(app).strip()
    assert warnings == "", f"{block.name}:\n{document(block)}\n{warnings}"
    assert app.statuscode == 0


def projects() -> list[Path]:
    return sorted({b.page for b in BLOCKS if b.kind == "run"})


@pytest.mark.parametrize("page", projects(), ids=lambda p: str(p.relative_to(DOCS)))
def test_tutorial_project_builds_as_written(tmp_path: Path, page: Path) -> None:
    project = tmp_path / "book"
    project.mkdir()
    runs = []
    for block in BLOCKS:
        if block.page != page:
            continue
        if block.kind == "file":
            (project / block.arg).write_text(block.body, "utf8")
        elif block.kind == "run":
            runs.extend(line.split("#")[0].strip() for line in block.body.splitlines())
    commands = [shlex.split(line) for line in runs if line.startswith("sphinx-build")]
    assert commands, "the run block holds no sphinx-build command"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    for command in commands:
        if "faqpdf" in command:
            need_module("weasyprint")
        # Literally as written, run from the project folder, plus -W.
        done = python("-m", "sphinx", "-W", *command[1:], cwd=project, env=env)
        assert "WARNING" not in done.stderr, (command, done.stderr)
        assert "WARNING" not in done.stdout, (command, done.stdout[-3000:])
    html = (project / "_build" / "html" / "section-a.html").read_text("utf8")
    assert "A.2.6" in html and "Anarchy" in html
    assert list((project / "_build" / "epub").glob("*.epub"))
    shutil.rmtree(project / "_build")
