"""one_time_token.invited_name: the name a school typed when it invited someone

An invitation to an address that already has an account stays pending (no role at the school) until the
person accepts it; until then the school sees the name it typed, not the account's own.

Revision ID: a1d0c7e5f2b9
Revises: a4d2e8b61f37
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "a1d0c7e5f2b9"
down_revision: str | None = "a4d2e8b61f37"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("one_time_token") as batch:
        batch.add_column(sa.Column("invited_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("one_time_token") as batch:
        batch.drop_column("invited_name")
