"""Which edition's glossary a person needs: the one of the survey they are answering."""

from __future__ import annotations

from bot.db.repositories import Repository
from domain.catalog import DEFAULT_MODEL_ID, AssessmentModel, load_model


async def model_for(repo: Repository, user_id: int) -> AssessmentModel:
    """The model of the person's open survey, else of their first team, else the current edition:
    the words explained are then the words on the person's screen."""
    open_cycles = await repo.open_cycles_for(user_id)
    if open_cycles:
        return load_model(open_cycles[0][0].model_id)
    for membership in await repo.memberships_of(user_id):
        team = await repo.team(membership.team_id)
        if team is not None:
            return load_model(team.model_id)
    return load_model(DEFAULT_MODEL_ID)
