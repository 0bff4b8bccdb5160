"""Benchmarks at scale, measured in one run (not a unit test).

Prints five figures:
1. Whole-process time of ``xlsozial berechnen`` on the example and on a scale workbook
   (400 Sozialräume, 25 indicators, 3 years, 60 SRT sheets × 1,000 positions), as a ratio to a
   Python process that only loads and saves the same workbook with openpyxl (targets ≤ 0.7 on
   the example, ≤ 0.25 on the scale workbook: berechnen rewrites only the parts it owns and
   never imports openpyxl).
2. Peak memory (max RSS) of the same two processes, as a ratio (target ≤ 1 on the scale
   workbook).
3. The core alone (no I/O) for 11,000 Sozialräume × 30 indicators, all four models and
   10,000 sensitivity draws (target < 2 s on 2 cores).
4. Varianten: the extra time of each variant on 400 Sozialräume, against one computation
   (target ≤ 2×).
5. Start: processes that only import (numpy and pydantic; our models; every module of
   berechnen), as ratios to the same baseline: the floor under the example's ratio.

Each process figure is the median of ``--wiederholungen`` runs, baseline and xlsozial
alternating, so both see the same machine state.

    .venv/bin/python bench/benchmark.py [--wiederholungen 3] [--schnell]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import json, os, sys, time
os.environ.setdefault("OPENPYXL_LXML", "False")  # the same openpyxl writer as xlsozial uses
mode, source, target = sys.argv[1:4]
start = time.perf_counter()
if mode == "laden-speichern":
    from openpyxl import load_workbook
    load_workbook(source, keep_vba=True).save(target)
    code = 0
else:
    import contextlib, io
    from xlsozial.app.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["berechnen", source, "--ausgabe", target])
    assert "openpyxl" not in sys.modules, "berechnen imported openpyxl"
# VmHWM belongs to this process image; ru_maxrss would inherit the parent's peak on Linux.
with open("/proc/self/status") as status:
    rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"code": code, "rss_kb": rss_kb, "inner_s": time.perf_counter() - start}))
"""


def run_child(mode: str, source: Path, target: Path) -> tuple[float, int]:
    """Wall time of the whole process (interpreter start included) and its peak RSS in KiB."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    report = json.loads(out.stdout.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"{mode} auf {source.name} scheiterte: {out.stderr}")
    return wall, int(report["rss_kb"])


TARGETS = {"beispiel": (0.7, None), "skala": (0.25, 1.0)}  # time ratio, memory ratio


def measure_process(name: str, key: str, source: Path, repeats: int, tmp: Path) -> dict[str, float]:
    base_t, base_m, ours_t, ours_m = [], [], [], []
    for i in range(repeats):
        t, m = run_child("laden-speichern", source, tmp / f"basis_{i}.xlsm")
        base_t.append(t)
        base_m.append(m)
        t, m = run_child("berechnen", source, tmp / f"berechnet_{i}.xlsm")
        ours_t.append(t)
        ours_m.append(m)
    result = {
        "basis_s": statistics.median(base_t),
        "berechnen_s": statistics.median(ours_t),
        "basis_mb": statistics.median(base_m) / 1024,
        "berechnen_mb": statistics.median(ours_m) / 1024,
    }
    result["zeit_verhaeltnis"] = result["berechnen_s"] / result["basis_s"]
    result["speicher_verhaeltnis"] = result["berechnen_mb"] / result["basis_mb"]
    time_target, memory_target = TARGETS[key]
    memory_goal = f"Ziel ≤ {memory_target:g}".replace(".", ",") if memory_target else "kein Ziel"
    print(
        f"{name:<10} laden+speichern {result['basis_s']:6.2f} s {result['basis_mb']:7.0f} MB | "
        f"berechnen {result['berechnen_s']:6.2f} s {result['berechnen_mb']:7.0f} MB | "
        f"Zeit ×{result['zeit_verhaeltnis']:.2f} (Ziel ≤ {time_target:g})  "
        f"Speicher ×{result['speicher_verhaeltnis']:.2f} ({memory_goal})"
    )
    return result


LADDER = {
    "Interpreter allein": "pass",
    "+ numpy, pydantic, ein Modell": (
        "import numpy\nfrom pydantic import BaseModel\nclass A(BaseModel):\n    x: int\nA(x=1)"
    ),
    "+ die Modelle von xlsozial": "import numpy, xlsozial.domain.models, xlsozial.domain.results",
    "+ alle Module von berechnen": (
        "import numpy.random, xlsozial.app.cli, xlsozial.app.headless, "
        "xlsozial.commands.calculation"
    ),
}


def measure_ladder(source: Path, repeats: int, tmp: Path) -> None:
    """Where the example's start-up goes: processes that stop after importing, against the
    openpyxl load+save process, in the same run (a floor for the example's ratio)."""
    times: dict[str, list[float]] = {name: [] for name in ["Basis", *LADDER]}
    for i in range(repeats):
        times["Basis"].append(run_child("laden-speichern", source, tmp / f"l_{i}.xlsm")[0])
        for name, code in LADDER.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["Basis"])
    steps = " | ".join(f"{name} ×{statistics.median(times[name]) / base:.2f}" for name in LADDER)
    print(f"Start      (Beispiel, gegen laden+speichern) {steps}")


