"""team jobs

Team report PDFs and bulk exports made on the job queue: each job's state, attempts and, once made, its output,
until it expires. Deleted with their team.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('team_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('variant', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('error', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('rq_id', sa.String(length=64), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('output', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('team_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_jobs_token'), ['token'], unique=True)
        batch_op.create_index(batch_op.f('ix_team_jobs_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_jobs_rq_id'), ['rq_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_jobs_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('team_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_jobs_expires_at'))
        batch_op.drop_index(batch_op.f('ix_team_jobs_rq_id'))
        batch_op.drop_index(batch_op.f('ix_team_jobs_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_jobs_token'))

    op.drop_table('team_jobs')
