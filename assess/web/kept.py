"""A small least-recently-used store for what a process renders or computes once and reuses.

Shared by the results pages and the team aggregates: both are kept per process, keyed by everything they depend
on, so an entry never goes stale; it only ages out. Safe to use from several threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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
