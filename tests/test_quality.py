"""ruff and mypy stay clean; part of the test command so nobody has to remember them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} ist nicht installiert (pip install -e '.[test]')")
    return found


def test_ruff_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "xlsozial", "udfs", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("xlsozial/**/*.py"), *ROOT.glob("udfs/*.py")])


def test_no_function_over_60_and_no_module_over_400_lines() -> None:
    import ast

    too_long = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} Zeilen")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}: {lines} Zeilen")
    assert not too_long, "\n".join(too_long)


def test_the_core_is_pure() -> None:
    """No Excel, no files, no German text helpers, no validation in xlsozial/core."""
    import ast

    forbidden = (
        "openpyxl",
        "xlwings",
        "xlsozial.domain.validation",
        "xlsozial.domain.german",
        "xlsozial.book",
    )
    german = set("äöüÄÖÜß„“")
    for path in sorted(ROOT.glob("xlsozial/core/*.py")):
        text = path.read_text(encoding="utf-8")
        for name in forbidden:
            assert f"import {name}" not in text and f"from {name}" not in text, (path, name)
        tree = ast.parse(text)
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            text_node = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if text_node and id(node) not in docstrings:
                assert not german & set(node.value), (path, node.lineno, node.value)


def _declared(extras: tuple[str, ...]) -> set[str]:
    """Distributions the base install plus ``extras`` brings, with what they pin themselves
    (pydantic → pydantic-core), extras of xlsozial itself followed."""
    import contextlib
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    seen: set[str] = set()
    todo = list(extras)
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for req in project["optional-dependencies"][extra]:
            if req.startswith("xlsozial["):
                todo += req[len("xlsozial[") : req.index("]")].split(",")
            else:
                wanted.append(req)

    def name(req: str) -> str:
        return re.split(r"[<>=!~\[ ;(]", req, maxsplit=1)[0].lower().replace("_", "-")

    declared = {name(d) for d in wanted}
    for dist in list(declared):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            for requirement in importlib.metadata.requires(dist) or []:
                if "extra ==" not in requirement:
                    declared.add(name(requirement))
    return declared


def _undeclared(paths: list[Path], declared: set[str]) -> set[str]:
    import ast
    import importlib.metadata

    providers = importlib.metadata.packages_distributions()
    missing = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("xlsozial", "udfs"):
                    continue
                dists = {d.lower().replace("_", "-") for d in providers.get(top, [top])}
                if not dists & declared:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    return missing


def test_every_package_the_program_imports_is_a_declared_dependency() -> None:
    """``pip install -e '.[alle]'`` must bring all the program needs (lxml once came only
    with the test extras, and berechnen would have failed on a user's machine); and the core
    – domain, computation, evaluation – needs only what a plain install brings (numpy and
    pydantic), so that it installs where xlwings Lite installs from requirements."""
    package = ROOT / "xlsozial"
    layers = ("domain", "core", "evaluation")
    core = [p for layer in layers for p in (package / layer).rglob("*.py")]
    assert not _undeclared(core, _declared(())), "der Kern braucht mehr als numpy und pydantic"
    server = [package / "app" / "remote_web.py", *(ROOT / "server").rglob("*.py")]
    everything = [
        *package.rglob("*.py"),
        *(ROOT / "udfs").rglob("*.py"),
        *(ROOT / "lite").rglob("*.py"),
    ]
    assert not sorted(_undeclared([p for p in everything if p not in server], _declared(("alle",))))
    # the Ablage's page runs only on xlwings Server: its extra brings what it imports
    assert not sorted(_undeclared(server, _declared(("alle", "server"))))
