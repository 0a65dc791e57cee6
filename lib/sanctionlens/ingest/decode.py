"""Turn article bytes into normalised text, or fail with a clear message."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CorpusError


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, path: Path | str = "<bytes>") -> Decoded:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 with a warning.

    The result is NFC-normalised with ``\\r\\n`` and ``\\r`` turned into ``\\n``.
    Raises CorpusError for binary data (NUL bytes) or bytes no supported encoding reads.
    """
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text, enc = _strict(data[len(codecs.BOM_UTF8):], "utf-8", path), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, enc = _strict(data, "utf-16", path), "utf-16"
    else:
        if b"\x00" in data:
            pos = data.index(b"\x00")
            raise CorpusError(
                f"{path}: binary file (NUL byte at offset {pos}); expected a text article "
                "(.txt, .md or .html in UTF-8, UTF-16 with BOM or cp1252)"
            )
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            try:
                text, enc = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc2:
                raise CorpusError(
                    f"{path}: neither UTF-8 (bad byte at offset {exc.start}) nor cp1252 "
                    f"(undefined byte at offset {exc2.start}); re-save the file as UTF-8"
                ) from exc2
            warnings.append(
                f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "decoded as cp1252 — check quotes and accented letters"
            )
    if "\x00" in text:
        raise CorpusError(f"{path}: binary content (NUL character after decoding as {enc})")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return Decoded(text, enc, warnings)


def _strict(data: bytes, encoding: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: starts with a {encoding} byte-order mark but byte {exc.start} is invalid "
            f"{encoding}; re-save the file as UTF-8"
        ) from exc
