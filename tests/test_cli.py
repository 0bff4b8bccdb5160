"""The command line speaks German, forgives an umlaut and says what was probably meant."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bookutil import copy_bundled

from xlsozial.app.cli import EXAMPLES, main


def test_pruefen_may_be_typed_with_an_umlaut(tmp_path: Path) -> None:
    assert main(["prüfen", str(copy_bundled(tmp_path))]) == 0


def test_a_near_miss_gets_a_suggestion_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["berechen", "x.xlsm"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "„berechen“ ist kein Befehl von xlsozial. Meinten Sie „berechnen“?" in err
    assert "argument" not in err and "invalid" not in err and "'" not in err


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_every_command_has_a_description_and_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert "Beispiel:" in out and EXAMPLES[command] in out
    assert "usage" not in out and "options" not in out


def test_a_provider_file_is_recognised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    master = copy_bundled(tmp_path)
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "v")]) == 0
    assert main(["berechnen", str(tmp_path / "v" / "Kosten_NORD.xlsx")]) == 2
    assert "ist das Kostenblatt eines SRT" in capsys.readouterr().err


def test_the_command_line_starts_without_the_computation() -> None:
    # Every ribbon press and every `xlsozial --help` starts a new process: the entry point
    # itself loads neither numpy, pydantic nor the service layer; a command loads what it uses.
    code = (
        "import sys, xlsozial.app.cli; "
        "print(sorted(m for m in ('numpy', 'pydantic', 'xlsozial.commands', 'openpyxl') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ruecklauf_and_verteilen_load_no_computation(tmp_path: Path) -> None:
    """Rücklauf only reads the round, Verteilen only the inputs: neither loads the
    computation or the output sheets (each button press is a new process); Rücklauf not
    even numpy (Verteilen's openpyxl loads it for its own number types)."""
    master = copy_bundled(tmp_path)
    probes = ("numpy", "xlsozial.core.pipeline", "xlsozial.book.outputs")
    expected = {"ruecklauf": "[]", "verteilen": "['numpy']"}
    for args in (["ruecklauf", str(master)], ["verteilen", str(master), "--ziel", "v"]):
        code = (
            "import sys, contextlib, io; from xlsozial.app.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()): assert main({args!r}) == 0\n"
            f"print(sorted(m for m in {probes!r} if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
        )
        assert out.stdout.strip() == expected[args[0]], args


def test_a_core_only_install_says_which_part_to_add(tmp_path: Path) -> None:
    """Installed without the extras (as xlwings Lite installs the core), a command that
    needs one names the package and the extra, changes nothing and shows no traceback."""
    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0
    before = book.read_bytes()
    script = (
        "import sys; sys.modules['weasyprint'] = None\n"
        "from xlsozial.app.cli import main\n"
        f"sys.exit(main(['bericht', {str(book)!r}, '--pdf', {str(tmp_path / 'b.pdf')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 4
    assert "fehlt das Paket „weasyprint“ (Teil „report“" in done.stderr
    assert "pip install 'xlsozial[alle]'" in done.stderr and "Traceback" not in done.stderr
    assert book.read_bytes() == before and not (tmp_path / "b.pdf").exists()
