"""ORM tables (SQLAlchemy 2.0 typed declarative).

Every synchronised table shares ``SyncColumns``: a UUID text primary key,
creation and modification times, a revision counter and a tombstone flag.
Rows are never deleted by the application; ``deleted`` hides them.
The schema is owned by the Alembic migrations in ``migrations/versions``;
a test checks that these models and the migrated database agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    pass


class SyncColumns:
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class ZoneRow(SyncColumns, Base):
    __tablename__ = "zones"
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    administration: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class SiteRow(SyncColumns, Base):
    __tablename__ = "sites"
    zone_id: Mapped[str] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(50), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class ResidentRow(SyncColumns, Base):
    __tablename__ = "residents"
    zone_id: Mapped[str] = mapped_column(ForeignKey("zones.id"), index=True)
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(200), default="")
    unp: Mapped[str] = mapped_column(String(9), default="", index=True)
    activity_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    contact_person: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    staff_count: Mapped[int | None] = mapped_column(Integer)
    main_products: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    notes: Mapped[str] = mapped_column(Text, default="")


class CampaignRow(SyncColumns, Base):
    __tablename__ = "campaigns"
    zone_id: Mapped[str] = mapped_column(ForeignKey("zones.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class QuestionnaireRow(SyncColumns, Base):
    __tablename__ = "questionnaires"
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id"), index=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    surveyor: Mapped[str] = mapped_column(String(300), default="")
    survey_date: Mapped[date | None] = mapped_column(Date)
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    form_id: Mapped[str] = mapped_column(String(100), default="")
    form_version: Mapped[str] = mapped_column(String(50), default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StreamRow(SyncColumns, Base):
    __tablename__ = "streams"
    resident_id: Mapped[str] = mapped_column(ForeignKey("residents.id"), index=True)
    questionnaire_id: Mapped[str | None] = mapped_column(ForeignKey("questionnaires.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(30), index=True)
    name: Mapped[str] = mapped_column(String(500))
    code: Mapped[str] = mapped_column(String(20), default="", index=True)
    code_system: Mapped[str | None] = mapped_column(String(20))
    hazard_class: Mapped[str | None] = mapped_column(String(20))
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), default="")
    period: Mapped[str | None] = mapped_column(String(20))
    regularity: Mapped[str | None] = mapped_column(String(20))
    quality: Mapped[str] = mapped_column(Text, default="")
    temperature_c: Mapped[float | None] = mapped_column(Float)
    pressure_mpa: Mapped[float | None] = mapped_column(Float)
    handling: Mapped[str | None] = mapped_column(String(30))
    price_byn: Mapped[float | None] = mapped_column(Float)
    secondary_acceptable: Mapped[bool | None] = mapped_column(Boolean)
    readiness: Mapped[str | None] = mapped_column(String(20))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class NationalWasteCodeRow(Base):
    """The Belarusian waste classifier as imported from the administration's file.

    Reference data, not a synchronised record: a re-import replaces it.
    """

    __tablename__ = "national_waste_codes"
    code: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    hazard_class: Mapped[str] = mapped_column(String(20), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OpportunityRow(SyncColumns, Base):
    __tablename__ = "opportunities"
    match_kind: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    provider_id: Mapped[str | None] = mapped_column(String(36), index=True)
    receiver_id: Mapped[str | None] = mapped_column(String(36), index=True)
    offer_id: Mapped[str | None] = mapped_column(String(36))
    need_id: Mapped[str | None] = mapped_column(String(36))
    members: Mapped[list[str]] = mapped_column(JSON, default=list)
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    benefits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    confidential_parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
