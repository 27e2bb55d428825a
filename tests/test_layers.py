"""The package is layered as the pipeline it runs; imports only point down.

Reads every module's imports (including those inside functions and under
``TYPE_CHECKING``) so that the layering stays true as the code changes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sphinx_faq_ext

PACKAGE = Path(sphinx_faq_ext.__file__).parent

#: Layers, lowest first.  A module may import its own layer and lower ones.
#: ``base`` is what anything may use: the node vocabulary, the validated
#: configuration, question numbers and the small ``util`` helpers.  The
#: ``faq`` domain holds the state the stages share; authoring writes it,
#: transforms read and rewrite doctrees, writers render nodes, builders and
#: the HTML extras assemble outputs, and the theme dresses the HTML pages.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("util", "config", "nodes", "numbering", "locale")),
    ("domain", ("domain", "dependencies")),
    ("authoring", ("authoring",)),
    ("transforms", ("transforms",)),
    ("writers", ("writers",)),
    ("builders", ("builders", "html")),
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


def imports(path: Path) -> list[tuple[str, int]]:
    """``(imported module, line)`` for every ``sphinx_faq_ext`` import in *path*."""
    found = []
    known = modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if candidate in known:  # ``from sphinx_faq_ext import nodes``
                    found.append((candidate, node.lineno))
                elif node.module == "sphinx_faq_ext" and alias.name in ROOT_NAMES:
                    continue
                else:
                    found.append((node.module, node.lineno))
    return [(name, line) for name, line in found
            if name == "sphinx_faq_ext" or name.startswith("sphinx_faq_ext.")]


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


def test_transform_lists_are_complete_and_in_order() -> None:
    """``transforms.__init__`` lists every transform, in the order it runs."""
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
    assert defined == set(transforms.READ_TIME) | set(transforms.WRITE_TIME)
    for cls in defined:
        assert cls.__module__.startswith("sphinx_faq_ext.transforms.")
