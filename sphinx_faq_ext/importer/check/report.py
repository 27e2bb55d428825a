"""The import report: what was read and written, and every uncertain decision.

Written beside the project as ``_import/report.json`` (for tools and tests) and
``_import/report.md`` (for people); its summary is printed by the command.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Kinds of entries that are decisions the importer was unsure of.
UNCERTAIN = frozenset({"uncertain-author", "uncertain-bracket", "unbalanced-bracket",
                       "duplicate-number", "anchor-not-found", "formatting-dropped",
                       "link-not-imported", "unreadable-page", "image-missing",
                       "contents-not-found", "volume-not-found"})


@dataclass
class Entry:
    """One decision: its kind, where (file and line) and what was done."""

    kind: str
    file: str
    line: int
    message: str


@dataclass
class Report:
    """Counts and entries of one import."""

    counts: Counter[str] = field(default_factory=Counter)
    entries: list[Entry] = field(default_factory=list)

    def add(self, kind: str, file: str, line: int, message: str) -> None:
        """Record a decision."""
        self.entries.append(Entry(kind, file, line, message))

    @property
    def uncertain(self) -> list[Entry]:
        """The entries a person should look at."""
        return [e for e in self.entries if e.kind in UNCERTAIN]

    def by_kind(self) -> Counter[str]:
        """How many entries of each kind."""
        return Counter(e.kind for e in self.entries)

    def summary(self) -> str:
        """The counts and the number of entries of each kind, one per line."""
        lines = ["Imported:"]
        lines += [f"  {key}: {value}" for key, value in sorted(self.counts.items())]
        lines.append(f"Uncertain decisions: {len(self.uncertain)} (listed in the report)")
        lines += [f"  {kind}: {count}" for kind, count in sorted(self.by_kind().items())]
        return "\n".join(lines)

    def write(self, folder: Path) -> None:
        """``report.json`` and ``report.md`` in *folder*."""
        folder.mkdir(parents=True, exist_ok=True)
        data = {"counts": dict(sorted(self.counts.items())),
                "kinds": dict(sorted(self.by_kind().items())),
                "entries": [asdict(e) for e in self.entries]}
        (folder / "report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False),
                                            "utf8")
        lines = ["# Import report", "", "```", self.summary(), "```", ""]
        for kind in sorted(self.by_kind()):
            lines += [f"## {kind}", ""]
            lines += [f"- {e.file}:{e.line}: {e.message}" for e in self.entries
                      if e.kind == kind]
            lines.append("")
        (folder / "report.md").write_text("\n".join(lines), "utf8")


def load_report(folder: Path) -> dict[str, object]:
    """The JSON report written in *folder*."""
    data: dict[str, object] = json.loads((folder / "report.json").read_text("utf8"))
    return data
