"""Safe file handling for the master workbook: locks, checked atomic replace, OS errors.

A workbook is never written in place: the new content goes to a temporary file in the same
folder and replaces the original with one rename, so a crash leaves either the old or the
new file, never half of one. Before the rename the master on disk must still be the one
that was read (same SHA-256); otherwise somebody else saved in between and nothing is
written. Every writing command holds a lock file of its own next to the master, so two runs
of xlsozial never interleave; a lock left by a crashed run is recognised and removed.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import hashlib
import json
import os
import socket
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from xlsozial.domain.errors import FileProblem

TEMP_PREFIX = ".xlsozial-"
LOCK_PREFIX = ".~xlsozial."
STALE_LOCK_SECONDS = 6 * 3600  # no run takes hours: such a lock is left over
STALE_TEMP_SECONDS = 24 * 3600
HOST = socket.gethostname()


# -- messages ------------------------------------------------------------------------------

_REASONS = {
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EROFS: "der Datenträger ist schreibgeschützt",
    errno.ENOSPC: "der Datenträger ist voll",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.EISDIR: "das ist ein Ordner, keine Datei",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.ENOENT: "nicht gefunden",
    errno.ENAMETOOLONG: "der Name ist zu lang",
    errno.EBUSY: "die Datei ist in Benutzung",
    errno.ETXTBSY: "die Datei ist in Benutzung",
    errno.EEXIST: "existiert bereits",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
}


def os_error_text(exc: OSError, path: Path | str | None = None, action: str = "") -> str:
    """German sentence for an OSError, naming the user's path, never a temporary file."""
    reason = _REASONS.get(exc.errno or -1, "der Zugriff ist fehlgeschlagen")
    shown = str(path) if path is not None else str(exc.filename or "")
    head = f"„{shown}“" if shown else "Datei"
    return f"{head}{' ' + action if action else ''}: {reason}."


# -- office locks --------------------------------------------------------------------------


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (~$NAME) and LibreOffice (.~lock.NAME#) leave while a file is open."""
    candidates = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]) if len(path.name) > 2 else None,
        path.with_name(f".~lock.{path.name}#"),
    ]
    return [p for p in candidates if p is not None and _exists(p)]


def _exists(path: Path) -> bool:
    """False also where the name cannot exist (an office lock for a very long name)."""
    try:
        return path.exists()
    except OSError:
        return False


def lock_holder(lock: Path) -> str:
    """Who holds an office lock, as far as the file says: LibreOffice writes
    ``,Name,Rechner,Datum,…``; Excel's ``~$`` file starts with the user name."""
    try:
        raw = lock.read_bytes()[:512]
    except OSError:
        return ""
    if lock.name.startswith(".~lock."):
        fields = raw.decode("utf-8", "replace").split(",")
        parts = [f.strip() for f in fields[1:4]]
        if len(parts) == 3 and parts[0]:
            return f"von {parts[0]} auf {parts[1]} seit {parts[2]}"
        return ""
    size = raw[0] if raw else 0
    name = raw[1 : 1 + size].decode("cp1252", "replace").strip() if size else ""
    return f"von {name}" if name.isprintable() and name else ""


def ensure_not_open(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        holder = lock_holder(locks[0])
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist in Excel oder LibreOffice geöffnet"
            + (f" ({holder})" if holder else "")
            + f", Sperrdatei „{locks[0].name}“. Bitte dort schließen und erneut versuchen. Ist "
            "sie nirgends mehr geöffnet (etwa nach einem Absturz), die Sperrdatei neben der "
            "Mappe löschen."
        )


