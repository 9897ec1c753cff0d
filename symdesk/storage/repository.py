"""Repositories: load and save domain records; the only place with SQL.

Saving bumps the record's revision and modification time; deleting sets the
tombstone. Both are what bundle merging (a later feature) relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import JSON, Text, delete, func, select, type_coerce
from sqlalchemy.orm import Session

from symdesk.domain.collector import collector_paused
from symdesk.domain.opportunity import Opportunity
from symdesk.domain.questionnaire import Questionnaire
from symdesk.domain.records import utcnow
from symdesk.domain.resident import Resident
from symdesk.domain.stream import Stream
from symdesk.domain.zone import Campaign, Site, Zone
from symdesk.storage.errors import RecordNotFound
from symdesk.storage.mapping import (
    META_FIELDS,
    data_fields,
    domain_columns,
    domain_values,
    record_builder,
    row_to_domain,
)
from symdesk.storage.tables import (
    CampaignRow,
    NationalWasteCodeRow,
    OpportunityRow,
    QuestionnaireRow,
    ResidentRow,
    SiteRow,
    StreamRow,
    SyncColumns,
    ZoneRow,
)

D = TypeVar("D")


class Repository(Generic[D]):
    """Load and save one kind of synchronised record."""

    row_type: type[Any]
    domain_type: type[D]

    def __init__(self, session: Session):
        self.session = session

    def get(self, record_id: str, *, include_deleted: bool = False) -> D:
        row = self.session.get(self.row_type, record_id)
        if row is None or (row.deleted and not include_deleted):
            raise RecordNotFound(record_id)
        return row_to_domain(row, self.domain_type)

    def list(self, *, include_deleted: bool = False, **equal: Any) -> list[D]:
        table = self.row_type.__table__
        return self.records(*(table.c[name] == value for name, value in equal.items()), include_deleted=include_deleted)

    def records(
        self, *conditions: Any, include_deleted: bool = False, leave_out: Collection[str] = (), order_by: Sequence[Any] = (),
        limit: int | None = None,
    ) -> list[D]:
        """Domain records read with one Core select: the fast path for lists of thousands.

        Going through ORM objects cost more than the records themselves when
        a national register's 165,000 opportunities were read (21–28 s against
        5.5 s now). Here each row becomes a record directly.
        ``leave_out`` names data fields not read at all (they keep their
        defaults): a list of opportunities does without the score breakdown
        and the reasons, most of the stored bytes, until one is opened.
        """
        fields = [f for f in data_fields(self.domain_type) if f not in leave_out]
        table = self.row_type.__table__
        query = select(*(table.c[name] for name in (*fields, *META_FIELDS))).where(*conditions)
        if not include_deleted:
            query = query.where(table.c.deleted.is_(False))
        if order_by:
            query = query.order_by(*order_by)
        if limit is not None:
            query = query.limit(limit)
        build = record_builder(self.domain_type, tuple(fields))
        with collector_paused():  # thousands of records, none of them in a reference cycle
            return [build(row) for row in self.session.execute(query).all()]

    def columns(self, *names: str, json_as_text: bool = False, ids: Collection[str] | None = None) -> list[tuple[Any, ...]]:
        """Plain tuples of some columns of every row (or of the rows with these ``ids``), deleted ones included.

        For comparing thousands of stored records with new ones (a matching
        re-run): building ORM objects and domain records for all of them
        costs ten times as much, and most turn out unchanged. With
        ``json_as_text`` JSON columns come as the stored text, which is
        ``db.json_text`` of the value: comparing texts skips decoding them.
        """
        columns = []
        for name in names:
            column = getattr(self.row_type, name)
            if json_as_text and isinstance(column.type, JSON):
                column = type_coerce(column, Text)
            columns.append(column)
        with collector_paused():
            if ids is None:
                return [tuple(row) for row in self.session.execute(select(*columns))]
            wanted = list(ids)
            found = []
            for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one statement
                query = select(*columns).where(self.row_type.id.in_(wanted[start : start + 500]))
                found += [tuple(row) for row in self.session.execute(query)]
            return found

    def by_ids(self, ids: Collection[str]) -> list[D]:
        """The records with these ids, deleted ones included, in no particular order."""
        wanted = list(ids)
        found: list[D] = []
        for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one statement
            query = select(self.row_type).where(self.row_type.id.in_(wanted[start : start + 500]))
            found += [row_to_domain(row, self.domain_type) for row in self.session.scalars(query)]
        return found

    def add(self, record: D, *, flush: bool = True) -> D:
        """Insert or update ``record``; returns it with its metadata brought up to date.

        ``flush=False`` leaves the write to the next flush or commit.
        """
        row = self.session.get(self.row_type, record.meta.id)  # type: ignore[attr-defined]
        self._write(record, row)
        if flush:
            self.session.flush()
        return record

    def add_many(self, records: Sequence[D]) -> list[D]:
        """``add`` of each record, their rows read with one query per 500 and written with one flush:
        ``add`` reads each row by itself, and a matching re-run writes hundreds."""
        rows: dict[str, Any] = {}
        ids = [record.meta.id for record in records]  # type: ignore[attr-defined]
        with self.session.no_autoflush:
            for start in range(0, len(ids), 500):  # SQLite limits the parameters of one statement
                query = select(self.row_type).where(self.row_type.id.in_(ids[start : start + 500]))
                rows.update((row.id, row) for row in self.session.scalars(query))  # held: the identity map is weak
            for record, key in zip(records, ids, strict=True):
                self._write(record, rows.get(key))
        self.session.flush()
        return list(records)

    def _write(self, record: D, row: Any) -> None:
        """Put ``record`` into ``row`` (a new row if None), a new revision only if something changed."""
        meta = record.meta  # type: ignore[attr-defined]
        now = utcnow()
        values = domain_values(record)
        if row is None:
            row = self.row_type(id=meta.id, created_at=meta.created_at or now, revision=1)
            self.session.add(row)
        else:
            if all(getattr(row, k) == v for k, v in values.items()) and row.deleted == meta.deleted:
                meta.revision, meta.modified_at, meta.created_at = (
                    row.revision,
                    row.modified_at,
                    row.created_at,
                )
                return  # nothing changed: no new revision
            row.revision = row.revision + 1
        for key, value in values.items():
            setattr(row, key, value)
        row.deleted = meta.deleted
        row.modified_at = now
        meta.created_at, meta.modified_at, meta.revision = row.created_at, now, row.revision

    def insert_new(self, records: Sequence[D], json_text: Callable[[Any], str] | None = None) -> None:
        """Insert records known not to exist yet, in one executemany: the fast path
        for the thousands of opportunities a first matching run finds. ``json_text``
        writes the JSON columns in place of the engine's own (``db.SharedRowsJson``)."""
        if not records:
            return
        now = utcnow()
        metas = [record.meta for record in records]  # type: ignore[attr-defined]
        for meta in metas:
            meta.created_at = meta.created_at or now
            meta.modified_at, meta.revision = now, 1
        values = domain_columns(records)
        values |= {"id": [m.id for m in metas], "created_at": [m.created_at for m in metas],
                   "modified_at": [now] * len(metas), "revision": [1] * len(metas),
                   "deleted": [m.deleted for m in metas]}
        # Not the ORM's bulk insert: that one leaves out None values so that column defaults
        # apply, and splits the rows into one statement per pattern of None values (thousands
        # for a matching run). Every value is given here, converted by each column type's own
        # bind processor (JSON text, UTC times) a column at a time and handed to the driver's
        # executemany at once, without a Core insert's bookkeeping per row (22,046 opportunities:
        # 1.76 → 1.65 s; converting by columns, 1.1 → 0.75 s; a test holds the stored values equal
        # to what ``add`` writes).
        table = self.row_type.__table__
        connection = self.session.connection()
        dialect = connection.dialect
        names = [column.name for column in table.columns]
        converted_columns = []
        for column in table.columns:
            convert = column.type.dialect_impl(dialect).bind_processor(dialect)
            if json_text is not None and isinstance(column.type, JSON) and not column.type.none_as_null:
                convert = json_text  # what the engine's processor does with a value, None included ("null")
            column_values = values[column.name]
            converted_columns.append(column_values if convert is None else _converted(convert, column_values))
        converted = list(zip(*converted_columns, strict=True))
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        connection.exec_driver_sql(sql, converted)

    def delete(self, record_id: str) -> None:
        """Soft delete: keep the row as a tombstone with a new revision."""
        row = self.session.get(self.row_type, record_id)
        if row is None or row.deleted:
            raise RecordNotFound(record_id)
        row.deleted = True
        row.revision += 1
        row.modified_at = utcnow()

    def count(self) -> int:
        query = select(func.count()).select_from(self.row_type).where(self.row_type.deleted.is_(False))
        return int(self.session.scalar(query) or 0)


