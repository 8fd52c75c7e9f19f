"""APScheduler keeps the rhythm; the database keeps the promises.

Interval jobs with fixed ids: one sweeps due notifications out of the outbox, one opens the
quarterly reassessments that are due, one forgets old update ids, and one keeps (or takes over) the
leadership: with several workers on PostgreSQL only the holder of an advisory lock runs the others
(see `bot.db.leader`). No job holds state of its own, so a restart, a missed run or a second
process
changes nothing: the next run finds in the database what is still due. Jobs live in memory on
purpose (APScheduler 3's SQLAlchemy job store blocks the event loop and pickles jobs).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.outbox import delivery
from bot.services import action_checkins, reassessment
from bot.services.ports import SystemClock
from bot.telegram.runtime import IsoApplication

log = logging.getLogger(__name__)

SWEEP_JOB = "outbox-sweep"
REASSESSMENT_JOB = "reassessments"
REASSESSMENT_EVERY = timedelta(minutes=15)
PRUNE_JOB = "forget-update-ids"
UPDATE_IDS_KEPT = timedelta(days=2)
ACTION_CHECKINS_JOB = "action-checkins"
ACTION_CHECKINS_EVERY = timedelta(hours=1)
LEADERSHIP_JOB = "leadership"
LEADERSHIP_EVERY = timedelta(seconds=10)


def _leading(application: IsoApplication) -> bool:
    leadership = application.runtime.leadership
    return leadership is None or leadership.leading


async def keep_leadership(application: IsoApplication) -> None:
    """Every worker asks; the one holding the lock keeps it (if its connection survived), the
    others take over if it dies."""
    leadership = application.runtime.leadership
    if leadership is None:
        return
    try:
        was_leading = leadership.leading
        if await leadership.try_to_lead() and not was_leading:
            nudge(application)
    except Exception:
        log.exception("could not check scheduler leadership; trying again shortly")


Job = Callable[[IsoApplication], Awaitable[None]]


def _leader_only(job: Job) -> Job:
    """Run `job` only in the worker that leads, and never let one bad run stop the next ones:
    whatever it did not finish is still due in the database when it runs again."""

    @functools.wraps(job)
    async def run(application: IsoApplication) -> None:
        if not _leading(application):
            return
        try:
            await job(application)
        except asyncio.CancelledError:
            # The process is stopping (Ctrl-C, SIGTERM) in the middle of a run: not a failure,
            # and nothing is lost (what it claimed and did not send is due again after its
            # claim expires). Ending quietly keeps APScheduler from printing a traceback.
            log.debug("scheduled job %s stopped with the process", job.__name__)
        except Exception:
            log.exception("scheduled job %s failed; its next run picks up what is left",
                          job.__name__)

    return run


@_leader_only
async def sweep_outbox(application: IsoApplication) -> None:
    """Sweep, and sweep once more for every wake-up that came while sweeping (its messages may
    have been planned after this sweep claimed its batch)."""
    requests = application.runtime.sweeps
    while True:
        requests.again = False
        await delivery.sweep(application.runtime, application.bot)
        if not requests.again:
            return


@_leader_only
async def open_due_reassessments(application: IsoApplication) -> None:
    runtime = application.runtime
    async with runtime.repository() as repo:
        opened = await reassessment.open_due(repo, runtime.clock.now())
    if opened:
        nudge(application)


@_leader_only
async def plan_action_checkins(application: IsoApplication) -> None:
    """The coming fortnight's check-ins and the next digests (idempotent: unique keys)."""
    runtime = application.runtime
    async with runtime.repository() as repo:
        await action_checkins.plan(repo, runtime.clock.now())


@_leader_only
async def forget_old_update_ids(application: IsoApplication) -> None:
    """Update ids only matter while Telegram might redeliver them (a day at most)."""
    runtime = application.runtime
    async with runtime.repository() as repo:
        await repo.forget_updates_before(runtime.clock.now() - UPDATE_IDS_KEPT)


def nudge(application: IsoApplication) -> None:
    """Run the sweep now instead of at its next interval (after a manager opened a survey or
    closed one). A worker that does not lead has told the leader already, with the NOTIFY of the
    transaction that planned the messages (see `bot.db.leader`); its own sweep job does
    nothing."""
    application.runtime.sweeps.again = True  # seen by a sweep that is running right now
    scheduler = application.runtime.scheduler
    if scheduler is not None and scheduler.running:
        job = scheduler.get_job(SWEEP_JOB)
        if job is not None:
            job.modify(next_run_time=SystemClock().now())


async def start(application: IsoApplication) -> None:
    settings = application.runtime.settings
    scheduler = AsyncIOScheduler(job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
    first_run = SystemClock().now()
    if application.runtime.leadership is not None:
        application.runtime.leadership.on_wake = functools.partial(nudge, application)
    await keep_leadership(application)
    leadership_every = min(LEADERSHIP_EVERY.total_seconds(), settings.sweep_interval_seconds)
    scheduler.add_job(keep_leadership, "interval", args=[application], id=LEADERSHIP_JOB,
                      seconds=leadership_every, replace_existing=True)
    scheduler.add_job(sweep_outbox, "interval", args=[application], id=SWEEP_JOB,
                      seconds=settings.sweep_interval_seconds, next_run_time=first_run,
                      replace_existing=True)
    scheduler.add_job(open_due_reassessments, "interval", args=[application],
                      id=REASSESSMENT_JOB, seconds=REASSESSMENT_EVERY.total_seconds(),
                      next_run_time=first_run, replace_existing=True)
    scheduler.add_job(plan_action_checkins, "interval", args=[application],
                      id=ACTION_CHECKINS_JOB, seconds=ACTION_CHECKINS_EVERY.total_seconds(),
                      next_run_time=first_run, replace_existing=True)
    scheduler.add_job(forget_old_update_ids, "interval", args=[application], id=PRUNE_JOB,
                      hours=6, replace_existing=True)
    scheduler.start()
    application.runtime.scheduler = scheduler


async def stop(application: IsoApplication) -> None:
    scheduler, application.runtime.scheduler = application.runtime.scheduler, None
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=False)
    if application.runtime.leadership is not None:
        await application.runtime.leadership.resign()
