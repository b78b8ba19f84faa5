"""The terminal UI: cold start on a real terminal, and a long incident in the workspace.

Run with `python bench/tui.py` (from the repository, with the package and its console script
installed in the same environment). Three measurements, each against a floor taken in the same
run with interleaved rounds (A B, then B A, ...), medians printed:

1. Cold start of the installed `crisis` command on a real pseudo-terminal of 120x40, until the
   home screen's footer ("Declare incident") has been drawn, against a minimal Textual app (one
   Static and a Footer) started the same way until its footer is drawn. Target: at most 1.5x.
2. Opening an incident of 10,000 events in the workspace (`run_test`, 120x40), from pushing the
   screen until the timeline's Log holds every line, against an incident of 10 events.
3. One more note through `Desk.note` plus `Workspace.reload()`, with the Timeline step shown,
   at 10,000 events against 10: the per-action cost must not grow with the journal (<= 1.2x).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crisis import clock  # noqa: E402
from crisis.catalog import Catalog, load_catalog  # noqa: E402
from crisis.journal import Entry, Journal  # noqa: E402

if TYPE_CHECKING:  # Textual is imported after the pty runs, so the forking parent stays small
    from textual.widgets import Log

    from crisis.tui.app import CrisisApp
    from crisis.tui.screens.workspace import Workspace

Pairs = tuple[list[float], list[float]]

SCRIPT = Path(sys.executable).parent / "crisis"
COLUMNS, ROWS = 120, 40
ZONE = "Europe/Oslo"
ACTOR = "bench"
PLAYBOOK = "account-hijack"
COLD_ROUNDS = 5
OPEN_ROUNDS = 5
NOTE_ROUNDS = 3
NOTES_PER_ROUND = 5
BIG, SMALL = 10_000, 10
COLD_TARGET = 1.5
NOTE_TARGET = 1.2
TIMEOUT = 30.0

MINIMAL = """\
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static


class Minimal(App[None]):
    BINDINGS = [Binding("q", "quit", "Quit minimal")]

    def compose(self) -> ComposeResult:
        yield Static("The minimal app")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
"""
MINIMAL_MARKER = b"Quit minimal"
CRISIS_MARKER = b"Declare incident"


def interleaved(rounds: int, first: Callable[[], float], second: Callable[[], float]) -> Pairs:
    """Run A B, then B A, ...; the times of A and of B, round by round."""
    a_times, b_times = [], []
    for round_ in range(rounds):
        if round_ % 2 == 0:
            a_times.append(first())
            b_times.append(second())
        else:
            b_times.append(second())
            a_times.append(first())
    return a_times, b_times


def ratio(floors: list[float], ours: list[float]) -> float:
    """The median of the per-round ratios, which travels better than a ratio of medians."""
    return statistics.median(own / floor for floor, own in zip(floors, ours, strict=True))


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


# 1. Cold start on a pseudo-terminal.


def child_environment(data_dir: Path) -> dict[str, str]:
    """The caller's environment as a modern terminal sets it, without size or Textual overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COLUMNS", "LINES") and not key.startswith("TEXTUAL")
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        CRISIS_DATA_DIR=str(data_dir),
        CRISIS_RESPONDER=ACTOR,
        CRISIS_TIMEZONE=ZONE,
    )
    return env


def stop(pid: int, fd: int) -> None:
    """SIGTERM, then SIGKILL if the child lingers; keep draining its output; reap it."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            break
        if select.select([fd], [], [], 0.01)[0]:
            with suppress(OSError):
                os.read(fd, 65536)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)


def first_screen(argv: list[str], env: dict[str, str], marker: bytes) -> float:
    """Seconds from fork to the first output containing `marker`, on a 120x40 pseudo-terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size its terminal, then become the command
        try:
            size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, size)
            os.chdir(REPO)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    shown = b""
    try:
        while True:
            left = TIMEOUT - (time.perf_counter() - start)
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise RuntimeError(f"{marker!r} never drawn; the output ended {shown[-400:]!r}")
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the child is gone and the terminal closed
                chunk = b""
            if not chunk:
                raise RuntimeError(f"exited before drawing {marker!r}: {shown[-400:]!r}")
            shown += chunk
            if marker in shown[-(len(chunk) + len(marker)) :]:
                return time.perf_counter() - start
    finally:
        stop(pid, fd)


def cold_start() -> Pairs:
    if not SCRIPT.exists():
        raise SystemExit(f"no console script at {SCRIPT}: install the package in this environment")
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        env = child_environment(Path(folder) / "data")

        def floor() -> float:
            return first_screen([sys.executable, str(minimal)], env, MINIMAL_MARKER)

        def ours() -> float:
            return first_screen([str(SCRIPT)], env, CRISIS_MARKER)

        floor()  # warm the page cache and the bytecode caches; create the journal
        ours()
        return interleaved(COLD_ROUNDS, floor, ours)


# 2 and 3. A long incident in the workspace, in process.


def build(path: Path, incident: str, count: int) -> None:
    """A journal with one incident: `declared`, then `count - 1` notes a second apart."""
    start = (clock.now() - timedelta(hours=4)).replace(microsecond=0)
    declared = Entry(
        kind="declared",
        text=f"Bench incident of {count} events",
        actor=ACTOR,
        tz=ZONE,
        ts=start,
        data={"playbook": PLAYBOOK, "aware_at": start.isoformat(), "facts": {}},
    )

    def note(i: int) -> Entry:
        return Entry("note", f"note {i}: who said what", ACTOR, ZONE, start + timedelta(seconds=i))

    with Journal.open(path) as journal:
        journal.append_many(incident, [declared, *(note(i) for i in range(1, count))])


