"""The folders of ``xlsozial`` are layers, and imports point downwards only.

From the bottom: the domain (models, validation, results), the pure core, the evaluation
(core applied to validated inputs, with the Prüfungen), the workbook contract, the adapters
(package, openpyxl, xlwings, files), then the circulation of provider files and the
Beschlussvorlage side by side, the commands, and on top the entry points. A module may
import its own layer and any layer below, never one above and never a sibling: that is what
lets a new adapter or a new command be added without touching what lies beneath.
Imports inside functions (kept lazy for a fast start) count as much as those at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "xlsozial"

LAYERS: list[set[str]] = [
    {"domain"},
    {"core"},
    {"evaluation"},
    {"book"},
    {"adapters"},
    {"circulation", "documents"},
    {"commands"},
    {"app"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
ENTRY_SHIMS = {"xlsozial.excel"}  # where the workbook's VBA calls; re-exports xlsozial.app


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) of every xlsozial import in ``path``, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "xlsozial"]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def back_imports(paths: list[Path], root: Path = ROOT) -> list[str]:
    wrong = []
    for path in paths:
        here = module_name(path, root)
        own = layer_of(here)
        if own is None:
            continue
        for line, target in imported(path, root):
            if target in ENTRY_SHIMS or any(target.startswith(s + ".") for s in ENTRY_SHIMS):
                wrong.append(f"{here}:{line} importiert den Einstieg {target}")
                continue
            other = layer_of(target)
            if other is None or other == own:
                continue  # the root package (``__version__``) or the module's own layer
            if RANK[other] >= RANK[own]:
                kind = "eine Schicht darüber" if RANK[other] > RANK[own] else "eine Nachbarschicht"
                wrong.append(f"{here}:{line} importiert {target} ({kind}: {other})")
    return wrong


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_lives_in_a_layer() -> None:
    """Nothing new at the top of the package: each module's folder says what it may import."""
    loose = [
        module_name(p)
        for p in package_modules()
        if layer_of(module_name(p)) is None and module_name(p) not in {"xlsozial", *ENTRY_SHIMS}
    ]
    assert not loose, loose
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(RANK), folders ^ set(RANK)


def test_imports_point_only_downwards() -> None:
    assert back_imports(package_modules()) == []


def test_the_root_package_imports_nothing_of_its_own() -> None:
    """Every layer may import ``xlsozial`` (for ``__version__``): it must stay a leaf."""
    assert imported(PACKAGE / "__init__.py") == []


@pytest.mark.parametrize(
    ("where", "statement", "layer"),
    [
        ("core/burden.py", "from xlsozial.evaluation.checks import run_checks", "evaluation"),
        ("domain/models.py", "from xlsozial.book import layout", "book"),
        ("book/reader.py", "import xlsozial.adapters.fileio", "adapters"),
        ("documents/paper.py", "from xlsozial.circulation import rounds", "circulation"),
        ("circulation/rounds.py", "from ..commands import calculation", "commands"),
        ("commands/years.py", "from xlsozial.app.headless import berechnen", "app"),
    ],
)
def test_a_back_import_is_found(tmp_path: Path, where: str, statement: str, layer: str) -> None:
    """The check itself can fail: a copy of a module with one import upwards (or sideways)
    added inside a function, as lazy imports are, is reported with its line."""
    source = PACKAGE / where
    copy = tmp_path / "xlsozial" / where
    copy.parent.mkdir(parents=True)
    copy.write_text(
        source.read_text(encoding="utf-8") + f"\n\ndef _late() -> None:\n    {statement}\n",
        encoding="utf-8",
    )
    assert back_imports([source]) == []
    wrong = back_imports([copy], root=tmp_path)
    assert len(wrong) == 1 and wrong[0].endswith(f": {layer})"), wrong


def test_the_entry_points_stay_where_they_are_called() -> None:
    """The workbook's VBA calls ``xlsozial.excel``; the console script ``xlsozial``."""
    import tomllib

    import xlsozial.excel as shim
    from xlsozial.app import excel

    vba = (ROOT / "workbook" / "vba" / "Ribbon.bas").read_text(encoding="utf-8")
    called = {
        line.split("x.")[1].split("(")[0]
        for line in vba.splitlines()
        if "import xlsozial.excel" in line
    }
    assert called and all(getattr(shim, name) is getattr(excel, name) for name in called)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"xlsozial": "xlsozial.app.cli:main"}
