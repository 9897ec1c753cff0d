"""Helper processes for a large zone's matching run: both cores of a laptop at work.

A national register's run is a minute of Python and numpy on one core.
Threads do not help: the interpreter runs one thread at a time, and a thread
finding company-type guesses beside the screen made the screen slower by
what it gained (measured). Processes do help, where the run's parts do not
depend on each other. Two helpers work one after the other, never at once,
as each holds its own copy of the zone:

* the screening helper screens its part of the offers against every need
  while the main process screens the rest; each keeps the best of each offer
  and need in its part. Whatever is among the best of an offer or need in the
  whole zone is among the best in the part that screened it, so choosing
  again from both parts' kept pairs keeps exactly what one process would.
  It then finds the company-type guesses and the pools while the main process
  explains the kept pairs, sends them, and ends;
* the receivers' helper, started then, scores the suggested receivers of
  every offer (all but the declared pairs, which it is sent) and sends the few
  kept of each as plain values, which the main process explains
  (``receiver_mode.explained_receivers``) after the pairs and chains.

Only arrays, plain values and the guesses and pools (a few percent of a
register's opportunities) cross between processes. Sending the receivers as
opportunities was tried: it put a copy of each in two processes at once (2.2
GB in the main process beside 1.3 GB in the helper), and a helper that lived
until the main process held most of the run took both to 2.6 GB.

Helpers are started by ``spawn`` everywhere, as Windows must: they get the
zone by pickle. A script that matches a large zone therefore guards its main
code with ``if __name__ == "__main__"`` (a helper imports the script's module
again), and a frozen build calls ``multiprocessing.freeze_support()`` first.
Nothing in the helpers changes a result: tests compare shared and
single-process runs field by field.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Direction, Stream
from symdesk.domain.tasks import CancelledFn, check_cancelled
from symdesk.matching.company_mode import company_type_opportunities
from symdesk.matching.knowledge import KnowledgeBase
from symdesk.matching.pairs import StreamClasses
from symdesk.matching.pooling import pooling_opportunities
from symdesk.matching.receiver_mode import KeptReceiver, kept_receivers
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
        and usable_cores() >= 2
        and not multiprocessing.current_process().daemon
    )


def usable_cores() -> int:
    """The cores this process may run on (a process pinned to one core gains nothing from a helper)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows and macOS have no affinity call: every core
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Job:
    """What the screening helper is sent: the zone and the settings its part of the run needs."""

    residents: Sequence[Resident]
    streams: Sequence[Stream]
    kb: KnowledgeBase
    weights: Weights
    material_names: Mapping[str, str]
    language: str
    max_pairs: int


@dataclass(frozen=True)
class ReceiverJob:
    """What the receivers' helper is sent: the offers as the main process lists them, the residents,
    and the declared pairs as positions in those two lists (not suggested again)."""

    offers: Sequence[Stream]
    residents: Sequence[Resident]
    kb: KnowledgeBase
    weights: Weights
    declared_offers: np.ndarray
    declared_receivers: np.ndarray


class HelperFailed(RuntimeError):
    """A helper process stopped or raised; the message carries its traceback."""


class Helper:
    """The main process's side of one helper process: starts it, sends it its job and receives
    its parts; ``close`` ends it (``SharedRun`` does, finished, cancelled or failed)."""

    def __init__(self, job: Job | ReceiverJob, cancelled: CancelledFn | None = None):
        self.cancelled = cancelled
        context = multiprocessing.get_context("spawn")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(
            target=serve, args=(theirs,), name="symdesk-matching-helper", daemon=True
        )
        self._process.start()
        theirs.close()
        self._conn.send(job)

    def close(self) -> None:
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def has_sent(self) -> bool:
        """Whether a part waits to be received (never waits itself)."""
        return self._conn.poll()

    def receive(self, what: str) -> tuple[Any, ...]:
        """The next part the helper sends, which must be ``what``; waits, looking for a cancel."""
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


