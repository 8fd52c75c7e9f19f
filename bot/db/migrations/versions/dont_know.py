"""dontknow: "I don't know" stored apart from "not applicable"

Both leave the level empty and neither counts in a mean, but not knowing is a finding of its own
(information does not reach people), so the report, the meeting and the CSV count it per topic.
Existing answers without a level were given with the one combined button: they stay "not
applicable", since we cannot tell afterwards which the person meant.

Revision ID: dontknow
Revises: quickscope (on this branch; "counted" in the brief, re-chained at merge)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "dontknow"
down_revision: str | None = "quickscope"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("dont_know", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("dont_know")
