"""How long jobs report progress and learn they should stop.

Every long job (demo load, imports, matching, reports) takes two optional
callables, in the manner of Orange's widgets: ``progress(done, total, what)``
and ``cancelled() -> bool``. The GUI's task runner supplies them; the CLI
prints or ignores them. A job that sees ``cancelled()`` raises
``TaskCancelled`` so that its unit of work rolls back and nothing is
half-written.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]


class TaskCancelled(Exception):
    pass


def no_progress(_done: int, _total: int, _what: str) -> None:
    return None


def never_cancelled() -> bool:
    return False


def check_cancelled(cancelled: CancelledFn | None) -> None:
    if cancelled is not None and cancelled():
        raise TaskCancelled()
