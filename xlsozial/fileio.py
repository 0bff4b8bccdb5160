"""Atomic file replacement and office lock detection.

A workbook is never written in place: the new content goes to a temporary file in the same
folder and replaces the original with one rename, so a crash leaves either the old or the
new file, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from xlsozial.errors import BookError


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (~$NAME) and LibreOffice (.~lock.NAME#) leave while a file is open."""
    candidates = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]) if len(path.name) > 2 else None,
        path.with_name(f".~lock.{path.name}#"),
    ]
    return [p for p in candidates if p is not None and p.exists()]


def ensure_not_open(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        raise BookError(
            f"Die Mappe „{path.name}“ ist offenbar in Excel oder LibreOffice geöffnet "
            f"(Sperrdatei {locks[0].name}). Bitte schließen und erneut versuchen."
        )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and one atomic rename."""
    fd, tmp = tempfile.mkstemp(prefix=".xlsozial-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
