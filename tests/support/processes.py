"""Waiting for a process with a bound: a test that waits for a process forever hangs the whole
run (it happened: `os.waitpid` on a demo that ignored Ctrl-C), so every wait here ends."""

from __future__ import annotations

import asyncio
import contextlib

ENDS_WITHIN = 30.0  # seconds: a worker on a busy 2-core machine ends in well under one


async def ended(process: asyncio.subprocess.Process, seconds: float = ENDS_WITHIN) -> int:
    """The exit code once `process` has ended; if it has not after `seconds`, it is killed and
    the test fails, rather than waiting for ever."""
    try:
        return await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await asyncio.wait_for(process.wait(), seconds)  # SIGKILL cannot be ignored
        raise AssertionError(f"process {process.pid} did not end within {seconds} s") from None


async def stop(process: asyncio.subprocess.Process, seconds: float = ENDS_WITHIN) -> None:
    """SIGTERM, as a platform stops a worker; SIGKILL if it is still there after `seconds`."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await asyncio.wait_for(process.wait(), seconds)
