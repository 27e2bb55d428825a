"""The package is layered as the pipeline it runs; imports only point down.

Reads every module's imports (including those inside functions, under
``TYPE_CHECKING``, and relative ones) so that the layering stays true as the code changes.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import sphinx_faq_ext

if TYPE_CHECKING:
    from docutils.transforms import Transform

PACKAGE = Path(sphinx_faq_ext.__file__).parent

#: Layers, lowest first.  A module may import its own layer and lower ones.
#: ``base`` is what anything may use: the node vocabulary, the validated
#: configuration, question numbers and the small ``util`` helpers.  The
#: ``faq`` domain holds the state the stages share; authoring writes it,
#: transforms read and rewrite doctrees, writers render nodes, builders and
#: the HTML extras assemble outputs, and the theme dresses the HTML pages.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("util", "config", "nodes", "numbering", "locale")),
    ("domain", ("domain",)),
    ("authoring", ("authoring",)),
    ("transforms", ("transforms",)),
    ("writers", ("writers",)),
    ("builders", ("builders",)),
    ("theme", ("theme",)),
)
#: Tools beside the pipeline -- the importer, and the one way to build a test
#: project (``testing``): they may use ``base`` (and themselves) only, and
#: nothing in the pipeline imports them.
BESIDE = ("importer", "testing")
#: What the root package offers everyone: constants, no code (its ``setup``
#: imports every layer lazily, so importing these makes no cycle).
ROOT_NAMES = frozenset({"__version__", "LOCALE_DIR", "ENV_VERSION"})


def rank(module: str) -> int:
    """The layer index of the dotted *module* (under ``sphinx_faq_ext``)."""
    first = module.split(".")[1]
    if first in BESIDE:
        return len(LAYERS)  # nothing imports it; checked in test_imports_only_point_down
    for index, (_name, heads) in enumerate(LAYERS):
        if first in heads:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def absolute(path: Path, node: ast.ImportFrom) -> str:
    """The module a ``from`` import in *path* names, relative ones (``from . import x``,
    ``from ..nodes import y``) made absolute as Python resolves them."""
    if node.level == 0:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]  # a module's ``.`` is its package
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(path: Path) -> list[tuple[str, int]]:
    """``(imported module, line)`` for every ``sphinx_faq_ext`` import in *path*,
    relative imports included."""
    found = []
    known = modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = absolute(path, node)
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                if candidate in known:  # ``from sphinx_faq_ext import nodes``
                    found.append((candidate, node.lineno))
                elif module == "sphinx_faq_ext" and alias.name in ROOT_NAMES:
                    continue
                else:
                    found.append((module, node.lineno))
    return [(name, line) for name, line in found
            if name == "sphinx_faq_ext" or name.startswith("sphinx_faq_ext.")]


def test_relative_imports_are_read(tmp_path: Path) -> None:
    """``from ..domain import x`` in ``transforms/notes.py`` is an import of
    ``sphinx_faq_ext.domain``: a relative import cannot hide a wrong direction."""
    package = PACKAGE / "transforms"
    cases = {
        "from ..domain import faq_domain": "sphinx_faq_ext.domain",
        "from . import notes": "sphinx_faq_ext.transforms.notes",
        "from .notes import glue_note_markers": "sphinx_faq_ext.transforms.notes",
        "from ..builders import epub": "sphinx_faq_ext.builders.epub",
    }
    for source, expected in cases.items():
        tree = ast.parse(source)
        node = tree.body[0]
        assert isinstance(node, ast.ImportFrom)
        for path in (package / "notes.py", package / "cite.py"):
            module = absolute(path, node)
            names = [f"{module}.{alias.name}" for alias in node.names]
            assert expected in (module, *names), (source, path)
    # and from a package's __init__, ``.`` is the package itself
    node = ast.parse("from .notes import x").body[0]
    assert isinstance(node, ast.ImportFrom)
    assert absolute(package / "__init__.py", node) == "sphinx_faq_ext.transforms.notes"
    # the whole check sees them: a relative import up the pipeline is found
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from ..builders import epub\n", "utf8")
    node = ast.parse(wrong.read_text("utf8")).body[0]
    assert isinstance(node, ast.ImportFrom)
    assert rank(absolute(package / "notes.py", node) + ".epub") > rank("sphinx_faq_ext.transforms")


def test_domain_is_reached_one_way() -> None:
    """Only ``domain.faq_domain`` looks the ``faq`` domain up (typed, no ``type: ignore``)."""
    lookups = ("get_domain(\"faq\")", "domains.get(\"faq\")", "domains[\"faq\"]")
    found = [f"{name}:{number}"
             for name, path in modules().items() if name != "sphinx_faq_ext.domain"
             for number, line in enumerate(path.read_text("utf8").splitlines(), 1)
             if any(lookup in line for lookup in lookups)]
    assert found == []


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        if name != "sphinx_faq_ext":
            rank(name)


def test_imports_only_point_down() -> None:
    wrong = []
    for name, path in modules().items():
        if name == "sphinx_faq_ext":
            continue  # the entry point assembles every layer
        beside = name.split(".")[1] in BESIDE
        for target, line in imports(path):
            if target == "sphinx_faq_ext":
                wrong.append(f"{name}:{line} imports the root package for more than constants")
            elif beside and target.split(".")[1] != name.split(".")[1] and rank(target) > 0:
                wrong.append(f"{name}:{line} (a tool beside the pipeline) imports {target}")
            elif rank(target) > rank(name):
                wrong.append(f"{name}:{line} imports {target} from a higher layer")
    assert not wrong, "\n".join(wrong)


#: The importer's stages in the order it runs them, after the model they share.
#: A stage may import the model and the stages before it; the modules at the
#: top (``cli``, ``settings``, ``project``, which runs the stages) may import any.
IMPORTER_STAGES = ("model", "read", "recognise", "write", "check")


def importer_rank(module: str) -> int:
    """The stage index of an ``importer`` *module* (the top: after every stage)."""
    parts = module.split(".")
    if len(parts) > 2 and parts[2] in IMPORTER_STAGES:
        return IMPORTER_STAGES.index(parts[2])
    return len(IMPORTER_STAGES)


def test_importer_stages_point_back() -> None:
    """Each importer module sits in a stage folder or at the top; stages import only
    the model and earlier stages, and a stage imports nothing from the top."""
    names = [name for name in modules() if name.startswith("sphinx_faq_ext.importer.")]
    top = {name.split(".")[2] for name in names if name.count(".") == 2}
    assert top == {*IMPORTER_STAGES, "cli", "settings", "project", "__main__"}, top
    assert len([n for n in names if n.count(".") == 3]) >= 15  # the modules are in stages
    wrong = []
    for name in names:
        for target, line in imports(modules()[name]):
            if target.startswith("sphinx_faq_ext.importer.") and \
                    importer_rank(target) > importer_rank(name):
                wrong.append(f"{name}:{line} imports {target} from a later stage")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    graph = {name: {target for target, _line in imports(path)}
             for name, path in modules().items() if name != "sphinx_faq_ext"}
    # A package's __init__ may import its own modules; a module importing its
    # package __init__ back is a cycle.
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail, node, target]))
            if target in graph and not state.get(target):
                visit(target, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if not state.get(name):
            visit(name, [])


#: The builders with post-transforms of their own, each in its home
#: (``builders/<name>/transforms.py``) and listed in its ``POST_TRANSFORMS``.
BUILDER_HOMES = ("sphinx_faq_ext.builders.epub", "sphinx_faq_ext.builders.latex")


def every_post_transform() -> tuple[type[Transform], ...]:
    """Every post-transform, in the order docutils runs them: the pipeline's
    (``transforms.WRITE_TIME``) and each builder home's ``POST_TRANSFORMS``."""
    from sphinx_faq_ext import transforms

    found = list(transforms.WRITE_TIME)
    for home in BUILDER_HOMES:
        found += __import__(home, fromlist=["POST_TRANSFORMS"]).POST_TRANSFORMS
    return tuple(sorted(found, key=lambda cls: (cls.default_priority, cls.__name__)))


