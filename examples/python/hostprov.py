"""A small ctypes client for the hostprov C ABI (include/hostprov.h).

Copy this file into a billing panel and point it at the shared library:

    from hostprov import HostProv, HostProvError

    hp = HostProv()                      # or HostProv("/path/to/libhostprov.so")
    try:
        envelope = hp.suspend({"provider": "logicboxes", "product": "customer", ...})
    except HostProvError as e:           # or a subclass: e.g. hostprov.NotFound
        print(e.code, e.message, e.retryable)

    # Many at once (a cron's suspensions): one envelope per item, in input order, none raised.
    answer = hp.batch([{"operation": "suspend", "request": r} for r in requests],
                      progress=lambda done, total: print(f"{done}/{total}", end="\r"))

Every operation takes the request as a dict and returns the envelope as a dict when it says
`ok: true`; an envelope with `ok: false` becomes an exception, one class per error code, all
mapped in `raise_for_envelope`. Each string the library returns is copied and released with
`hostprov_string_free` before the call returns. A `HostProv` holds nothing but the loaded
library, so one instance may be shared by any number of threads.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional

__all__ = [
    "HostProv",
    "HostProvError",
    "InvalidRequest",
    "UnknownProvider",
    "UnknownProduct",
    "UnsupportedOperation",
    "AuthenticationFailed",
    "NotFound",
    "ProviderError",
    "RateLimited",
    "NetworkError",
    "Timeout",
    "TlsError",
    "OutcomeUnknown",
    "InternalError",
    "ERRORS_BY_CODE",
    "raise_for_envelope",
    "default_library_path",
]

Envelope = Dict[str, Any]


# --------------------------------------------------------------------------------------------
# Errors


class HostProvError(Exception):
    """An envelope with `ok: false`. `envelope` is the whole answer, `calls` included, and is
    safe to log: the library has already replaced every secret with `***`."""

    def __init__(self, envelope: Envelope):
        error = envelope.get("error") or {}
        self.envelope: Envelope = envelope
        self.code: str = error.get("code") or "internal_error"
        self.message: str = error.get("message") or "hostprov answered without an error message."
        self.retryable: bool = bool(error.get("retryable", False))
        self.provider_message: Optional[str] = error.get("provider_message")
        self.http_status: Optional[int] = error.get("http_status")
        super().__init__(f"{self.code}: {self.message}")


class InvalidRequest(HostProvError):
    """The request is malformed, incomplete or not a JSON object."""


class UnknownProvider(HostProvError):
    """`provider` names no provider this build implements."""


class UnknownProduct(HostProvError):
    """`product` names no product of that provider."""


class UnsupportedOperation(HostProvError):
    """The provider or product has no such operation, or the name is unknown."""


class AuthenticationFailed(HostProvError):
    """The provider refused the reseller credentials."""


class NotFound(HostProvError):
    """The provider does not know the order or customer."""


class ProviderError(HostProvError):
    """The provider refused the request; `provider_message` says why."""


class RateLimited(HostProvError):
    """The provider asked to slow down; retryable."""


class NetworkError(HostProvError):
    """The provider could not be reached; retryable."""


class Timeout(HostProvError):
    """The deadline (`options.timeout_ms`) passed; retryable."""


class TlsError(HostProvError):
    """The provider's certificate could not be verified."""


class OutcomeUnknown(HostProvError):
    """A change may or may not have been made. When `retryable` is true, repeat the same
    request: the library settles the earlier attempt first and never orders or renews twice;
    otherwise check at the provider before acting again (the message says what)."""


class InternalError(HostProvError):
    """A bug inside hostprov; please report it."""


#: The one place where an error code becomes an exception class.
ERRORS_BY_CODE: Dict[str, type] = {
    "invalid_request": InvalidRequest,
    "unknown_provider": UnknownProvider,
    "unknown_product": UnknownProduct,
    "unsupported_operation": UnsupportedOperation,
    "authentication_failed": AuthenticationFailed,
    "not_found": NotFound,
    "provider_error": ProviderError,
    "rate_limited": RateLimited,
    "network_error": NetworkError,
    "timeout": Timeout,
    "tls_error": TlsError,
    "outcome_unknown": OutcomeUnknown,
    "internal_error": InternalError,
}


def raise_for_envelope(envelope: Envelope) -> Envelope:
    """Returns an `ok: true` envelope unchanged; raises the matching error otherwise.
    A code this client does not know yet raises the base `HostProvError`."""
    if envelope.get("ok") is True:
        return envelope
    code = (envelope.get("error") or {}).get("code")
    raise ERRORS_BY_CODE.get(code, HostProvError)(envelope)


# --------------------------------------------------------------------------------------------
# Loading


def _library_file_name() -> str:
    if sys.platform == "darwin":
        return "libhostprov.dylib"
    if sys.platform == "win32":
        return "hostprov.dll"
    return "libhostprov.so"


def default_library_path() -> Path:
    """`$HOSTPROV_LIB`, else the debug build of the repository this file sits in."""
    from_env = os.environ.get("HOSTPROV_LIB")
    if from_env:
        return Path(from_env).resolve()
    repo = Path(__file__).resolve().parent.parent.parent
    return repo / "target" / "debug" / _library_file_name()


