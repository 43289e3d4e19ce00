"""Helpers for hostprov-sandbox, shared by demo.py and the tests: start it, and talk to its
`/_sandbox/…` admin API. Standard library only."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parent.parent.parent
LISTENING = "hostprov-sandbox listening on "


def default_binary() -> Path:
    """`$HOSTPROV_SANDBOX_BIN`, else the debug build of this repository."""
    from_env = os.environ.get("HOSTPROV_SANDBOX_BIN")
    if from_env:
        return Path(from_env).resolve()
    return REPO / "target" / "debug" / "hostprov-sandbox"


class Sandbox:
    """A hostprov-sandbox process on a free local port; `url` is where it listens."""

    def __init__(self, binary: Optional[Path] = None):
        binary = binary or default_binary()
        self.process = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith(LISTENING):
            self.stop()
            raise RuntimeError(f"hostprov-sandbox did not start; its first line was {line!r}")
        self.url = line[len(LISTENING):]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def admin(url: str, method: str, path: str, body: Any = None) -> Any:
    """Calls `{url}/_sandbox/{path}` and returns its JSON answer."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(f"{url}/_sandbox/{path}", data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


def logicboxes_account(url: str, fixtures: Optional[dict] = None) -> dict:
    """The `account` object for the sandbox's LogicBoxes simulator."""
    lb = (fixtures or admin(url, "GET", "fixtures"))["logicboxes"]
    return {
        "auth_userid": lb["auth_userid"],
        "api_key": lb["api_key"],
        "base_url": f"{url}/logicboxes",
        "panel_url": f"{url}/logicboxes",
    }