async def refreshed(app: CrisisApp) -> None:
    """Wait until the app has processed its messages and refreshed the screen."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    app.call_after_refresh(lambda: done.set_result(None))
    await done


class Session:
    """Fresh CrisisApps on one journal, headless at 120x40, each measured from its home screen."""

    def __init__(self, catalog: Catalog, path: Path) -> None:
        self.catalog, self.path = catalog, path

    @asynccontextmanager
    async def started(self) -> AsyncIterator[tuple[CrisisApp, Journal]]:
        """A new app running on the journal, its home screen mounted and drawn."""
        from crisis.tui.app import CrisisApp

        with Journal.open(self.path) as journal:
            catalog = self.catalog
            app = CrisisApp(lambda: catalog, lambda: journal, ACTOR, ZONE, clock.now)
            app.animation_level = "none"
            async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
                await refreshed(app)
                yield app, journal

    async def open(self) -> float:
        """Seconds from pushing the workspace until the timeline's Log holds every event."""
        async with self.started() as (app, journal):
            return (await push(app, journal))[0]

    async def notes(self, count: int) -> list[float]:
        """Seconds for each of `count` notes, Timeline step shown: Desk.note, then reload()."""
        async with self.started() as (app, journal):
            _, screen, log = await push(app, journal)
            screen.action_show("timeline")
            await refreshed(app)
            before, times = log.line_count, []
            for i in range(count):
                start = time.perf_counter()
                screen.desk.note(screen.incident_id, f"bench note {i}")
                screen.reload()
                times.append(time.perf_counter() - start)
                await refreshed(app)  # paint it, as the responder would see it, before the next
            assert log.line_count == before + count, (log.line_count, before, count)
            return times


async def push(app: CrisisApp, journal: Journal) -> tuple[float, Workspace, Log]:
    """Push the incident's workspace as `CrisisApp.open_incident` does; time it to all lines."""
    from textual.widgets import Log

    from crisis.tui.screens.workspace import Workspace

    desk = app.desk
    assert desk is not None
    incident = journal.incidents()[0]
    head = journal.head(incident)
    assert head is not None
    start = time.perf_counter()
    screen = Workspace(desk, incident)
    await app.push_screen(screen)
    log = screen.query_one("#timeline").query_one(Log)
    while log.line_count < head[0]:
        await asyncio.sleep(0.001)
    return time.perf_counter() - start, screen, log


async def workspace_benchmarks(folder: Path) -> tuple[Pairs, Pairs]:
    """Opening, then noting, at 10 and at 10,000 events, in interleaved rounds."""
    catalog = load_catalog(REPO, clock.today())
    assert not catalog.errors, catalog.errors[:3]
    small, big = folder / "small" / "journal.sqlite3", folder / "big" / "journal.sqlite3"
    build(small, "INC-SMALL", SMALL)
    build(big, "INC-BIG", BIG)
    sessions = Session(catalog, small), Session(catalog, big)
    await sessions[0].open()  # warm: import the widgets, parse the CSS once
    opens: Pairs = ([], [])
    for round_ in range(OPEN_ROUNDS):
        for which in (0, 1) if round_ % 2 == 0 else (1, 0):
            opens[which].append(await sessions[which].open())
    notes: Pairs = ([], [])
    for round_ in range(NOTE_ROUNDS):
        for which in (0, 1) if round_ % 2 == 0 else (1, 0):
            notes[which].append(statistics.median(await sessions[which].notes(NOTES_PER_ROUND)))
    return opens, notes


def report(title: str, rows: list[tuple[str, list[float]]], value: float, target: float) -> None:
    """A title, the median of each series in ms, and the ratio with its target if it has one."""
    print(title)
    for label, times in rows:
        print(f"  {label + ':':<34} {statistics.median(times) * 1000:8.1f} ms")
    aim = f"  (target <= {target}x: {verdict(value, target)})" if target else ""
    print(f"  {'ratio:':<34} {value:8.2f}x{aim}")


def main() -> int:
    began = time.perf_counter()
    floors, ours = cold_start()
    report(
        f"cold start to the first usable screen, pty {COLUMNS}x{ROWS} (median of {COLD_ROUNDS})",
        [("minimal Textual app, footer drawn", floors), ("crisis, home footer drawn", ours)],
        ratio(floors, ours),
        COLD_TARGET,
    )
    with tempfile.TemporaryDirectory() as folder:
        opens, notes = asyncio.run(workspace_benchmarks(Path(folder)))
    report(
        f"open an incident in the workspace, run_test {COLUMNS}x{ROWS} (median of {OPEN_ROUNDS})",
        [(f"{SMALL:,} events", opens[0]), (f"{BIG:,} events", opens[1])],
        ratio(*opens),
        0.0,
    )
    report(
        f"one more note, Desk.note + Workspace.reload (median of {NOTE_ROUNDS} rounds"
        f" of {NOTES_PER_ROUND})",
        [(f"{SMALL:,} events", notes[0]), (f"{BIG:,} events", notes[1])],
        ratio(*notes),
        NOTE_TARGET,
    )
    print(f"(whole benchmark: {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
