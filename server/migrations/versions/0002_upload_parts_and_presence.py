"""Since the first release: the chunks of a tus upload as committed (upload_parts: the database arbitrates
between workers, the store keeps bytes) and the latest heartbeat per sitting (presence).

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


def upgrade() -> None:
    op.create_table('presence',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('received_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
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
