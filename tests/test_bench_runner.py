"""The benchmark runner re-runs some benchmarks and keeps the others' sections of RESULTS.md as they were."""

from __future__ import annotations

from bench.__main__ import _sections

RESULTS = """# Benchmark results

On a machine.

## bench_hardening

Run 2026-11-30 20:14 UTC.

```
## /harvest planner, one position of 20,000 lots
| case | seconds |
```

## bench_histories

Run 2026-11-30 20:14 UTC.

```
retail 4.3 / 7.2
```
"""


def test_a_benchmarks_own_headings_stay_in_its_section() -> None:
    sections = _sections(RESULTS)
    assert list(sections) == ["bench_hardening", "bench_histories"]
    assert "## /harvest planner" in sections["bench_hardening"]
    assert sections["bench_hardening"].rstrip().endswith("```")
    assert "\n\n".join(s.rstrip("\n") for s in sections.values()) + "\n" == RESULTS.split("\n\n", 2)[2]
