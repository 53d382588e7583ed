"""Giving memory back to the operating system after a large upload is let go.

Freed frames return to the allocators (Arrow's pool for text columns, the C library's heap for the rest), which
keep the pages for reuse: the server's resident size would stay at its peak. :func:`give_back` asks both to
return what is free. It runs shortly after the frames of a session's upload become garbage: once the file is
removed or replaced, or the session ends, and the last run's download buttons (which hold the rows they would
write) are dropped by Streamlit. :func:`share_uploaded_bytes` keeps Streamlit from copying an uploaded file on
every run.
"""

from __future__ import annotations

import copyreg
import ctypes
import functools
import gc
import threading
import weakref

from dashboard import _compat

#: Seconds between a frame becoming garbage and memory being handed back (its columns are freed just after the
#: finaliser runs, so the hand-back waits for them).
_AFTER_SESSION_END = 1.0


@functools.cache  # once per process: the page script calls it on every run
def use_system_allocator() -> None:
    """Have Arrow allocate from the C library's heap instead of its own mimalloc pool, and tune that heap
    (:func:`_map_large_blocks`).

    mimalloc keeps freed pages per thread, and Streamlit runs each page run on a new thread, so what a run's
    frames held could not be handed back once that thread had ended; the C library's heap can be trimmed from
    any thread (measured: after a 400,000-row upload is removed, +286 MB stays resident with mimalloc).
    """
    try:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    except Exception:  # no pyarrow, or one without a system pool: keep its default
        pass
    _map_large_blocks()


#: glibc's mallopt parameters (malloc.h): M_MMAP_THRESHOLD and M_ARENA_MAX.
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8
#: Blocks from this size up (256 KiB) get pages of their own, returned to the system when freed.
MMAP_THRESHOLD = 1 << 18
#: Heaps glibc keeps for all the server's threads (its default: 8 a core).
ARENAS = 1


def _map_large_blocks() -> None:
    """Have glibc give large blocks (columns, arrays: 256 KiB and up) pages of their own, and keep one heap.

    By default glibc raises its mmap threshold each time a mapped block is freed (up to 32 MB), after which
    large columns are carved from its heaps, where the small objects allocated beside them keep the pages:
    eight sessions at once left +130 MB resident after they closed, though nothing of theirs was alive (+60 MB
    with 1 MiB and two heaps, +36 MB with these). A fixed threshold returns a freed column's pages at once; one
    heap (glibc makes one per thread, and each session's runs are on new threads) leaves fewer partly used.
    """
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        mallopt(_M_ARENA_MAX, ARENAS)


@functools.cache  # once per process
def share_uploaded_bytes() -> None:
    """Let a copy of an uploaded file share the file's bytes instead of copying them.

    Streamlit hands every widget a deep copy of its value on every run (``SessionState.register_widget``); for
    the file uploader that copied the whole file, 100 MB for a 100 MB GeoPackage, on each rerun while the file
    was in the uploader. An uploaded file's bytes never change, and a ``BytesIO`` made from them copies them
    only if written to, so the copy can share them: the copy rule registered here rebuilds the file from its
    record, as Streamlit does when it reads the widget's value.
    """
    rule = _compat.uploaded_file_reduction()
    if rule is None:  # a Streamlit without this class: its copies stay as they are
        return
    copyreg.pickle(*rule)


def keep_out_of_collections() -> None:
    """Collect garbage once, then leave every object alive now out of later collections (``gc.freeze``).

    Called once per process after a dataset is loaded: Streamlit collects after every page run
    (``runner.postScriptGC``) and :func:`give_back` after a session ends, and each full collection walked the
    loaded events, reports and modules again: ~0.13 s each at 100,000 events, four or five per new session.
    Frozen objects are still freed by reference counting when let go; only a reference cycle among them
    would stay (the load runs at the start of a page run, before that run makes anything of its own).
    """
    gc.collect()
    gc.freeze()


def give_back() -> None:
    """Collect garbage, then return free memory to the system (Arrow's pool, and glibc's heap where present)."""
    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # an older pyarrow without release_unused: nothing to hand back there
        pass
    malloc_trim = _malloc_trim()
    if malloc_trim is not None:
        malloc_trim(0)


def when_collected(obj, then=None) -> None:
    """Give memory back shortly after ``obj`` (a large frame) is garbage, after calling ``then()`` if given.

    ``then`` must not refer to ``obj``. It runs on its own thread, never inside the garbage collector, which may
    have interrupted a thread holding a lock that ``then`` takes.
    """
    weakref.finalize(obj, _soon, then)


def give_back_soon() -> None:
    """Give memory back shortly, on a thread of its own (what a shut-down session held is garbage by then)."""
    _soon()


def _soon(then=None) -> None:
    def run():
        if then is not None:
            then()
        give_back()

    timer = threading.Timer(_AFTER_SESSION_END, run)
    timer.daemon = True  # never holds up the server's exit
    timer.start()


_TRIM_LOCK = threading.Lock()


def _malloc_trim():
    # The process's own symbols include the C library's: no ``find_library``, which runs ``ldconfig -p`` in a
    # subprocess (0.5 s of CPU; sessions ending together each ran it before the first answer was cached).
    with _TRIM_LOCK:
        return _find_malloc_trim()


@functools.cache
def _mallopt():
    try:
        return ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc: its own policy
        return None


@functools.cache
def _find_malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): the allocator keeps its own policy
        return None
