"""forgetting a person leaves no id: invites.created_by nullable, improvement_actions.owner_id

Revision ID: perms
Revises: durable

/deleteme unlinks what a person created instead of deleting the team's history: an invite keeps
working without its creator's id, an action keeps its element and a role instead of a name. The
owner's id is stored so that forgetting finds the person's actions by id, not by a name that may
have changed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "perms"
down_revision: str | None = "durable"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invites") as batch_op:
        batch_op.alter_column("created_by", existing_type=sa.BigInteger(), nullable=True)
    with op.batch_alter_table("improvement_actions") as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("improvement_actions") as batch_op:
        batch_op.drop_column("owner_id")
    op.execute("UPDATE invites SET created_by = 0 WHERE created_by IS NULL")
    with op.batch_alter_table("invites") as batch_op:
        batch_op.alter_column("created_by", existing_type=sa.BigInteger(), nullable=False)