def test_transform_lists_are_complete_and_in_order() -> None:
    """``transforms.__init__`` lists every transform, in the order it runs; a
    builder's own post-transforms live in its home and are listed there."""
    from docutils.transforms import Transform

    from sphinx_faq_ext import transforms

    for listed in (transforms.READ_TIME, transforms.WRITE_TIME):
        keys = [(cls.default_priority, cls.__name__) for cls in listed]
        assert keys == sorted(keys)
    defined = set()
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name.endswith(
                ("Transform", "Collector")
            ):
                module = __import__(name, fromlist=[node.name])
                cls = getattr(module, node.name)
                if isinstance(cls, type) and issubclass(cls, Transform):
                    defined.add(cls)
    assert defined == set(transforms.READ_TIME) | set(every_post_transform())
    for cls in defined:
        home = next((home for home in BUILDER_HOMES if cls.__module__.startswith(home)), None)
        if home is None:
            assert cls.__module__.startswith("sphinx_faq_ext.transforms."), cls
        else:  # registered by the builder's home, for that builder only
            assert cls.__module__ == f"{home}.transforms", cls
            assert getattr(cls, "builders", ()) or getattr(cls, "formats", ()), cls
            assert cls in __import__(home, fromlist=["POST_TRANSFORMS"]).POST_TRANSFORMS
