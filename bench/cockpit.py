"""The cockpit's API answer for a team of 1,000 respondents with 8 closed cycles, beside the chat
report of the same team (issue 30: under 200 ms of CPU).

The team is seeded through the services (`bench.seeding.history_example`), the bot runs against
the emulator, and the cockpit is served as in the demo; the API is asked over HTTP with a launch
signed by the emulator. The first answer builds every cycle's report for this reader through
`reports.build_report`; later ones find the closed cycles' points by what their figures depend on
(`bot.services.history`). Each figure is CPU time of this process (wall-clock in brackets).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench._common import TOKEN, sqlite_url
from bench.seeding import history_example
from bot.config import load_settings
from bot.emulator import BotApiEmulator
from bot.ops.demo import serve_cockpit
from bot.ops.polling import start_polling, stop_polling
from bot.rendering import presenting
from bot.services import history, report_view, reports

RESPONDENTS, CYCLES, TARGET_MS = 1_000, 8, 200.0


async def _timed(action: object) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    await action  # type: ignore[misc]
    return time.process_time() - started_cpu, time.perf_counter() - started


def _ms(figures: tuple[float, float]) -> str:
    return f"{figures[0] * 1000:6.0f} ms ({figures[1] * 1000:.0f})"


async def run(scratch: Path) -> None:
    url = sqlite_url(scratch, "cockpit.db")
    seeded = time.perf_counter()
    team_id, manager, latest_id = await history_example(
        url, cycles_held=CYCLES, respondents=RESPONDENTS,
        now=datetime.now(UTC).replace(microsecond=0))
    print(f"\n7. Cockpit: a team of {RESPONDENTS} respondents with {CYCLES} closed cycles "
          f"(seeded in {time.perf_counter() - seeded:.0f} s)")
    async with BotApiEmulator(TOKEN) as emulator:
        settings = load_settings(telegram_bot_token=TOKEN, database_url=url,
                                 telegram_api_base_url=emulator.base_url)
        application = await start_polling(settings)
        cockpit = await serve_cockpit(application)
        runtime = application.runtime
        try:
            person = emulator.person(first_name="Manager", user_id=manager)
            headers = {"Authorization": f"tma {emulator.init_data(person)}"}
            path = f"{cockpit.base}/app/api/teams/{team_id}"

            async def ask() -> None:
                async with aiohttp.ClientSession() as client, client.get(
                        path, headers=headers) as answer:
                    assert answer.status == 200, answer.status
                    await answer.read()

            history._points.clear()  # the first answer, as after a restart
            first = await _timed(ask())
            warm = min([await _timed(ask()) for _ in range(5)])

            async def chat_report() -> None:
                async with runtime.repository() as repo:
                    cycle = await repo.cycle(latest_id)
                    assert cycle is not None
                    view = await report_view.build(repo, cycle, manager)
                presenting.summary(runtime.texts, "nl", view)

            async def one_report() -> None:
                async with runtime.repository() as repo:
                    cycle = await repo.cycle(latest_id)
                    assert cycle is not None
                    await reports.build_report(repo, cycle, manager)

            baseline = min([await _timed(one_report()) for _ in range(3)])
            chat = min([await _timed(chat_report()) for _ in range(3)])
        finally:
            await cockpit.runner.cleanup()
            await stop_polling(application)
    print(f"   CPU ms (wall ms): one cycle's report (build_report, the baseline) {_ms(baseline)}"
          f" · the chat report with its history {_ms(chat)}")
    print(f"   cockpit API, team history over HTTP: first answer {_ms(first)} "
          f"({first[0] / baseline[0]:.1f}× the baseline) · later answers {_ms(warm)} "
          f"({warm[0] / baseline[0]:.2f}× the baseline; target < {TARGET_MS:.0f} ms: "
          f"{'met' if warm[0] * 1000 < TARGET_MS else 'NOT met'})")
