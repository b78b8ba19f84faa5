"""The installed `crisis` command in a real terminal (tmux): start, declare, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisis.journal import Journal

from ..conftest import REPO

SCRIPT = Path(sys.executable).parent / "crisis"
pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not SCRIPT.exists(), reason="the crisis console script is not installed"),
]


class Terminal:
    """A detached tmux session on a private socket, so no one's own tmux is touched."""

    def __init__(self, name: str) -> None:
        self.socket = f"crisis-test-{os.getpid()}"
        self.name = name

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, command: list[str], cwd: Path) -> None:
        self.tmux(
            "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", "-c", str(cwd), *command
        )
        self.tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        self.tmux("resize-window", "-t", self.name, "-x", "80", "-y", "24")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Poll the screen until `text` shows; the only waiting in the suite, on a real process."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def press(self, key: str, timeout: float = 10.0) -> None:
        """Send one key and wait until the screen reacts, so that the next keys are not read
        together with it as one paste."""
        before = self.screen()
        self.keys(key)
        deadline = time.monotonic() + timeout
        while self.screen() == before and time.monotonic() < deadline:
            time.sleep(0.05)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def exited(self) -> bool:
        return self.tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    session = Terminal("crisis")
    yield session
    session.kill()


def test_the_installed_command_starts_declares_and_quits(
    terminal: Terminal, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    terminal.start(
        [
            "env",
            f"CRISIS_DATA_DIR={data}",
            "CRISIS_RESPONDER=tmux-test",
            "CRISIS_TIMEZONE=Europe/Oslo",
            str(SCRIPT),
        ],
        REPO,
    )
    terminal.wait_for("Open incidents")
    terminal.wait_for("6 playbooks ready")
    terminal.keys("n")
    terminal.wait_for("Declare an incident")
    terminal.type("hijack")
    terminal.wait_for("hijack ")
    terminal.press("Enter")
    terminal.type("Tmux drill")
    terminal.wait_for("Tmux drill")
    terminal.keys("C-s")
    shown = terminal.wait_for("not assessed")
    assert "Tmux drill" in shown
    assert "INC-" in shown
    terminal.keys("Escape")
    terminal.wait_for("Open incidents")
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while not terminal.exited() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert terminal.exited()
    with Journal.open(data / "journal.sqlite3") as journal:
        (incident,) = journal.incidents()
        (declared,) = list(journal.events(incident))
    assert declared.kind == "declared"
    assert declared.text == "Tmux drill"
    assert declared.actor == "tmux-test"
