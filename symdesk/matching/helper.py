"""A second process for a large zone's matching run: both cores of a laptop at work.

A national register's run is a minute of Python and numpy on one core.
Threads do not help: the interpreter runs one thread at a time, and a thread
finding company-type guesses beside the screen made the screen slower by
what it gained (measured). A second process does help, where the run's parts
do not depend on each other:

* the screen of declared pairs, by offers: each process screens its share of
  the offers against every need and keeps the best of each offer and need in
  it. Whatever is among the best of an offer or need in the whole zone is
  among the best in the share that screened it, so choosing again from both
  shares' kept pairs keeps exactly what one process would;
* company-type guesses and pools, in the helper, while the main process
  explains the kept pairs.

The helper then ends, before the main process holds most of the run's
opportunities: two processes never each hold a large part of them. Suggested
receivers and chains stay in the main process (the receivers' opportunities
are a quarter of a register's, and sending them would mean a copy of each
in both processes at once).

The helper is started by ``spawn`` everywhere, as Windows must: it gets the
zone by pickle and sends back arrays and opportunities. A script that matches
a large zone therefore guards its main code with ``if __name__ == "__main__"``
(the helper imports the script's module again), and a frozen build calls
``multiprocessing.freeze_support()`` first. Nothing in the helper changes a
result: tests compare shared and single-process runs field by field.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, check_cancelled
from symdesk.matching.company_mode import company_type_opportunities
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pairs import StreamClasses
from symdesk.matching.pooling import pooling_opportunities
from symdesk.matching.screen import Screened, best_of_each, joined, screen_pairs
from symdesk.matching.settings import Weights

# A zone with fewer live streams is matched in one process: starting a helper and sending it
# the zone takes a second or two, more than a run of that size gains from it.
SHARED_FROM_STREAMS = 40_000
# The part of the offers the main process screens; the helper screens the rest. The helper starts
# a second or two later (it is started and sent the zone), so it takes less: both then end
# together (measured at 10,000 residents: with halves the main process waited 3.7 s).
MAIN_SCREENS = 0.56
# How often a waiting main process looks whether the run was cancelled (seconds).
POLL_S = 0.1


def worth_sharing(live_streams: int) -> bool:
    """Whether a run of that many streams is shared with a helper: a large zone, two cores,
    and a process allowed children (a daemonic one is not)."""
    return (
        live_streams >= SHARED_FROM_STREAMS
        and (os.cpu_count() or 1) >= 2
        and not multiprocessing.current_process().daemon
    )


@dataclass(frozen=True)
class Job:
    """What the helper is sent: the zone and the settings its part of the run needs."""

    residents: Sequence[Resident]
    streams: Sequence[Stream]
    kb: KnowledgeBase
    weights: Weights
    material_names: Mapping[str, str]
    language: str
    max_pairs: int


class HelperFailed(RuntimeError):
    """The helper process stopped or raised; the message carries its traceback."""


class Helper:
    """The main process's side: starts the helper, sends it the run and waits for its parts.

    Use as a context manager: leaving it (finished, cancelled or failed) ends the helper.
    """

    def __init__(self, job: Job, cancelled: CancelledFn | None = None):
        self.cancelled = cancelled
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(
            target=serve, args=(theirs,), name="symdesk-matching-helper", daemon=True
        )
        self._process.start()
        theirs.close()
        self._conn.send(job)

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def joined_kept(self, kept: Screened, max_pairs: int) -> Screened:
        """The pairs kept of the whole zone, from the main process's share (``kept``) and the helper's."""
        _, offer_index, need_index, total = self._receive("kept")
        return best_of_each(joined(kept, offer_index, need_index, total), max_pairs)

    def guesses_and_pools(self) -> tuple[list[Opportunity], list[Opportunity]]:
        """The zone's company-type guesses and pools; the helper ends once they are sent."""
        _, guesses, pools = self._receive("found")
        return guesses, pools

    def _receive(self, what: str) -> tuple[Any, ...]:
        while not self._conn.poll(POLL_S):
            check_cancelled(self.cancelled)
            if not self._process.is_alive() and not self._conn.poll():
                raise HelperFailed(
                    f"the matching helper process stopped (exit code {self._process.exitcode})"
                )
        try:
            message = self._conn.recv()
        except EOFError as exc:
            raise HelperFailed("the matching helper process stopped") from exc
        if message[0] == "error":
            raise HelperFailed(f"the matching helper process failed:\n{message[1]}")
        if message[0] != what:
            raise HelperFailed(f"the matching helper sent {message[0]!r}, expected {what!r}")
        return message


def serve(conn: Connection) -> None:
    """The helper's side: the work of ``Helper``, in its order. An error is sent, not raised."""
    try:
        with collector_paused():
            _serve(conn, conn.recv())
    except (EOFError, ConnectionError):
        return  # the main process is gone (cancelled or failed): nothing to tell it
    except BaseException:  # sent to the main process, which raises it there
        with contextlib.suppress(OSError):
            conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _serve(conn: Connection, job: Job) -> None:
    by_resident = {r.id: r for r in job.residents}
    offers = [s for s in job.streams if s.direction is Direction.OFFER]
    needs = [s for s in job.streams if s.direction is Direction.NEED]
    screened = screen_pairs(offers, needs, by_resident, job.kb, job.weights, share=(MAIN_SCREENS, 1.0))
    kept = best_of_each(screened, job.max_pairs)
    del screened
    conn.send(("kept", kept.offer_index, kept.need_index, kept.total))
    del kept
    classes_of = StreamClasses(job.kb)
    guesses = company_type_opportunities(
        job.streams, by_resident, job.kb, job.weights, classes_of, language=job.language
    )
    pools = pooling_opportunities(job.streams, by_resident, job.weights, classes_of, job.material_names)
    conn.send(("found", guesses, pools))
