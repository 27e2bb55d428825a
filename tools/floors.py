"""The lower bound of every dependency in ``pyproject.toml``, as ``name==floor`` pins.

``nox -s tests_oldest`` installs the package with these pins as pip
constraints, so every lower bound we declare is a version the suite ran on;
read from ``pyproject.toml`` each time, the pins cannot drift from it.
``tests/test_install.py`` checks that every dependency has a floor and that
an extra repeating a package (``test`` and ``docs`` repeat ``pdf``) repeats
its floor.

Usage: ``python tools/floors.py [--output constraints.txt]`` (stdout by default).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The dependencies whose floors are pinned: the package's own, and the
#: extras that add what a user installs for an output.  (``test`` and ``docs``
#: add tools for us, whose floors nobody else depends on.)
PINNED_EXTRAS = ("pdf",)
#: ``name[extra] >=floor`` (and maybe more clauses, or a marker, after it).
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
FLOOR = re.compile(r">=\s*([^,;\s]+)")


def normalised(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(requirement: str) -> tuple[str, str | None]:
    """``("name", "floor")`` of a requirement (floor None when it has no ``>=``)."""
    match = REQUIREMENT.match(requirement)
    if match is None:
        raise ValueError(f"cannot read the requirement {requirement!r}")
    floor = FLOOR.search(match.group(2))
    return normalised(match.group(1)), floor.group(1) if floor else None


def project(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, object]:
    """The ``[project]`` table."""
    return tomllib.loads(pyproject.read_text("utf8"))["project"]  # type: ignore[no-any-return]


def requirements(table: dict[str, object], extras: tuple[str, ...] = PINNED_EXTRAS) -> list[str]:
    """The package's dependencies and those of *extras*, as written."""
    optional = table.get("optional-dependencies", {})
    assert isinstance(optional, dict)
    found = list(table.get("dependencies", []))  # type: ignore[call-overload]
    for extra in extras:
        found += optional[extra]
    return found


def floors(table: dict[str, object] | None = None) -> dict[str, str]:
    """``{name: floor}`` for every pinned dependency; a missing floor is an error."""
    pins: dict[str, str] = {}
    for requirement in requirements(table or project()):
        if normalised(requirement).startswith("sphinx-faq-ext"):
            continue  # an extra naming our own extras
        name, floor = parse(requirement)
        if floor is None:
            raise ValueError(f"{requirement!r} has no lower bound (>=)")
        pins[name] = floor
    return pins


def constraints(table: dict[str, object] | None = None) -> str:
    """The pins as a pip constraints file."""
    lines = [f"{name}=={floor}" for name, floor in sorted(floors(table).items())]
    return "# The floors of pyproject.toml (tools/floors.py)\n" + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = constraints()
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, "utf8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
