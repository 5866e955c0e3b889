"""The bodies of the app's fetching workers: detail, deeper pages, server search, preload.

Each coroutine calls backends and posts the outcome as a message
(:mod:`tui.console.messages`); typed backend errors become failure messages, never
exceptions. The app runs these in Textual workers (which give exclusivity
and cancellation) and merges what they post; nothing here touches a widget
or the store.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter

from textual.message import Message

from tui.backends import capabilities_of
from tui.backends.base import (
    ActionPage,
    Backend,
    BackendError,
    ListQuery,
    NotFoundError,
    counts_fewer,
)
from tui.console.messages import (
    ActionLoaded,
    ActionLoadFailed,
    ActionsFetched,
    FetchFailed,
    FetchPurpose,
)
from tui.poller import BackendHealth

SEARCH_DEBOUNCE = 0.25
"""Seconds to wait for the user to stop typing before searching on the server."""

DETAIL_DEBOUNCE = 0.1
"""Seconds between two detail requests below which the second waits this long before fetching.

A selection that moves after resting is fetched at once; moves in a burst
(a held key) each wait, so only the last of the burst is fetched.
"""

SEARCH_LIMIT = 200
"""At most this many actions per server-side search."""

MORE_MIN, MORE_MAX = 50, 1000
"""Bounds of one request for deeper rows."""

PRELOAD_CHUNK = 500
"""Actions of the first preload window; each next one is twice as big, up to :data:`PRELOAD_MAX`."""

PRELOAD_MAX = 2000
"""Actions of the biggest preload window.