def _converted(convert: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``convert`` applied to each value; once per distinct value where few repeat many times (the
    times of a run's rows are one instant). JSON values (lists, dicts) cannot be keys: one by one."""
    try:
        distinct = dict.fromkeys(values)
    except TypeError:
        return list(map(convert, values))
    if 4 * len(distinct) > len(values):
        return list(map(convert, values))
    done = {value: convert(value) for value in distinct}
    return [done[value] for value in values]


class ZoneRepository(Repository[Zone]):
    row_type, domain_type = ZoneRow, Zone


class SiteRepository(Repository[Site]):
    row_type, domain_type = SiteRow, Site


class CampaignRepository(Repository[Campaign]):
    row_type, domain_type = CampaignRow, Campaign


class QuestionnaireRepository(Repository[Questionnaire]):
    row_type, domain_type = QuestionnaireRow, Questionnaire


class StreamRepository(Repository[Stream]):
    row_type, domain_type = StreamRow, Stream


class OpportunityRepository(Repository[Opportunity]):
    row_type, domain_type = OpportunityRow, Opportunity

    def filtered(
        self,
        *,
        kind: str | None = None,
        match_kind: str | None = None,
        status: str | None = None,
        min_score: float = 0.0,
        party: str | None = None,
        include_inactive: bool = False,
        leave_out: Collection[str] = (),
        limit: int | None = None,
    ) -> list[Opportunity]:
        """Opportunities best first (ties by id), filtered in SQL, the first ``limit`` of them. ``party``: a
        resident id that is the provider, the receiver or a member — a superset: the member test reads
        the JSON as text."""
        c = OpportunityRow.__table__.c
        conditions = [c.score >= min_score]
        if not include_inactive:
            conditions.append(c.active.is_(True))
        for column, value in ((c.kind, kind), (c.match_kind, match_kind), (c.status, status)):
            if value is not None:
                conditions.append(column == value)
        if party is not None:
            conditions.append(
                (c.provider_id == party) | (c.receiver_id == party)
                | type_coerce(c.members, Text).contains(party, autoescape=True)
            )
        return self.records(*conditions, leave_out=leave_out, order_by=(c.score.desc(), c.id), limit=limit)

    def with_id_prefix(self, prefix: str) -> list[Opportunity]:
        return self.records(OpportunityRow.__table__.c.id.startswith(prefix, autoescape=True))

    def titles(self) -> dict[str, str]:
        """Every opportunity's title by id, deleted ones left out."""
        c = OpportunityRow.__table__.c
        return {key: title for key, title in self.session.execute(select(c.id, c.title).where(c.deleted.is_(False)))}


@dataclass(frozen=True)
class ResidentSummary:
    """A plain row for lists and tables: no ORM object leaves storage."""

    id: str
    name: str
    short_name: str
    unp: str
    activity_codes: tuple[str, ...]
    site_name: str
    status: str
    offers: int
    needs: int
    modified_at: Any


class ResidentRepository(Repository[Resident]):
    row_type, domain_type = ResidentRow, Resident

    def find(self, key: str) -> list[Resident]:
        """Residents whose id starts with ``key``, or whose УНП equals it."""
        key = key.strip()
        query = select(ResidentRow).where(
            ResidentRow.deleted.is_(False),
            (ResidentRow.id.startswith(key.lower(), autoescape=True)) | (ResidentRow.unp == key),
        )
        return [row_to_domain(row, Resident) for row in self.session.scalars(query)]

    def by_unp(self, unp: str, *, exclude_id: str | None = None) -> list[Resident]:
        query = select(ResidentRow).where(ResidentRow.deleted.is_(False), ResidentRow.unp == unp)
        if exclude_id:
            query = query.where(ResidentRow.id != exclude_id)
        return [row_to_domain(row, Resident) for row in self.session.scalars(query)]

    def summaries(self) -> Sequence[ResidentSummary]:
        """One light row per live resident, with offer and need counts, in one query."""
        live = StreamRow.deleted.is_(False)
        offers = (
            select(StreamRow.resident_id, func.count().label("n"))
            .where(live, StreamRow.direction == "offer")
            .group_by(StreamRow.resident_id)
            .subquery()
        )
        needs = (
            select(StreamRow.resident_id, func.count().label("n"))
            .where(live, StreamRow.direction == "need")
            .group_by(StreamRow.resident_id)
            .subquery()
        )
        query = (
            select(
                ResidentRow.id,
                ResidentRow.name,
                ResidentRow.short_name,
                ResidentRow.unp,
                ResidentRow.activity_codes,
                func.coalesce(SiteRow.name, ""),
                ResidentRow.status,
                func.coalesce(offers.c.n, 0),
                func.coalesce(needs.c.n, 0),
                ResidentRow.modified_at,
            )
            .outerjoin(SiteRow, SiteRow.id == ResidentRow.site_id)
            .outerjoin(offers, offers.c.resident_id == ResidentRow.id)
            .outerjoin(needs, needs.c.resident_id == ResidentRow.id)
            .where(ResidentRow.deleted.is_(False))
            .order_by(ResidentRow.name)
        )
        return [
            ResidentSummary(
                id=r[0],
                name=r[1],
                short_name=r[2],
                unp=r[3],
                activity_codes=tuple(r[4] or ()),
                site_name=r[5],
                status=r[6],
                offers=int(r[7]),
                needs=int(r[8]),
                modified_at=r[9],
            )
            for r in self.session.execute(query)
        ]


def all_sync_tables() -> list[type[SyncColumns]]:
    return [ZoneRow, SiteRow, ResidentRow, CampaignRow, QuestionnaireRow, StreamRow, OpportunityRow]


@dataclass(frozen=True)
class NationalCode:
    code: str
    name: str
    hazard_class: str
    source: str


class NationalCodeRepository:
    """The imported Belarusian waste classifier (reference data, replaced whole)."""

    def __init__(self, session: Session):
        self.session = session

    def replace_all(self, codes: Sequence[NationalCode]) -> None:
        self.session.execute(delete(NationalWasteCodeRow))
        now = utcnow()
        self.session.add_all(
            NationalWasteCodeRow(code=c.code, name=c.name, hazard_class=c.hazard_class, source=c.source, imported_at=now)
            for c in codes
        )

    def all(self) -> list[NationalCode]:
        rows = self.session.scalars(select(NationalWasteCodeRow).order_by(NationalWasteCodeRow.code))
        return [NationalCode(r.code, r.name, r.hazard_class, r.source) for r in rows]
