"""late answers and the last contact before the close

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:22:54.470218

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None



def upgrade() -> None:
    op.create_table('op_timing',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=8), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at_ms', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('sitting_id', 'seq')
    )
    op.create_table('sitting_edge',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('contact_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('committed_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('sitting_id')
    )


def downgrade() -> None:
    op.drop_table('sitting_edge')
    op.drop_table('op_timing')
