"""Writing an output file whole or not at all.

The content goes to a temporary file beside the target, which replaces the
target only when complete; on any error the temporary file is removed and
an existing target is left as it was. The result gets the usual permissions
(as if created with ``open``), not the private ones of a temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_output(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write; it becomes ``target`` if the block succeeds."""
    target = Path(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, _default_mode())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
