"""disclosure_families and rendered_reports: one family of figures per closed cycle, rendered once

Revision ID: family
Revises: dontknow
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.models

revision: str = "family"
down_revision: str | None = "dontknow"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "disclosure_families",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("organisation_cycle_id", sa.Integer(), nullable=True),
        sa.Column("family", sa.Text(), nullable=False),
        sa.Column("decided_at", bot.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_disclosure_families_cycle_id_cycles"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_cycle_id"], ["organisation_cycles.id"],
                                name=op.f("fk_disclosure_families_organisation_cycle_id_organisation_cycles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_families")),
        sa.UniqueConstraint("cycle_id", name=op.f("uq_disclosure_families_cycle_id")),
        sa.UniqueConstraint("organisation_cycle_id",
                            name=op.f("uq_disclosure_families_organisation_cycle_id")),
    )
    op.create_table(
        "rendered_reports",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("variant", sa.String(length=32), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["cycle_id"], ["cycles.id"],
                                name=op.f("fk_rendered_reports_cycle_id_cycles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cycle_id", "language", "variant",
                                name=op.f("pk_rendered_reports")),
    )


def downgrade() -> None:
    op.drop_table("rendered_reports")
    op.drop_table("disclosure_families")