# Every function of include/hostprov.h: name -> (argtypes, restype). Owned `char *` results are
# declared `c_void_p`: a `c_char_p` restype would copy the text and lose the pointer (a leak).
_OWNED = ctypes.c_void_p
_IN = ctypes.c_char_p
#: `void (*progress)(uint32_t done, uint32_t total, void *user)`
_PROGRESS = ctypes.CFUNCTYPE(None, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p)
_SIGNATURES = {
    "hostprov_create": ([_IN], _OWNED),
    "hostprov_suspend": ([_IN], _OWNED),
    "hostprov_unsuspend": ([_IN], _OWNED),
    "hostprov_terminate": ([_IN], _OWNED),
    "hostprov_renew": ([_IN], _OWNED),
    "hostprov_change_package": ([_IN], _OWNED),
    "hostprov_client_area_url": ([_IN], _OWNED),
    "hostprov_details": ([_IN], _OWNED),
    "hostprov_plans": ([_IN], _OWNED),
    "hostprov_test_connection": ([_IN], _OWNED),
    "hostprov_catalog": ([], _OWNED),
    "hostprov_call": ([_IN, _IN], _OWNED),
    "hostprov_batch": ([_IN], _OWNED),
    "hostprov_batch_with_progress": ([_IN, _PROGRESS, ctypes.c_void_p], _OWNED),
    "hostprov_string_free": ([ctypes.c_void_p], None),
    "hostprov_version": ([], ctypes.c_char_p),  # static storage, never freed
    "hostprov_abi_version": ([], ctypes.c_uint32),
}


def _encode(request: Dict[str, Any]) -> bytes:
    # json.dumps escapes control characters (NUL included), so the bytes are a valid C string.
    return json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------------------------
# The client


class HostProv:
    """The loaded library. Stateless apart from that, so safe to share between threads."""

    def __init__(self, path: Optional[os.PathLike | str] = None):
        self.path = Path(path).resolve() if path is not None else default_library_path()
        self._lib = ctypes.CDLL(str(self.path))
        for name, (argtypes, restype) in _SIGNATURES.items():
            func = getattr(self._lib, name)
            func.argtypes = argtypes
            func.restype = restype

    # -- the one place that touches returned pointers -----------------------------------------

    def _take(self, ptr: Optional[int]) -> Envelope:
        """Copies an owned result, releases it exactly once, and parses it."""
        if not ptr:
            # The contract says never NULL; answer like the library would rather than crash.
            return {
                "ok": False,
                "api_version": 1,
                "operation": None,
                "provider": None,
                "product": None,
                "error": {
                    "code": "internal_error",
                    "message": "hostprov returned NULL, which its contract rules out. Please report it.",
                    "retryable": False,
                    "provider_message": None,
                    "http_status": None,
                },
                "calls": [],
            }
        try:
            text = ctypes.string_at(ptr)
        finally:
            self._lib.hostprov_string_free(ptr)
        return json.loads(text.decode("utf-8"))

    def _run(self, func: Callable[..., Optional[int]], *args: Optional[bytes]) -> Envelope:
        return raise_for_envelope(self._take(func(*args)))

    # -- operations -------------------------------------------------------------------------

    def create(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_create, _encode(request))

    def suspend(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_suspend, _encode(request))

    def unsuspend(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_unsuspend, _encode(request))

    def terminate(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_terminate, _encode(request))

    def renew(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_renew, _encode(request))

    def change_package(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_change_package, _encode(request))

    def client_area_url(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_client_area_url, _encode(request))

    def details(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_details, _encode(request))

    def plans(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_plans, _encode(request))

    def test_connection(self, request: Dict[str, Any]) -> Envelope:
        return self._run(self._lib.hostprov_test_connection, _encode(request))

    def call(self, operation: str, request: Dict[str, Any]) -> Envelope:
        """Any operation by name ("create", …, "test_connection", "catalog")."""
        return self._run(self._lib.hostprov_call, operation.encode("utf-8"), _encode(request))

    def call_raw(self, operation: Optional[bytes], request: Optional[bytes]) -> Envelope:
        """Passes bytes (or None, i.e. NULL) straight to `hostprov_call` and returns the
        envelope without raising. For tests of hostile input."""
        return self._take(self._lib.hostprov_call(operation, request))

    def batch(
        self,
        requests: Iterable[Dict[str, Any]],
        concurrency: Optional[int] = None,
        progress: Optional[Callable[[int, int], None]] = None,
    ) -> Envelope:
        """Runs many operations in one call, side by side, instead of one provider round trip
        after another. Each item is `{"operation": "suspend", "request": {...}}`; `concurrency`
        bounds the calls in flight per provider endpoint (default 8, at most 16). At most 10000
        items and 16 MiB per batch.

        Returns the batch envelope; `results` holds, in input order, exactly the envelope each
        item's single call would have answered, and a failed item raises nothing: check each
        `ok`. Only a batch refused as a whole (too many items, a bad option) raises.

        `progress(done, total)` is called on this thread after each item finishes. An exception
        it raises must not cross the library, so it is held back, later calls of `progress` are
        skipped, and it is raised once the batch has finished; the batch itself runs to its end.
        """
        document: Dict[str, Any] = {"requests": list(requests)}
        if concurrency is not None:
            document["options"] = {"concurrency": concurrency}
        if progress is None:
            return self._run(self._lib.hostprov_batch, _encode(document))

        raised: List[BaseException] = []

        def report(done: int, total: int, _user: Optional[int]) -> None:
            if raised:
                return
            try:
                progress(done, total)
            except BaseException as e:  # noqa: BLE001 - held back and raised below
                raised.append(e)

        callback = _PROGRESS(report)  # kept alive by this frame until the call returns
        envelope = self._take(self._lib.hostprov_batch_with_progress(_encode(document), callback, None))
        if raised:
            raise raised[0]
        return raise_for_envelope(envelope)

    def catalog(self) -> Envelope:
        """Every provider, product and operation, in `data.providers`."""
        return self._run(self._lib.hostprov_catalog)

    def version(self) -> str:
        return self._lib.hostprov_version().decode("utf-8")

    def abi_version(self) -> int:
        return int(self._lib.hostprov_abi_version())
