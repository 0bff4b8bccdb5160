"""Files that must appear together or not at all (the Jahreswechsel's new workbook and the
archive of the closed year), also across a kill or a power loss.

A journal beside the source records the plan before anything is written:

1. journal „staging“: which staged file becomes which final file;
2. every staged file written and flushed to disk;
3. journal „ready“ (atomic replace, flushed);
4. each staged file renamed to its final name; the journal removed.

A run that dies in 1–2 leaves a „staging“ journal: the next run removes the staged files
(nothing appeared). One that dies in 3–4 leaves a „ready“ journal: the next run finishes
the renames (both appear). Staged files are named ``.~xlsozial-paar-…`` so that the cleanup
of ordinary temp files never takes one away while its journal still needs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path

from xlsozial.adapters.fileio import ensure_writable, os_error_text
from xlsozial.domain.errors import FileProblem

STAGE_PREFIX = ".~xlsozial-paar-"


def journal_path(source: Path) -> Path:
    """Short and fixed per source, so a long file name cannot make it too long."""
    tag = hashlib.sha256(source.name.encode("utf-8")).hexdigest()[:12]
    return source.parent / f".~xlsozial-jahreswechsel-{tag}.json"


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _save_journal(journal: Path, state: str, year: int, moves: list[tuple[Path, Path]]) -> None:
    text = json.dumps(
        {"state": state, "year": year, "moves": [[str(s), str(f)] for s, f in moves]},
        ensure_ascii=False,
    )
    tmp = journal.with_name(journal.name + ".neu")
    _write_synced(tmp, text.encode("utf-8"))
    os.replace(tmp, journal)
    _sync_dir(journal.parent)


def write_pair(source: Path, files: list[tuple[Path, bytes]], year: int) -> None:
    """Write every (final path, bytes) so that all appear or none; raises FileProblem."""
    journal = journal_path(source)
    moves = [(f.parent / f"{STAGE_PREFIX}{secrets.token_hex(6)}{f.suffix}", f) for f, _ in files]
    try:
        for final, _ in files:
            ensure_writable(final)
        _save_journal(journal, "staging", year, moves)
        for (staged, _), (_, data) in zip(moves, files):
            _write_synced(staged, data)
    except OSError as exc:
        _undo(journal, moves)
        raise FileProblem(
            os_error_text(exc, exc.filename or source, "kann nicht geschrieben werden")
            + " Es wurde nichts geschrieben."
        ) from None
    except FileProblem:
        _undo(journal, moves)
        raise
    try:
        _save_journal(journal, "ready", year, moves)
    except OSError as exc:
        _undo(journal, moves)
        raise FileProblem(
            os_error_text(exc, journal, "kann nicht geschrieben werden")
            + " Es wurde nichts geschrieben."
        ) from None
    _finish(journal, moves)


def _undo(journal: Path, moves: list[tuple[Path, Path]]) -> None:
    for staged, _ in moves:
        with contextlib.suppress(OSError):
            staged.unlink()
    with contextlib.suppress(OSError):
        journal.unlink()


def _finish(journal: Path, moves: list[tuple[Path, Path]]) -> None:
    """Rename every staged file into place (those already renamed are done)."""
    try:
        for staged, final in moves:
            if staged.exists():
                os.replace(staged, final)
                _sync_dir(final.parent)
    except OSError as exc:
        raise FileProblem(
            os_error_text(exc, exc.filename or journal, "kann nicht umbenannt werden")
            + f" Der Jahreswechsel ist nicht abgeschlossen; der nächste Jahreswechsel auf "
            f"diese Mappe führt ihn zu Ende (Protokoll: „{journal.name}“)."
        ) from None
    journal.unlink()
    _sync_dir(journal.parent)


def finish_interrupted(source: Path) -> tuple[Path, Path, int] | None:
    """Settle a Jahreswechsel that was killed: finish a ready one (returns its files in the
    order they were given, and the closed year), remove what a staging one left (None)."""
    journal = journal_path(source)
    if not journal.exists():
        return None
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        moves = [(Path(s), Path(f)) for s, f in plan["moves"]]
        state, year = str(plan["state"]), int(plan["year"])
    except (OSError, ValueError, KeyError, TypeError):
        raise FileProblem(
            f"Die Notiz eines abgebrochenen Jahreswechsels „{journal}“ ist unlesbar. Bitte "
            "prüfen, ob die neue Mappe und das Archiv beide vorhanden sind, und die Notiz "
            "dann löschen."
        ) from None
    if state != "ready":
        _undo(journal, moves)  # nothing was renamed yet: as if the run never happened
        return None
    if any(not s.exists() and not f.exists() for s, f in moves):
        # Someone removed a staged file: the pair cannot be completed, so none of it stays.
        for _, final in moves:
            with contextlib.suppress(OSError):
                final.unlink()
        _undo(journal, moves)
        return None
    _finish(journal, moves)
    return moves[0][1], moves[1][1], year
