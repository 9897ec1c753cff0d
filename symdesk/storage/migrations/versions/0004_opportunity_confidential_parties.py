"""Opportunities remember which parties asked for confidentiality.

A stream marked confidential still matches; the opportunity records the
resident whose name must then be hidden in views and exports meant for
residents. Existing rows get an empty list (the next matching run fills it).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opportunities") as batch:
        batch.add_column(sa.Column("confidential_parties", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("opportunities") as batch:
        batch.drop_column("confidential_parties")
