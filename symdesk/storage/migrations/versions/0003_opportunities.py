"""Opportunities found by matching, with their status workflow.

Residents and streams are referred to by id without foreign keys: an
opportunity outlives the deletion (tombstone) of what it connected, and
bundles may bring opportunities before the streams they point to.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opportunities",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false(), index=True),
        sa.Column("match_kind", sa.String(20), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False, index=True),
        sa.Column("title", sa.Text(), nullable=False, server_default=""),
        sa.Column("score", sa.Float(), nullable=False, server_default="0"),
        sa.Column("provider_id", sa.String(36), index=True),
        sa.Column("receiver_id", sa.String(36), index=True),
        sa.Column("offer_id", sa.String(36)),
        sa.Column("need_id", sa.String(36)),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("benefits", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="new", index=True),
        sa.Column("status_changed_at", sa.DateTime()),
        sa.Column("reject_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true(), index=True),
    )


def downgrade() -> None:
    op.drop_table("opportunities")