What a window costs the app beyond its actions (a request, a merge, the
list's page and footer redrawn: tens of milliseconds) is paid once per
window, so a million actions in windows of 500 paid it 2,000 times. A
backend still reads a big window in its own pages (Seeweb: ``page_size``),
each parsed between two awaits, and the app merges it in slices
(:data:`PRELOAD_SLICE`); a window of 8,000, merged in one go as it was
then, held a key for several hundred milliseconds on a busy machine.
"""

PRELOAD_AHEAD = 1
"""Windows asked for beyond the one being read, from the second window on.

The server draws them (in its own process, for the demo) while the console
parses and merges the one before. With two asked ahead the console waited
less for the simulator, but on two cores the simulator then drew while the
console merged, and a key pressed while a million loaded waited longer: `?`
113-143 ms against 82-88 ms with one (same runs), for a load 1-2 s shorter
at most.
"""

PRELOAD_SLICE = 500
"""Actions of one preload message: the most the app merges of a window in one event-loop turn.

A window is posted in slices of this many, each (paced) once the app has
merged the one before: what a key or a frame waits for behind the preload
is one slice's merge (a few milliseconds), not a window's.
"""

_ref_of = attrgetter("ref")

MERGE_WAIT = 2.0
"""Seconds a paced preload waits for its last slice to be merged before it posts on anyway."""


def _placed_at(page: ActionPage) -> int | None:
    """The total a window was read at (where its first page was placed), if the API gives one."""
    return page.first_total if page.first_total is not None else page.total


class Fetcher:
    """Fetches from backends on the app's behalf and posts what happened."""

    def __init__(
        self,
        backends: Sequence[Backend],
        post: Callable[[Message], object],
        *,
        paced: bool = False,
    ) -> None:
        """Fetch from ``backends``, posting outcomes with ``post``.

        Args:
            backends: the configured backends.
            post: posts a message to the app.
            paced: the preload posts a backend's next slice only once the
                app has said (:meth:`merged`) that it merged the one before,
                or after :data:`MERGE_WAIT`: at most one slice per backend
                waits in front of the keys typed meanwhile, while the next
                window is being read.
        """
        self._backends = {backend.name: backend for backend in backends}
        self._post = post
        self._paced = paced
        self._merging: dict[str, list[asyncio.Event]] = {}
        self._detail_asked = float("-inf")
        """When the last detail was asked for (event-loop time)."""

    def merged(self, backend_name: str) -> None:
        """The app has merged the oldest unmerged preload slice of ``backend_name``."""
        waiting = self._merging.get(backend_name)
        if waiting:
            waiting.pop(0).set()

    async def detail(self, ref: str, backend_name: str, action_id: str) -> None:
        """Load one action's full detail: at once after a rest, else once the selection rests.

        The request before this one was less than :data:`DETAIL_DEBOUNCE` ago
        (moves in a burst, each cancelling the one before): wait that long
        first, so a held key fetches the action it stops on, not each one
        passed over.
        """
        backend = self._backends.get(backend_name)
        if backend is None:
            return
        now = asyncio.get_running_loop().time()
        resting = now - self._detail_asked >= DETAIL_DEBOUNCE
        self._detail_asked = now
        if not resting:
            await asyncio.sleep(DETAIL_DEBOUNCE)
        try:
            action = await backend.get_action(action_id)
        except BackendError as error:
            gone = isinstance(error, NotFoundError)
            self._post(ActionLoadFailed(ref, error.reason, gone=gone))
            return
        self._post(ActionLoaded(ref, action))

    async def more(
        self, missing: int, health: Mapping[str, BackendHealth], loaded: Mapping[str, int]
    ) -> None:
        """Load the next rows of every backend whose server has more than is loaded."""
        limit = min(MORE_MAX, max(MORE_MIN, missing))
        queries = [
            (backend, ListQuery(start=loaded.get(name, 0), limit=limit))
            for name, backend in self._backends.items()
            if (total := health[name].total) is not None and total > loaded.get(name, 0)
        ]
        await asyncio.gather(
            *(self._window(backend, query, FetchPurpose.PAGE) for backend, query in queries)
        )

    async def search(self, query: str) -> None:
        """Search by resource on the backends that can (after a short debounce)."""
        await asyncio.sleep(SEARCH_DEBOUNCE)
        backends = self._backends.values()
        searchable = [b for b in backends if capabilities_of(b.type).server_search]
        window = ListQuery(start=0, limit=SEARCH_LIMIT, resource=query)
        await asyncio.gather(
            *(self._window(b, window, FetchPurpose.SEARCH, query) for b in searchable)
        )

    async def preload(self) -> None:
        """Page through every backend until each is exhausted."""
        await asyncio.gather(*(self._preload(backend) for backend in self._backends.values()))

    async def _preload(self, backend: Backend) -> None:
        """Window after window, each twice the one before (up to :data:`PRELOAD_MAX`).

        The event loop runs between two windows, and within a window between
        two of its slices (:meth:`_post_slices`): keys stay instant.

        A backend may answer deeper windows from memory, without any I/O (the
        OpenStack backend does): without the yield, every window would run in
        one go and block the app until the last.

        From the second window on, the next :data:`PRELOAD_AHEAD` windows
        are asked for as soon as this one is, each where it starts if the
        ones before come back full (a shorter one ends the preload, and those
        asked after it are dropped): the server draws them while this one is
        read, parsed and merged, instead of waiting for the console's request
        in between. (A first window reads the whole list again on some
        backends: one at a time there.)

        A window whose every ref was seen before ends the preload (a backend
        that ignores ``start``, or pages in circles, must not be read
        forever). The check stops at the first unseen ref and the refs are
        added in C, not one Python step a ref (over a million actions, a set
        comprehension and two set operations a window cost 0.35 s alone, 0.2 s so).

        Windows asked for together may be answered in any order. On a list
        that grows at its top, one answered before an arrival that the window
        before it already counts sits one place too high: the action between
        the two would be in neither, and the list would stay one action short
        of the server's total. Such a window says so by its total (read when
        its first page was, :attr:`ActionPage.first_total`), lower than the
        one before: it is read again, once, now that the one before is in.
        """
        start, seen = 0, set[str]()
        asked: deque[tuple[ListQuery, asyncio.Future[ActionPage | BackendError]]] = deque()
        end, size = 0, PRELOAD_CHUNK  # where the next window to ask for starts, and its length
        placed: int | None = None  # the total the last window was read at

        def ask() -> None:
            nonlocal end, size
            query = ListQuery(start=end, limit=size)
            asked.append((query, asyncio.ensure_future(self._read(backend, query))))
            end, size = end + size, max(size, min(PRELOAD_MAX, 2 * size))

        try:
            while True:
                await asyncio.sleep(0)
                if not asked:
                    ask()
                while start > 0 and len(asked) <= PRELOAD_AHEAD:  # not beside the first window
                    ask()
                query, reading = asked.popleft()
                limit = query.limit
                page = await reading
                if not isinstance(page, BackendError) and counts_fewer(_placed_at(page), placed):
                    page = await self._read(backend, query)  # answered before the one before
                if isinstance(page, BackendError):
                    self._post(FetchFailed(backend.name, page.reason, FetchPurpose.PRELOAD))
                    return
                await self._post_slices(backend.name, page)
                if seen.issuperset(map(_ref_of, page.actions)):  # nothing new: a loop
                    return
                seen.update(map(_ref_of, page.actions))
                placed = _placed_at(page)
                start += len(page.actions)
                if len(page.actions) < limit or (page.total is not None and start >= page.total):
                    return
        finally:
            self._merging.pop(backend.name, None)
            for _, unread in asked:
                if not unread.done():
                    unread.cancel()
            await asyncio.gather(*(unread for _, unread in asked), return_exceptions=True)

    async def _post_slices(self, backend_name: str, page: ActionPage) -> None:
        """Post one window in slices of :data:`PRELOAD_SLICE`, in order, the loop run between.

        Paced, each slice is posted only once the app has merged the one
        before (or after :data:`MERGE_WAIT`): a key or a frame that comes
        meanwhile is in the app's queue before the next slice, so it waits
        for one slice's merge at most, never a window's. (An empty window is
        posted too: it carries the total.)
        """
        actions = page.actions
        waiting = self._merging.setdefault(backend_name, [])
        for first in range(0, max(1, len(actions)), PRELOAD_SLICE):
            part = actions[first : first + PRELOAD_SLICE]
            merging = asyncio.Event()
            if self._paced:
                waiting.append(merging)
            self._post(ActionsFetched(backend_name, part, FetchPurpose.PRELOAD, page.total))
            if not self._paced:
                await asyncio.sleep(0)
                continue
            try:
                await asyncio.wait_for(merging.wait(), MERGE_WAIT)
            except TimeoutError:
                if merging in waiting:
                    waiting.remove(merging)

    @staticmethod
    async def _read(backend: Backend, query: ListQuery) -> ActionPage | BackendError:
        """One preload window, or the typed error that stopped it (posted in order later)."""
        try:
            return await backend.list_actions(query)
        except BackendError as error:
            return error

    async def _window(
        self,
        backend: Backend,
        query: ListQuery,
        purpose: FetchPurpose,
        search: str | None = None,
    ) -> ActionPage | None:
        try:
            page = await backend.list_actions(query)
        except BackendError as error:
            self._post(FetchFailed(backend.name, error.reason, purpose))
            return None
        self._post(ActionsFetched(backend.name, page.actions, purpose, page.total, search))
        return page
