"""Commands of this group are being written; `register` adds their parsers."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    return None
