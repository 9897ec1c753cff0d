"""Run every benchmark in this folder and print its figures (no pass/fail)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    for script in [*sorted(here.glob("bench_*.py")), *sorted(here.glob("eval_*.py"))]:
        print(f"== {script.name}")
        sys.argv = [str(script)]
        runpy.run_path(str(script), run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
