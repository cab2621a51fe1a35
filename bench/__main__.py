"""Run every benchmark in bench/ and write the figures to bench/RESULTS.md.

Each bench module prints its own table; this runner captures the output of each
in a fresh interpreter (so one benchmark's imports and caches don't flatter the
next) and records it with a description of the machine it ran on. Given names
(`python -m bench realize rebook`), it runs only those and replaces only their
sections, each stamped with when it ran.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _sections(text: str) -> dict[str, str]:
    """The sections of an earlier RESULTS.md by benchmark name (`## bench_x` up to the next). Only
    `## bench_` lines start one: a benchmark's own output may have `## ` headings of its own."""
    parts = text.split("\n## bench_")[1:]
    return {"bench_" + part.split("\n", 1)[0].strip(): "## bench_" + part.rstrip("\n") + "\n" for part in parts}


def main() -> int:
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    only = sys.argv[1:]
    if only:
        modules = [m for m in modules if any(name in m for name in only)]
    sections: dict[str, str] = {}
    failed = 0
    for name in modules:
        print(f"== {name}", flush=True)
        run = subprocess.run(
            [sys.executable, "-m", f"bench.{name}"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        output = run.stdout.strip() or "(no output)"
        if run.returncode:
            failed += 1
            output += f"\n\nFAILED (exit {run.returncode}):\n{run.stderr.strip()[-2000:]}"
        print(output, flush=True)
        sections[name] = f"## {name}\n\nRun {stamp()}.\n\n```\n{output}\n```\n"
    results = HERE / "RESULTS.md"
    kept = _sections(results.read_text()) if only and results.exists() else {}
    report = f"# Benchmark results\n\nOn {machine()}, shared with other work.\n\n" + "\n".join(
        {**kept, **sections}[name] for name in sorted({*kept, *sections})
    )
    results.write_text(report)
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
