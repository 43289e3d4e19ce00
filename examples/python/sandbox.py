"""Helpers for hostprov-sandbox, shared by demo.py and the tests: start it, and talk to its
`/_sandbox/…` admin API. Standard library only."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, List, Optional

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


def racknap_account(url: str, fixtures: Optional[dict] = None) -> dict:
    """The `account` object for the sandbox's RackNap simulator (the reseller's own domain)."""
    rn = (fixtures or admin(url, "GET", "fixtures"))["racknap"]
    return {"api_token": rn["api_token"], "base_url": f"{url}/racknap"}


def licence_account(url: str, fixtures: Optional[dict] = None) -> dict:
    """The `account` object for the sandbox's licence API simulator (provider `websoftsolus`)."""
    wss = (fixtures or admin(url, "GET", "fixtures"))["websoftsolus"]
    return {"login": wss["login"], "secret": wss["secret"], "base_url": f"{url}/websoftsolus"}


def orders(url: str) -> List[dict]:
    """`GET /_sandbox/orders`: every order the sandbox has seen, in the envelope's vocabulary."""
    return admin(url, "GET", "orders")


def order(url: str, order_id: str) -> Optional[dict]:
    """The sandbox's record of one order (RackNap service id or licence key), or None."""
    found = [o for o in orders(url) if o["order_id"] == order_id]
    return found[0] if found else None


def received(url: str, path_suffix: str) -> List[dict]:
    """The requests the sandbox received on a path ending in `path_suffix`, oldest first, each
    as `{"method", "path", "params": [[name, value], ...]}`."""
    return [r for r in admin(url, "GET", "requests") if r["path"].endswith(path_suffix)]


def route_count(url: str, route: str) -> int:
    """How many times a route was called since the last reset, per `/_sandbox/stats`."""
    return int(admin(url, "GET", "stats")["routes"].get(route, 0))
