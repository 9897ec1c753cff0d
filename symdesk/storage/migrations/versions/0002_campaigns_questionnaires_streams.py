"""Survey campaigns, questionnaires, offer and need streams, national waste codes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false(), index=True),
    ]


def upgrade() -> None:
    op.create_table(
        "campaigns",
        *sync_columns(),
        sa.Column("zone_id", sa.String(36), sa.ForeignKey("zones.id"), nullable=False, index=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date()),
        sa.Column("end_date", sa.Date()),
    )
    op.create_table(
        "questionnaires",
        *sync_columns(),
        sa.Column("resident_id", sa.String(36), sa.ForeignKey("residents.id"), nullable=False, index=True),
        sa.Column("campaign_id", sa.String(36), sa.ForeignKey("campaigns.id"), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("surveyor", sa.String(300), nullable=False, server_default=""),
        sa.Column("survey_date", sa.Date()),
        sa.Column("consent_to_share", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("form_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("form_version", sa.String(50), nullable=False, server_default=""),
        sa.Column("answers", sa.JSON(), nullable=False),
    )
    op.create_table(
        "streams",
        *sync_columns(),
        sa.Column("resident_id", sa.String(36), sa.ForeignKey("residents.id"), nullable=False, index=True),
        sa.Column("questionnaire_id", sa.String(36), sa.ForeignKey("questionnaires.id"), index=True),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("category", sa.String(30), nullable=False, index=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("code", sa.String(20), nullable=False, server_default="", index=True),
        sa.Column("code_system", sa.String(20)),
        sa.Column("hazard_class", sa.String(20)),
        sa.Column("quantity", sa.Float()),
        sa.Column("unit", sa.String(20), nullable=False, server_default=""),
        sa.Column("period", sa.String(20)),
        sa.Column("regularity", sa.String(20)),
        sa.Column("quality", sa.Text(), nullable=False, server_default=""),
        sa.Column("temperature_c", sa.Float()),
        sa.Column("pressure_mpa", sa.Float()),
        sa.Column("handling", sa.String(30)),
        sa.Column("price_byn", sa.Float()),
        sa.Column("secondary_acceptable", sa.Boolean()),
        sa.Column("readiness", sa.String(20)),
        sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "national_waste_codes",
        sa.Column("code", sa.String(7), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("hazard_class", sa.String(20), nullable=False, server_default=""),
        sa.Column("source", sa.String(500), nullable=False, server_default=""),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("national_waste_codes")
    op.drop_table("streams")
    op.drop_table("questionnaires")
    op.drop_table("campaigns")
