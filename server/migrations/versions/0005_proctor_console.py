"""the proctor console: staff accounts, sessions, room proctors, flag reviews, audit

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:41:47.885888

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON_DOC = sa.JSON().with_variant(sa.Text(), "postgresql")  # server.db.JsonDoc as stored


def upgrade() -> None:
    op.create_table('staff_accounts',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=128), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('updated_at_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('staff_audit',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('room_id', sa.String(length=64), nullable=True),
    sa.Column('sitting_id', sa.String(length=64), nullable=True),
    sa.Column('target', sa.String(length=128), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.Column('details', JSON_DOC, nullable=False),
    sa.Column('outcome', sa.String(length=64), nullable=False),
    sa.Column('addr', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_audit_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_audit_at_ms'), ['at_ms'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_audit_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_audit_sitting_id'), ['sitting_id'], unique=False)

    op.create_table('staff_sessions',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('expires_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('last_seen_ms', sa.BigInteger(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('token_sha256')
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_username'), ['username'], unique=False)

    op.create_table('room_proctors',
    sa.Column('room_id', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('assigned_at_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.room_id'], ),
    sa.PrimaryKeyConstraint('room_id', 'username')
    )
    with op.batch_alter_table('room_proctors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_proctors_username'), ['username'], unique=False)

    op.create_table('flag_reviews',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=False),
    sa.Column('reviewer', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('sitting_id', 'seq')
    )


def downgrade() -> None:
    op.drop_table('flag_reviews')
    with op.batch_alter_table('room_proctors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_proctors_username'))

    op.drop_table('room_proctors')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_username'))

    op.drop_table('staff_sessions')
    with op.batch_alter_table('staff_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_audit_sitting_id'))
        batch_op.drop_index(batch_op.f('ix_staff_audit_room_id'))
        batch_op.drop_index(batch_op.f('ix_staff_audit_at_ms'))
        batch_op.drop_index(batch_op.f('ix_staff_audit_actor'))

    op.drop_table('staff_audit')
    op.drop_table('staff_accounts')
