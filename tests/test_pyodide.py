"""The pure-Python half of xlsozial under Pyodide, as xlwings Lite runs it.

Node runs npm's ``pyodide`` (pinned); pydantic and pydantic-core's emscripten wheel come
from PyPI (pip download, the versions installed here), unpacked into Pyodide's
site-packages; the xlsozial sources are copied in. The check imports the domain – input
models, validation with German messages, the example – validates the example and refuses a
bad cell by name. numpy for Pyodide is only on its CDN, which is not reachable here, so the
numeric core is not part of this test (README: what to try in xlwings Lite by hand).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = "314.0.8"
CHECK = """
import sys
from xlsozial.domain.errors import Origin
from xlsozial.domain.example import example_inputs
from xlsozial.domain.models import IndicatorValue, Inputs
from xlsozial.domain.validation import RawRow, build_rows, check_inputs

inputs = example_inputs()
again = Inputs.model_validate_json(inputs.model_dump_json())
problems = []
row = RawRow({"area": "Altstadt", "indicator": "I1", "year": "2O24", "value": 1.0},
             Origin("Indikatorwerte!C7"))
kept = build_rows(IndicatorValue, [row], problems)
import json
json.dumps({"platform": sys.platform, "areas": len(inputs.areas), "same": again == inputs,
            "valid": check_inputs(inputs) == [], "kept": len(kept),
            "problems": [str(p) for p in problems]})
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm fehlt: Pyodide läuft hier nicht")
    folder = tmp_path_factory.mktemp("pyodide")
    npm = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"pyodide@{PYODIDE}"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if npm.returncode != 0:
        pytest.skip(f"npm install pyodide@{PYODIDE} ging nicht: {npm.stderr[-300:]}")
    lock = json.loads((folder / "node_modules/pyodide/pyodide-lock.json").read_text())
    abi, python = lock["info"]["abi_version"], lock["info"]["python"]
    import annotated_types  # noqa: F401 – the installed versions are the ones to test
    import pydantic
    import pydantic_core

    wheels = folder / "wheels"
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels)]
    steps = [
        [
            *pip,
            f"pydantic-core=={pydantic_core.__version__}",
            "--only-binary=:all:",
            "--platform",
            f"pyemscripten_{abi}_wasm32",
            "--python-version",
            ".".join(python.split(".")[:2]),
            "--implementation",
            "cp",
        ],
        [
            *pip,
            f"pydantic=={pydantic.VERSION}",
            "annotated-types",
            "typing-extensions",
            "typing-inspection",
            "--only-binary=:all:",
        ],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            pytest.skip(f"Räder für Pyodide nicht erhältlich: {done.stderr[-300:]}")
    shutil.copy(ROOT / "tests" / "pyodide" / "run.mjs", folder / "run.mjs")
    return folder


def test_the_domain_validates_under_pyodide_with_german_messages(runtime: Path) -> None:
    (runtime / "check.py").write_text(CHECK, encoding="utf-8")
    done = subprocess.run(
        ["node", "run.mjs", "wheels", str(ROOT / "xlsozial"), "check.py"],
        cwd=runtime,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["platform"] == "emscripten"
    assert result["areas"] == 10 and result["same"] and result["valid"]
    assert result["kept"] == 0
    assert result["problems"] == ["Indikatorwerte!C7: „2O24“ ist keine Zahl"]
