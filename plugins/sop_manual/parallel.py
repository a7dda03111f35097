"""Work handed to a forked child process while the caller goes on with its own (one core each).

:func:`start_forked` runs ``function(*args)`` in a child made with ``os.fork``: the child sees the
caller's data as it was at the fork (nothing is pickled on the way in), so it suits work that
only reads data the caller has finished building, such as indexing pages once they are all
rendered. :meth:`ForkedJob.wait` returns what the function returned (pickled back through a pipe)
and raises, in the caller, the exception the child raised, or :class:`ChildFailed` when it could
not be sent back or the child died. Where ``fork`` is unavailable (Windows; macOS, where forking a
process that has loaded system frameworks is unsafe) the function runs at once in the caller
(:class:`FinishedJob`): the same result, without the overlap.

The child runs in a process group of its own, so :meth:`ForkedJob.cancel` also stops the
programs it started (e.g. the Pagefind binary). Nothing here imports MkDocs.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class ChildFailed(Exception):
    """The child process died, or failed with an exception that could not be sent back."""


def can_fork() -> bool:
    """``os.fork`` exists and is safe enough for pure-Python work here (not on macOS)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


class FinishedJob:
    """The function already run in the caller (no fork): :meth:`wait` returns or raises what it did."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        try:
            self.result = function(*args)
        except Exception as exc:  # handed to wait(), as a child's would be
            self.error = exc

    def wait(self) -> Any:
        error, self.error = self.error, None
        if error is not None:
            raise error
        return self.result

    def cancel(self) -> None:
        self.error = None


class ForkedJob:
    """A forked child running one function: :meth:`wait` for it, or :meth:`cancel` it."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self._reader = reader
        self._ended = False

    def wait(self) -> Any:
        """Block until the child ends; return what the function returned, raise what it raised (or
        :class:`ChildFailed`). Once only."""
        if self._ended:
            raise ChildFailed("the child process was already waited for or cancelled")
        failure: Exception | None = None
        with os.fdopen(self._reader, "rb") as reader, _collector_paused():  # read as it comes: no second copy
            try:
                finished, value = pickle.load(reader)
            except Exception as exc:
                failure = exc
        code = self._reap()
        if failure is not None:
            what = "no error" if isinstance(failure, EOFError) else f"what it sent back could not be read ({failure})"
            raise ChildFailed(f"the child process ended with {_exit_description(code)} and {what}") from None
        if not finished:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child and everything it started; its error, if any, is dropped."""
        if self._ended:
            return
        try:
            os.killpg(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.close(self._reader)
        self._reap()

    def _reap(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self._ended = True
        return os.waitstatus_to_exitcode(status)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's collector of cyclic garbage paused: unpickling makes only objects that live on (a thousand
    SOPs read back in a quarter of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def start_forked(function: Callable[..., Any], *args: Any, fork: bool = True) -> ForkedJob | FinishedJob:
    """Run ``function(*args)`` in a forked child (or at once, without ``fork`` or where it is unavailable)."""
    if not (fork and can_fork()):
        return FinishedJob(function, *args)
    reader, writer = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(reader)
        _run_child(function, args, writer)
    os.close(writer)
    try:
        os.setpgid(pid, pid)  # also done by the child; whichever runs first
    except OSError:
        pass
    return ForkedJob(pid, reader)


def _run_child(function: Callable[..., Any], args: tuple, writer: int) -> None:
    code = 1
    try:
        try:
            os.setpgid(0, 0)
        except OSError:
            pass
        # cancel() sends SIGTERM: unwind (finally blocks clean up temporary files), then exit
        signal.signal(signal.SIGTERM, _exit_on_signal)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            payload = pickle.dumps((True, function(*args)), protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException as exc:
            try:
                payload = pickle.dumps((False, exc))
                pickle.loads(payload)  # an exception whose class cannot be rebuilt must not break wait()
            except Exception:
                payload = pickle.dumps((False, ChildFailed(f"{type(exc).__name__}: {exc}")))
        view = memoryview(payload)
        while view:
            view = view[os.write(writer, view):]
    except BaseException:
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)  # no atexit handlers, no second flush of the parent's buffers


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _exit_description(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"exit status {code}"


class SharedWork:
    """Items shared between the caller and a forked child: the child computes ``function(item)`` for
    the last ``child_share`` of ``items`` while the caller works through the first ones.

    :meth:`take` gives the child's result for an item of its share (waiting for the child the first
    time), or None for an item the caller computes itself: its own share, and every item when fork
    is unavailable or the child failed (the caller then meets the error itself, where it would
    have without the child).
    """

    def __init__(self, function: Callable[[Hashable], Any], items: Sequence[Hashable], child_share: float,
                 fork: bool = True) -> None:
        count = round(len(items) * child_share) if fork and can_fork() else 0
        theirs = list(items[len(items) - count:]) if count else []
        self.theirs = set(theirs)
        self.error: BaseException | None = None
        """Why the child's results were dropped (they are then computed by the caller)."""
        self._results: dict | None = None
        self._job = start_forked(_compute_each, function, theirs) if theirs else None

    def take(self, item: Hashable) -> Any:
        if item not in self.theirs:
            return None
        self.theirs.discard(item)
        if self._results is None:
            self._results = {}
            job, self._job = self._job, None
            try:
                self._results = job.wait() if job is not None else {}
            except Exception as exc:
                self.error = exc
        return self._results.pop(item, None)

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller gave up: e.g. the build failed)."""
        job, self._job = self._job, None
        if isinstance(job, ForkedJob):
            job.cancel()


def _compute_each(function: Callable[[Hashable], Any], items: list) -> dict:
    return {item: function(item) for item in items}
