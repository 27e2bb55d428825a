"""Doctree regression files: a MyST and an rST snippet, before and after post-transforms.

A change to what the extension puts in the doctree shows as a readable diff of
``tests/data/doctrees/*.txt``.  After an intended change, regenerate them with
``FAQ_UPDATE_DOCTREES=1 pytest tests/test_doctree_regression.py`` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import DATA

if TYPE_CHECKING:
    from conftest import MakeProject

EXPECTED = DATA / "doctrees"
UPDATE = os.environ.get("FAQ_UPDATE_DOCTREES", "") not in ("", "0")

MYST = """\
# Snippet

::::{faq:question} What is it?
:number: A

Intro.{faq:note}`Note of *A*`

:::{faq:question} Why?
:number: A.1

Because. See {faq:ref}`A`.

```{faq:quote}
:author: Errico Malatesta
:source: Anarchy
:page: 33

Quoted text.
```

## A heading inside the answer

Text.{faq:note}`Second`
:::
::::

```{faq:index}
```

```{faq:sources}
```
"""

RST = """\
Snippet
=======

.. faq:question:: What is it?
   :number: A

   Intro.\\ :faq:note:`Note of *A*`

   .. faq:question:: Why?
      :number: A.1

      Because. See :faq:ref:`A`.

      .. faq:quote::
         :author: Errico Malatesta
         :source: Anarchy
         :page: 33

         Quoted text.

.. faq:index::

.. faq:sources::
"""


def without_srcdir(text: str, srcdir: Path) -> str:
    """A doctree's pformat text with the build's temporary source path as ``<srcdir>``.

    Boolean attributes are written as docutils 0.22 writes them (``0``/``1``;
    0.21, the newest Sphinx 7.4 allows, writes ``False``/``True``), so the
    regression files hold for the oldest supported versions too.
    """
    text = text.replace('="False"', '="0"').replace('="True"', '="1"')
    return text.replace(str(srcdir), "<srcdir>")


@pytest.mark.parametrize(("name", "filename", "source"), [
    ("myst", "snippet.md", MYST),
    ("rst", "snippet.rst", RST),
])
def test_doctree_before_and_after_post_transforms(
    make_project: MakeProject, name: str, filename: str, source: str
) -> None:
    index = "Index\n=====\n\n.. toctree::\n\n   snippet\n"
    app = make_project({filename: source, "index.rst": index})
    app.build()
    stages = {
        "read": app.env.get_doctree("snippet"),
        "resolved": app.env.get_and_resolve_doctree("snippet", app.builder),
    }
    for stage, tree in stages.items():
        path = EXPECTED / f"{name}-{stage}.txt"
        actual = without_srcdir(tree.pformat(), app.srcdir)
        if UPDATE or not path.exists():
            path.write_text(actual, encoding="utf8")
            if not UPDATE:
                pytest.fail(f"{path} did not exist; written, check it in")
        expected = path.read_text(encoding="utf8")
        assert actual == expected, f"doctree of {name} ({stage}) changed: see {path}"
