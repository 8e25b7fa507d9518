"""Browser fixtures: real Streamlit servers (one empty database each) and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
HEALTH_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling the server's health, not waiting on the page
    raise RuntimeError(f"streamlit did not answer {url}/_stcore/health in {HEALTH_TIMEOUT_S} s")


@contextmanager
def serve_app(
    db_url: str, folder: Path, port: int | None = None, args: tuple[str, ...] = ()
) -> Iterator[str]:
    """Run `streamlit run app.py` on a free port (or `port`) against `db_url` (its log in
    `folder`), with more command-line `args`, and yield its URL once it answers; no browser
    has opened it yet."""
    port = port or _free_port()
    env = dict(os.environ, STAIRCASE_DB_URL=db_url)
    with (folder / "streamlit.log").open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Start the app on a free port with its own SQLite database; returns its URL.

    The database is empty, or whatever `prepare(db_url)` puts in it before the server starts.
    """
    with ExitStack() as servers:

        def start(prepare: Callable[[str], None] | None = None) -> str:
            db_dir = tmp_path_factory.mktemp("db")
            db_url = f"sqlite:///{db_dir / 'app.db'}"
            if prepare is not None:
                prepare(db_url)
            return servers.enter_context(serve_app(db_url, db_dir))

        yield start


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium) -> Iterator[Callable[..., object]]:
    """A fresh browser context and page (1280×1000, light theme, downloads allowed)."""
    contexts = []

    def make(width: int = 1280, height: int = 1000):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            color_scheme="light",
            accept_downloads=True,
            locale="sv-SE",
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
