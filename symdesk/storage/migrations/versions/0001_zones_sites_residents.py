"""Zones, their sites and resident companies.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
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
        "zones",
        *sync_columns(),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("short_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("region", sa.String(200), nullable=False, server_default=""),
        sa.Column("administration", sa.String(300), nullable=False, server_default=""),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
    )
    op.create_table(
        "sites",
        *sync_columns(),
        sa.Column("zone_id", sa.String(36), sa.ForeignKey("zones.id"), nullable=False, index=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("code", sa.String(50), nullable=False, server_default=""),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
    )
    op.create_table(
        "residents",
        *sync_columns(),
        sa.Column("zone_id", sa.String(36), sa.ForeignKey("zones.id"), nullable=False, index=True),
        sa.Column("site_id", sa.String(36), sa.ForeignKey("sites.id"), index=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("short_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("unp", sa.String(9), nullable=False, server_default="", index=True),
        sa.Column("activity_codes", sa.JSON(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False, server_default=""),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("contact_person", sa.String(300), nullable=False, server_default=""),
        sa.Column("phone", sa.String(100), nullable=False, server_default=""),
        sa.Column("email", sa.String(200), nullable=False, server_default=""),
        sa.Column("staff_count", sa.Integer()),
        sa.Column("main_products", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="active"),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("residents")
    op.drop_table("sites")
    op.drop_table("zones")