def ensure_writable(path: Path) -> None:
    """Refuse a read-only master, as Excel and LibreOffice do (also for root)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        folder_ok = os.access(path.resolve().parent, os.W_OK)
        advice = (
            "den Schreibschutz aufheben oder mit --ausgabe in eine andere Datei im selben "
            "Ordner schreiben"
            if folder_ok
            else "die Mappe in einen Ordner kopieren, in dem Sie schreiben dürfen (auch der "
            "Ordner ist schreibgeschützt)"
        )
        raise FileProblem(
            f"Die Mappe „{path}“ ist schreibgeschützt. Es wurde nichts geschrieben; bitte {advice}."
        )


# -- our own lock --------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def lock_path(master: Path) -> Path:
    """Beside the master, named after it; a name too long for the file system (255 bytes)
    is shortened to a fixed hash, so any valid workbook name can be locked."""
    real = master.resolve()
    name = f"{LOCK_PREFIX}{real.name}.lock"
    if len(name.encode("utf-8")) > 200:
        name = f"{LOCK_PREFIX}{hashlib.sha256(real.name.encode('utf-8')).hexdigest()[:16]}.lock"
    return real.with_name(name)


def _stale(info: dict[str, object], age: float) -> bool:
    if age > STALE_LOCK_SECONDS:
        return True
    pid = info.get("pid")
    return info.get("host") == HOST and isinstance(pid, int) and not _alive(pid)


@contextlib.contextmanager
def master_lock(master: Path, command: str) -> Iterator[None]:
    """Hold xlsozial's lock on ``master`` while a command works on it.

    The lock file records process id, host, user, command and time; a lock whose process
    is gone (same host) or that is older than STALE_LOCK_SECONDS is taken over.
    """
    path = lock_path(master)
    record = json.dumps(
        {
            "pid": os.getpid(),
            "host": HOST,
            "user": _user(),
            "command": command,
            "since": time.strftime("%d.%m.%Y %H:%M:%S"),
        },
        ensure_ascii=False,
    ).encode("utf-8")
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            info, age = _read_lock(path)
            if _stale(info, age):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            if not info and age < 2:  # being written right now by another run: look again
                time.sleep(0.5)
                continue
            if not info:
                raise FileProblem(
                    f"Die Sperrdatei „{path}“ der Mappe „{master.name}“ ist unlesbar (kein "
                    "xlsozial-Lauf schreibt sie so). Läuft gerade kein anderer xlsozial-Lauf "
                    "auf dieser Mappe, bitte die Sperrdatei löschen und erneut versuchen. Es "
                    "wurde nichts geschrieben."
                ) from None
            raise FileProblem(
                f"Die Mappe „{master.name}“ wird gerade von einem anderen xlsozial-Lauf "
                f"bearbeitet ({info.get('command', '?')}, Benutzer {info.get('user', '?')} "
                f"auf {info.get('host', '?')}, seit {info.get('since', '?')}). Es wurde nichts "
                "geschrieben; bitte warten und erneut versuchen."
            ) from None
        except OSError as exc:
            raise FileProblem(
                f"Für die Mappe „{master}“ lässt sich keine Sperrdatei anlegen ("
                + _REASONS.get(exc.errno or -1, "der Zugriff ist fehlgeschlagen")
                + f" im Ordner „{master.resolve().parent}“). Es wurde nichts geschrieben; "
                "bitte die Mappe in einen Ordner kopieren, in dem Sie schreiben dürfen."
            ) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(record)
        break
    else:  # pragma: no cover - three stale locks in a row
        raise FileProblem(f"Die Sperrdatei {path.name} lässt sich nicht anlegen.")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _read_lock(path: Path) -> tuple[dict[str, object], float]:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return {"pid": -1, "host": HOST}, 0.0  # just released: treat as stale
    except OSError:
        return {}, 0.0
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"pid": -1, "host": HOST}, 0.0
    except (OSError, ValueError):
        return {}, age  # unreadable: only its age can make it stale
    return (data if isinstance(data, dict) else {}), age


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in a service environment
        return "unbekannt"


# -- reading and replacing -----------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(f"Datei nicht gefunden: „{path}“.") from None
    except OSError as exc:
        raise FileProblem(os_error_text(exc, path, "kann nicht gelesen werden")) from None


def remove_stale_temps(folder: Path) -> None:
    """Temp files of runs that were killed between writing and renaming."""
    with contextlib.suppress(OSError):
        for item in folder.glob(f"{TEMP_PREFIX}*"):
            parts = item.name[len(TEMP_PREFIX) :].split("-")
            try:
                age = time.time() - item.stat().st_mtime
            except OSError:
                continue
            dead = len(parts) >= 2 and parts[0] == _host_tag() and parts[1].isdigit()
            dead = dead and not _alive(int(parts[1]))
            if dead or age > STALE_TEMP_SECONDS:
                with contextlib.suppress(OSError):
                    item.unlink()


def _host_tag() -> str:
    return "".join(c for c in HOST if c.isalnum())[:20] or "host"


def atomic_write_bytes(path: Path, data: bytes, expected_sha: str | None = None) -> None:
    """Write ``data`` to ``path`` via a temporary file and one atomic rename.

    A symbolic link is written through to its target. ``expected_sha`` is the hash of the
    file as it was read: if the file on disk differs now, nothing is written.
    """
    target = path.resolve() if path.is_symlink() else path
    if target.is_dir():
        raise FileProblem(f"„{path}“ ist ein Ordner, keine Datei. Es wurde nichts geschrieben.")
    if not target.parent.is_dir():
        raise FileProblem(f"Ordner „{target.parent}“ gibt es nicht. Es wurde nichts geschrieben.")
    ensure_writable(target)
    remove_stale_temps(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{_host_tag()}-{os.getpid()}-",
            suffix=target.suffix,
            dir=target.parent,
        )
    except OSError as exc:
        raise FileProblem(os_error_text(exc, path, "kann nicht geschrieben werden")) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            if target.exists():
                os.chmod(tmp, target.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        changed = expected_sha is not None and target.exists()
        if changed and sha256(read_bytes(target)) != expected_sha:
            raise FileProblem(
                f"Die Mappe „{path.name}“ wurde verändert, während xlsozial damit arbeitete "
                "(von einem anderen Programm gespeichert). Es wurde nichts geschrieben, "
                "damit nichts verloren geht; bitte den Befehl erneut ausführen."
            )
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise FileProblem(os_error_text(exc, path, "kann nicht geschrieben werden")) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def log_traceback() -> str:
    """Write the traceback to a log file (never to the user's screen); return its path."""
    import tempfile
    import time
    import traceback

    from xlsozial import __version__

    text = traceback.format_exc()
    try:
        folder = Path(tempfile.gettempdir()) / "xlsozial"
        folder.mkdir(exist_ok=True)
        path = folder / f"fehler-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        path.write_text(f"xlsozial {__version__}\n{text}", encoding="utf-8")
        return str(path)
    except OSError:
        return "(Protokolldatei nicht schreibbar)"
