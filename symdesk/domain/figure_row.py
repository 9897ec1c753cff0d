"""A row of named figures that shares its names with every row like it: an opportunity's benefits.

A matching run over a national register prices a million opportunities, each
with the same sixteen benefit figures. As dicts they took 440 bytes each for
the hash table alone — a third of an opportunity's memory, and the reason a
register's run did not fit in 2 GB. A ``FigureRow`` keeps the values in a
tuple and the names, with their positions, once for every row of the same
layout (about 200 bytes a row). It reads like a read-only dict (it *is* a
``Mapping``, equal to a dict with the same items), and is written to JSON
columns and printed as one (``storage.db.json_text``, ``cli.common``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any


class FigureNames:
    """The names of a layout of figures, in order, and the position of each."""

    __slots__ = ("names", "position")

    def __init__(self, names: Sequence[str]):
        self.names = tuple(names)
        self.position = {name: at for at, name in enumerate(self.names)}
        if len(self.position) != len(self.names):
            raise ValueError(f"figure names repeat: {self.names}")


class FigureRow(Mapping[str, Any]):
    """``dict(zip(layout.names, values))``, read-only, in a fifth of the memory."""

    __slots__ = ("_layout", "_values")

    def __init__(self, layout: FigureNames, values: tuple[Any, ...]):
        if len(values) != len(layout.names):
            raise ValueError(f"{len(values)} values for {len(layout.names)} figures")
        self._layout = layout
        self._values = values

    def __getitem__(self, name: str) -> Any:
        at = self._layout.position.get(name)
        if at is None:
            raise KeyError(name)
        return self._values[at]

    def get(self, name: str, default: Any = None) -> Any:  # the common read: no exception on a missing name
        at = self._layout.position.get(name)
        return default if at is None else self._values[at]

    def __contains__(self, name: object) -> bool:
        return name in self._layout.position

    def __iter__(self) -> Iterator[str]:
        return iter(self._layout.names)

    def __len__(self) -> int:
        return len(self._values)

    def as_dict(self) -> dict[str, Any]:
        """The plain dict it reads as (for writing it out: faster than reading it name by name)."""
        return dict(zip(self._layout.names, self._values, strict=True))

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[Any, ...]:  # a pickle shares the layout like the rows it was made of
        return (FigureRow, (self._layout, self._values))
