"""team compare token

A team's comparison address (/compare/<candidate>/<team>) carried the respondent token, which also lets anyone answer
for the team; it now carries a token of its own that opens only the comparison. Teams made before get one each.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 15:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('compare_token', sa.String(length=64), nullable=True))
    teams = sa.table('teams', sa.column('id', sa.Integer), sa.column('compare_token', sa.String))
    connection = op.get_bind()
    for (team_id,) in connection.execute(sa.select(teams.c.id)).all():
        connection.execute(  # the same kind of token as store.new_token: 256 random bits, URL-safe
            teams.update().where(teams.c.id == team_id).values(compare_token=secrets.token_urlsafe(32))
        )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.alter_column('compare_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f('ix_teams_compare_token'), ['compare_token'], unique=True)


def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_compare_token'))
        batch_op.drop_column('compare_token')
