"""The buttons of the bot's own messages (invitations, reminders, reports), from the one registry.

`bot.outbox.delivery` sends these from the outbox and may not import this layer, so it reaches them
through the `bot.outbox.notices.NoticeButtons` port; `bot/app.py` wires `BUTTONS` into the
`Runtime`.
"""

from __future__ import annotations

from bot.telegram.keyboards import Payload, ReportTarget
from conversations import callbacks


class CallbackButtons:
    def resume(self, cycle_id: int) -> Payload:
        return callbacks.Resume(cycle_id)

    def new_action(self, cycle_id: int, element_id: str) -> Payload:
        return callbacks.NewAction(cycle_id, element_id)

    def full_report(self, cycle_id: int) -> Payload:
        return callbacks.Document(cycle_id)

    def export(self, cycle_id: int) -> Payload:
        return callbacks.ExportCycle(cycle_id)

    def export_all(self, cycle_id: int) -> Payload:
        return callbacks.ExportAllCycles(cycle_id)
    def action_answer(self, action_id: int, accept: bool) -> Payload:
        return callbacks.ActionAnswer(action_id, accept)

    def action_status(self, action_id: int, status: str) -> Payload:
        return callbacks.ActionStatus(action_id, status)

    def report_target(self, data: str | None) -> ReportTarget | None:
        button = callbacks.parse(data)
        if isinstance(button, callbacks.Document | callbacks.ExportCycle
                      | callbacks.ExportAllCycles):
            return ReportTarget(cycle_id=button.cycle_id)
        if isinstance(button, callbacks.ExportLatest):
            return ReportTarget(team_id=button.team_id)
        return None


BUTTONS = CallbackButtons()
