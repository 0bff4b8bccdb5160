"""A zip package whose untouched members are copied byte for byte (compressed data included).

Python's :mod:`zipfile` recompresses whatever it writes; here a member that was not replaced
keeps its compressed bytes and CRC exactly, and members keep their original order.
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO

LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")
UTF8_FLAG = 0x800
LIMIT = 0xFFFFFFFF


class PackageError(Exception):
    """The package cannot be written faithfully (e.g. a zip64 archive)."""


@dataclass(frozen=True)
class Member:
    name: str
    method: int
    flags: int
    date_time: tuple[int, int, int, int, int, int]
    crc: int
    size: int
    raw: bytes  # the compressed bytes as stored


def _dos(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    year = max(year, 1980)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


class Package:
    """Members of an .xlsx/.xlsm by name; ``set``/``remove`` record changes for ``to_bytes``."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._zip = zipfile.ZipFile(BytesIO(data))
        self.order = [info.filename for info in self._zip.infolist()]
        self._infos = {info.filename: info for info in self._zip.infolist()}
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()

    @property
    def names(self) -> list[str]:
        kept = [n for n in self.order if n not in self.removed]
        return kept + [n for n in self.changed if n not in self._infos]

    def __contains__(self, name: str) -> bool:
        return name in self.changed or (name in self._infos and name not in self.removed)

    def get(self, name: str) -> bytes:
        if name in self.changed:
            return self.changed[name]
        if name in self.removed or name not in self._infos:
            raise KeyError(name)
        return self._zip.read(name)

    def set(self, name: str, data: bytes) -> None:
        self.changed[name] = data
        self.removed.discard(name)

    def remove(self, name: str) -> None:
        self.changed.pop(name, None)
        if name in self._infos:
            self.removed.add(name)

    def _original(self, name: str) -> Member:
        info = self._infos[name]
        offset = info.header_offset
        name_len, extra_len = struct.unpack_from("<2H", self._data, offset + 26)
        start = offset + 30 + name_len + extra_len
        raw = self._data[start : start + info.compress_size]
        return Member(
            name, info.compress_type, info.flag_bits, info.date_time, info.CRC, info.file_size, raw
        )

    def _fresh(self, name: str, data: bytes) -> Member:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        raw = packer.compress(data) + packer.flush()
        info = self._infos.get(name)
        now = time.localtime()
        stamp = (
            info.date_time if info is not None else (now[0], now[1], now[2], now[3], now[4], now[5])
        )
        flags = UTF8_FLAG if not name.isascii() else 0
        return Member(name, zipfile.ZIP_DEFLATED, flags, stamp, zlib.crc32(data), len(data), raw)

    def members(self) -> list[Member]:
        return [
            self._fresh(n, self.changed[n]) if n in self.changed else self._original(n)
            for n in self.names
        ]

    def to_bytes(self) -> bytes:
        out = BytesIO()
        central = []
        for m in self.members():
            if m.size > LIMIT or len(m.raw) > LIMIT or out.tell() > LIMIT:
                raise PackageError("zip64")
            name = m.name.encode("utf-8")
            flags = (m.flags & ~0x08) | (UTF8_FLAG if not m.name.isascii() else 0)
            dos_time, dos_date = _dos(m.date_time)
            offset = out.tell()
            # the fields both headers share: flags, method, time, date, CRC, sizes, name length
            common = (flags, m.method, dos_time, dos_date, m.crc, len(m.raw), m.size, len(name))
            out.write(LOCAL.pack(b"PK\x03\x04", 20, *common, 0))
            out.write(name)
            out.write(m.raw)
            central.append(
                CENTRAL.pack(b"PK\x01\x02", 20, 20, *common, 0, 0, 0, 0, 0, offset) + name
            )
        start = out.tell()
        for entry in central:
            out.write(entry)
        size = out.tell() - start
        out.write(END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
        return out.getvalue()


def unchanged_members(before: bytes, after: bytes, replaced: set[str]) -> list[str]:
    """Members not in ``replaced`` whose stored bytes differ (should be none)."""
    old, new = Package(before), Package(after)
    differ = []
    for name in old.order:
        if name in replaced:
            continue
        if name not in new._infos:
            differ.append(name)
            continue
        ours, theirs = new._original(name), old._original(name)
        if ours.raw != theirs.raw or ours.crc != theirs.crc:
            differ.append(name)
    return differ
