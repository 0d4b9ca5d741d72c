"""Since the first release: the chunks of a tus upload as committed (upload_parts: the database arbitrates
between workers, the store keeps bytes), the latest heartbeat per sitting (presence), and on PostgreSQL
JSON columns as text (its json type refuses the NaN an op payload may carry; SQLite is unchanged).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:21:01.342507

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


JSON_DOC = sa.JSON().with_variant(sa.Text(), "postgresql")  # server.db.JsonDoc as stored
JSON_COLUMNS = [("candidates", "prior_attempts"), ("rooms", "proctors"), ("sittings", "receipt"), ("ops", "payload"),
                ("commands", "body"), ("heartbeats", "body"), ("panel_scores", "members")]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=sa.Text(), existing_type=sa.JSON(),
                            postgresql_using="%s::text" % column)
    op.create_table('presence',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('received_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('body', JSON_DOC, nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('sitting_id')
    )
    op.create_table('upload_parts',
    sa.Column('upload_id', sa.String(length=64), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.upload_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('upload_id', 'offset')
    )


def downgrade() -> None:
    op.drop_table('upload_parts')
    op.drop_table('presence')
    if op.get_bind().dialect.name == "postgresql":
        for table, column in JSON_COLUMNS:
            op.alter_column(table, column, type_=sa.JSON(), existing_type=sa.Text(),
                            postgresql_using="%s::json" % column)