def measure_core(areas: int, indicators: int, draws: int, repeats: int) -> float:
    sys.path.insert(0, str(ROOT))
    from xlsozial.domain.example import synthetic_inputs
    from xlsozial.evaluation.compute import compute

    inputs = synthetic_inputs(areas, indicators, 40, 5)
    params = inputs.parameters.model_copy(update={"sensitivity_draws": draws})
    inputs = inputs.model_copy(update={"parameters": params})
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        results = compute(inputs)
        times.append(time.perf_counter() - start)
    assert results.ok and len(results.sensitivity) == areas
    best, median = min(times), statistics.median(times)
    print(
        f"Kern       {areas} Sozialräume × {indicators} Indikatoren, 4 Modelle, {draws} "
        f"Ziehungen: Median {median:.2f} s, bestes {best:.2f} s (Ziel < 2 s, "
        f"{os.cpu_count()} Kerne)"
    )
    return median


def measure_variants(areas: int, variants: int, repeats: int) -> float:
    """Each variant of Blatt Varianten against one plain computation (target ≤ 2×)."""
    from xlsozial.domain.example import synthetic_inputs
    from xlsozial.domain.models import VariantSetting
    from xlsozial.evaluation.compute import compute

    inputs = synthetic_inputs(areas, 25, 40, 5, years=3)
    settings = [
        VariantSetting(variant=f"V{v}", setting="damping", value=0.5 + 0.1 * v)
        for v in range(variants)
    ]
    with_variants = inputs.model_copy(update={"variants": settings})

    def best(run: object) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()  # type: ignore[operator]
            times.append(time.perf_counter() - start)
        return min(times)

    one = best(lambda: compute(inputs))
    extra = best(lambda: compute(with_variants, True)) - best(lambda: compute(inputs, True))
    each = extra / variants
    ratio = each / one
    print(
        f"Varianten  {areas} Sozialräume, {variants} Varianten: je Variante {each:.2f} s, "
        f"eine Berechnung {one:.2f} s – ×{ratio:.2f} (Ziel ≤ 2)"
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks von xlsozial (eine Messung)")
    parser.add_argument("--wiederholungen", type=int, default=3)
    parser.add_argument("--schnell", action="store_true", help="kleinere Skala zum Ausprobieren")
    args = parser.parse_args()

    # Byte-compile the package as a regular pip install does (an editable install does not,
    # and PYTHONDONTWRITEBYTECODE may be set), so no run pays for compiling our sources.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "xlsozial")], check=True)
    sys.path.insert(0, str(ROOT))
    from xlsozial.commands.build_workbook import build_bytes
    from xlsozial.domain.example import synthetic_inputs

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        example = ROOT / "workbook" / "Sozialraumbudget.xlsm"
        scale = tmp / "Skala.xlsm"
        sizes = (40, 10, 6, 100) if args.schnell else (400, 25, 60, 1000)
        start = time.perf_counter()
        scale.write_bytes(build_bytes(synthetic_inputs(*sizes, years=3)))
        print(
            f"Skalen-Mappe: {sizes[0]} Sozialräume, {sizes[1]} Indikatoren × 3 Jahre, "
            f"{sizes[2]} SRT × {sizes[3]} Positionen – {scale.stat().st_size / 1e6:.1f} MB, "
            f"gebaut in {time.perf_counter() - start:.1f} s"
        )
        figures = {
            "beispiel": measure_process("Beispiel", "beispiel", example, args.wiederholungen, tmp),
            "skala": measure_process("Skala", "skala", scale, args.wiederholungen, tmp),
        }
        measure_ladder(example, args.wiederholungen, tmp)
    core = (1100, 30, 1000) if args.schnell else (11_000, 30, 10_000)
    figures["kern_s"] = {"median": measure_core(*core, repeats=args.wiederholungen)}
    figures["varianten"] = {"verhaeltnis": measure_variants(400, 3, args.wiederholungen)}
    ok = all(
        figures[k]["zeit_verhaeltnis"] <= time_target
        and (memory_target is None or figures[k]["speicher_verhaeltnis"] <= memory_target)
        for k, (time_target, memory_target) in TARGETS.items()
    )
    ok = ok and figures["kern_s"]["median"] < 2 and figures["varianten"]["verhaeltnis"] <= 2
    print("Alle Ziele erreicht." if ok else "Mindestens ein Ziel verfehlt.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
