"""What a process renders or computes once and reuses: a small least-recently-used store, and page skeletons.

Shared by the results pages, the wizard pages and the team aggregates: all are kept per process, keyed by everything
they depend on, so an entry never goes stale; it only ages out. Safe to use from several threads.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Generic, TypeVar

from flask import current_app, request, session

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most `size` values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value kept under `key`, now the most recently used; None when there is none."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep `value` under `key`, dropping the least recently used beyond the size."""
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def drop(self, which: Callable[[K], bool]) -> None:
        """Drop every entry whose key `which` accepts."""
        with self._lock:
            for key in [key for key in self._entries if which(key)]:
                del self._entries[key]


def origin() -> tuple[str, str, str]:
    """What this request's absolute links are made from (scheme, host, script root): part of a kept page's key.

    Cheaper than ``request.host_url``, which quotes and joins them anew on every call."""
    return request.scheme, request.host, request.root_path


def keepable() -> bool:
    """Whether this request's page may come from (and go into) a kept copy: not while it carries flashed messages,
    which belong to one visitor's page, nor while templates reload on change (debug), so an edit shows."""
    return not session.get("_flashes") and not current_app.jinja_env.auto_reload


class Skeleton:
    """A page rendered once with a marker wherever a visit's own values go, kept encoded and cut at the markers:
    a visit only joins the parts around its values."""

    def __init__(self, html: str, markers: Mapping[str, str]) -> None:
        """`markers` maps each marker string in `html` to the name of the hole it stands for."""
        self.parts: list[bytes] = []
        self.holes: list[str] = []
        start = 0
        for found in re.finditer("|".join(map(re.escape, markers)), html):
            self.parts.append(html[start : found.start()].encode())
            self.holes.append(markers[found.group()])
            start = found.end()
        self.parts.append(html[start:].encode())

    def fill(self, values: Mapping[str, str]) -> bytes:
        """The page with each hole's value put in (values are HTML, escaped by the caller)."""
        out = [self.parts[0]]
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            out.append(values[hole].encode())
            out.append(part)
        return b"".join(out)