class SharedRun:
    """The helpers of a shared run, one after the other, never two at once (each holds its own
    copy of the zone): the screening helper screens its share of the offers, then finds the
    company-type guesses and the pools; once those have come, the receivers' helper scores the
    suggested receivers of every offer, which the main process then explains.

    The main process calls ``meanwhile`` often while it explains the kept pairs, so that the
    second helper starts as soon as the first has ended. Use as a context manager."""

    def __init__(self, job: Job, offers: Sequence[Stream], cancelled: CancelledFn | None = None):
        self.job, self.offers, self.cancelled = job, offers, cancelled
        self.screener: Helper | None = Helper(job, cancelled)
        self.scanner: Helper | None = None
        self._declared: tuple[np.ndarray, np.ndarray] | None = None
        self._found: tuple[list[Opportunity], list[Opportunity]] | None = None

    def __enter__(self) -> SharedRun:
        return self

    def __exit__(self, *_exc: object) -> None:
        for helper in (self.screener, self.scanner):
            if helper is not None:
                helper.close()

    def joined_kept(self, kept: Screened) -> Screened:
        """The pairs kept of the whole zone, from the main process's share (``kept``) and the helper's."""
        assert self.screener is not None
        _, offer_index, need_index, total = self.screener.receive("kept")
        kept = best_of_each(joined(kept, offer_index, need_index, total), self.job.max_pairs)
        self._declared = declared_positions(kept, self.offers, self.job.residents)
        return kept

    def meanwhile(self) -> None:
        """Take the guesses and pools if they have come (and so start the receivers' helper)."""
        if self._found is None and self.screener is not None and self.screener.has_sent():
            self._take_found()

    def guesses_and_pools(self) -> tuple[list[Opportunity], list[Opportunity]]:
        if self._found is None:
            self._take_found()
        assert self._found is not None
        return self._found

    def kept_receivers(self, meanwhile: Callable[[Callable[[], bool]], None] | None = None) -> list[KeptReceiver]:
        """``receiver_mode.kept_receivers`` of the run's offers, from the receivers' helper.
        ``meanwhile(ready)``: work to do while they are not ready (it stops once ``ready()``)."""
        self.guesses_and_pools()
        assert self.scanner is not None
        if meanwhile is not None:
            meanwhile(self.scanner.has_sent)
        rows = self.scanner.receive("receivers")[1]
        self.scanner.close()
        return rows

    def _take_found(self) -> None:
        assert self.screener is not None and self._declared is not None
        _, guesses, pools = self.screener.receive("found")
        self._found = (guesses, pools)
        self.screener.close()
        self.screener = None
        job = self.job
        self.scanner = Helper(
            ReceiverJob(self.offers, job.residents, job.kb, job.weights, *self._declared), self.cancelled
        )


def declared_positions(
    kept: Screened, offers: Sequence[Stream], residents: Sequence[Resident]
) -> tuple[np.ndarray, np.ndarray]:
    """Each kept pair's offer as a position in ``offers`` and its need's resident as a position in
    ``residents``: the declared pairs as the receivers' helper reads them."""
    offer_at = {s.id: at for at, s in enumerate(offers)}
    resident_at = {r.id: at for at, r in enumerate(residents)}
    offer_positions = np.array([offer_at[s.id] for s in kept.offers], dtype=np.int64)
    need_residents = np.array([resident_at[s.resident_id] for s in kept.needs], dtype=np.int64)
    return offer_positions[kept.offer_index], need_residents[kept.need_index]


def serve(conn: Connection) -> None:
    """A helper's side: the work of its job. An error is sent, not raised."""
    try:
        with collector_paused():
            job = conn.recv()
            if isinstance(job, ReceiverJob):
                _find_receivers(conn, job)
            else:
                _screen_and_guess(conn, job)
    except (EOFError, ConnectionError):
        return  # the main process is gone (cancelled or failed): nothing to tell it
    except BaseException:  # sent to the main process, which raises it there
        with contextlib.suppress(OSError):
            conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _screen_and_guess(conn: Connection, job: Job) -> None:
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


def _find_receivers(conn: Connection, job: ReceiverJob) -> None:
    offers, residents = job.offers, job.residents
    declared = {
        (offers[i].id, residents[j].id)
        for i, j in zip(job.declared_offers.tolist(), job.declared_receivers.tolist(), strict=True)
    }
    by_resident = {r.id: r for r in residents}
    conn.send(("receivers", kept_receivers(offers, by_resident, job.kb, job.weights, declared=declared)))
