"""privacy statement: the text (nl, en) and what changed, per published version

Revision ID: 79e9fccc6e0d
Revises: 9a0d1d4ce56c
Create Date: 2026-11-25 15:27:21.669319
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "79e9fccc6e0d"
down_revision: str | None = "9a0d1d4ce56c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("policy_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_nl", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("body_en", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("summary_nl", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("summary_en", sa.Text(), server_default="", nullable=False))



def downgrade() -> None:
    with op.batch_alter_table("policy_version", schema=None) as batch_op:
        batch_op.drop_column("summary_en")
        batch_op.drop_column("summary_nl")
        batch_op.drop_column("body_en")
        batch_op.drop_column("body_nl")

