"""Run a real ``mkdocs serve`` (or ``properdocs serve``) and watch its pages: for the tests and the benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``mkdocs serve`` of the manual in ``root`` on 127.0.0.1; use as a context manager."""

    def __init__(self, root: Path, *, command: list[str] | None = None, startup_timeout: float = 600) -> None:
        self.root = root
        self.port = free_port()
        self.command = command or [sys.executable, "-m", "mkdocs"]
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self.log_path = root / "serve.log"

    def __enter__(self) -> Server:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [*self.command, "serve", "-f", str(self.root / "mkdocs.yml"), "-a", f"127.0.0.1:{self.port}"],
            cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        try:
            self.wait_for("", lambda status, text: status == 200, self.startup_timeout)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def wait_for(self, path: str, ready: Callable[[int, str], bool], timeout: float) -> float:
        """Poll ``path`` until ``ready(status, text)``; the seconds it took. Fails if the server died."""
        start = time.perf_counter()
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped (exit {self.process.returncode}):\n{self.log[-3000:]}")
            status, text = self.get(path)
            if ready(status, text):
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise AssertionError(f"{path} not ready after {timeout:.0f} s (last status {status}):\n{self.log[-3000:]}")
            time.sleep(0.05)
