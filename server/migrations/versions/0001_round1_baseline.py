"""The schema of the first release (round 1): server/db.py as it was at commit acc2322, when the tables
were made by create_all. A database from that release has these tables and no alembic_version:
`examdesk-server migrate` recognises it and stamps it here before upgrading.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('candidates',
    sa.Column('ticket', sa.String(length=64), nullable=False),
    sa.Column('id_number', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('prior_attempts', sa.JSON(), nullable=False),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('ticket')
    )
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('at_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_login_failures_key'), 'login_failures', ['key'], unique=False)
    op.create_table('papers',
    sa.Column('paper_id', sa.String(length=128), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('imported_at_ms', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('paper_id')
    )
    op.create_table('rooms',
    sa.Column('room_id', sa.String(length=64), nullable=False),
    sa.Column('paper_id', sa.String(length=128), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('start_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.Column('proctors', sa.JSON(), nullable=False),
    sa.Column('paper_key_b64', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=96), nullable=False),
    sa.Column('nonce_b64', sa.String(length=32), nullable=False),
    sa.Column('ciphertext_b64', sa.Text(), nullable=False),
    sa.Column('ciphertext_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['paper_id'], ['papers.paper_id'], ),
    sa.PrimaryKeyConstraint('room_id')
    )
    op.create_table('tokens',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('ticket', sa.String(length=64), nullable=False),
    sa.Column('expires_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['ticket'], ['candidates.ticket'], ),
    sa.PrimaryKeyConstraint('token_sha256')
    )
    op.create_index(op.f('ix_tokens_ticket'), 'tokens', ['ticket'], unique=False)
    op.create_table('sittings',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('room_id', sa.String(length=64), nullable=False),
    sa.Column('ticket', sa.String(length=64), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('extension_s', sa.Integer(), nullable=False),
    sa.Column('acked_seq', sa.Integer(), nullable=False),
    sa.Column('chain_head', sa.String(length=64), nullable=False),
    sa.Column('ended_at_ms', sa.BigInteger(), nullable=True),
    sa.Column('ended_reason', sa.String(length=500), nullable=True),
    sa.Column('submitted_at_ms', sa.BigInteger(), nullable=True),
    sa.Column('receipt', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.room_id'], ),
    sa.ForeignKeyConstraint(['ticket'], ['candidates.ticket'], ),
    sa.PrimaryKeyConstraint('sitting_id')
    )
    op.create_index(op.f('ix_sittings_room_id'), 'sittings', ['room_id'], unique=False)
    op.create_index(op.f('ix_sittings_ticket'), 'sittings', ['ticket'], unique=False)
    op.create_table('commands',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('acked_at_ms', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_commands_sitting_id'), 'commands', ['sitting_id'], unique=False)
    op.create_table('heartbeats',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('received_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_heartbeats_sitting_id'), 'heartbeats', ['sitting_id'], unique=False)
    op.create_table('marks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('marked_at_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sitting_id', 'question_id')
    )
    op.create_index(op.f('ix_marks_sitting_id'), 'marks', ['sitting_id'], unique=False)
    op.create_table('ops',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('t_exam_ms', sa.BigInteger(), nullable=False),
    sa.Column('t_client_ms', sa.BigInteger(), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('received_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('sitting_id', 'seq')
    )
    op.create_table('panel_scores',
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('scored_at_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('sitting_id', 'part')
    )
    op.create_table('uploads',
    sa.Column('upload_id', sa.String(length=64), nullable=False),
    sa.Column('sitting_id', sa.String(length=64), nullable=False),
    sa.Column('ticket', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=256), nullable=False),
    sa.Column('filetype', sa.String(length=128), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('event_seq', sa.Integer(), nullable=True),
    sa.Column('created_at_ms', sa.BigInteger(), nullable=False),
    sa.Column('completed_at_ms', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['sitting_id'], ['sittings.sitting_id'], ),
    sa.PrimaryKeyConstraint('upload_id')
    )
    op.create_index(op.f('ix_uploads_sitting_id'), 'uploads', ['sitting_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_uploads_sitting_id'), table_name='uploads')
    op.drop_table('uploads')
    op.drop_table('panel_scores')
    op.drop_table('ops')
    op.drop_index(op.f('ix_marks_sitting_id'), table_name='marks')
    op.drop_table('marks')
    op.drop_index(op.f('ix_heartbeats_sitting_id'), table_name='heartbeats')
    op.drop_table('heartbeats')
    op.drop_index(op.f('ix_commands_sitting_id'), table_name='commands')
    op.drop_table('commands')
    op.drop_index(op.f('ix_sittings_ticket'), table_name='sittings')
    op.drop_index(op.f('ix_sittings_room_id'), table_name='sittings')
    op.drop_table('sittings')
    op.drop_index(op.f('ix_tokens_ticket'), table_name='tokens')
    op.drop_table('tokens')
    op.drop_table('rooms')
    op.drop_table('papers')
    op.drop_index(op.f('ix_login_failures_key'), table_name='login_failures')
    op.drop_table('login_failures')
    op.drop_table('candidates')
