"""Text measurements shared by every figure a process saves.

matplotlib measures each text it lays out or draws (a tick label, a title) through a
cache that belongs to one renderer; every file saved with a box of its own and every new
figure gets a new renderer, so the same "20 %" tick label, the same axis label, is
measured again and again (a sixth of the time of publishing a report figure). Within
:func:`shared_text_metrics` the measurements are kept per kind of renderer, resolution and
text settings instead (the class that measures: Agg, SVG, PDF), so a process measures
each text once per kind of file.

A measurement depends only on the text, its font properties, whether it is mathtext, the
resolution and the ``text.*``, ``mathtext.*`` and font-embedding settings, which are all
part of the key: the figures are byte for byte the same as without it.

The block replaces matplotlib's private ``matplotlib.text._get_text_metrics_function``
(matplotlib >= 3.10) while it runs; with a matplotlib that has none, it does nothing (the
figures are only slower). Check it whenever matplotlib is upgraded in the lock.

>>> import io
>>> import matplotlib.pyplot as plt
>>> with shared_text_metrics():
...     fig, ax = plt.subplots()
...     _ = ax.set_title("a title")
...     fig.savefig(io.BytesIO(), format="png")
>>> plt.close(fig)
>>> measured() > 0
True
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["measured", "shared_text_metrics"]

#: Measurements kept per cache before it is emptied (a report run measures ~10,000).
LIMIT = 50_000

_HOOK = "_get_text_metrics_function"  # in matplotlib.text
_caches: dict[tuple[Any, ...], dict[tuple[Any, ...], Any]] = {}
_functions: weakref.WeakKeyDictionary[Any, Callable[..., Any]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_depth = 0
_original: Callable[..., Any] | None = None


def _settings() -> tuple[Any, ...]:
    """The settings a measurement depends on besides the text, its font and the dpi."""
    import matplotlib

    rc = matplotlib.rcParams
    names = sorted(k for k in rc if k.startswith(("text.", "mathtext.")))
    names += ["pdf.use14corefonts", "ps.useafm", "pdf.fonttype", "ps.fonttype", "svg.fonttype"]
    return tuple((k, repr(rc[k])) for k in names)


def _metrics_function(renderer: Any) -> Callable[..., Any]:
    """What matplotlib asks for: the measuring function of ``renderer``, here backed by
    the cache shared by every renderer of its kind, dpi and settings."""
    found = _functions.get(renderer)
    if found is not None:
        return found
    # the class that measures: a vector backend's renderer is wrapped in matplotlib's
    # mixed-mode renderer, which hands the measuring on to it (SVG and PDF differ)
    bound = renderer.get_text_width_height_descent
    measurer = type(getattr(bound, "__self__", renderer))
    key = (measurer, getattr(renderer, "dpi", None), _settings())
    with _lock:
        cache = _caches.setdefault(key, {})
    ref = weakref.ref(renderer)

    def measure(text: str, fontprop: Any, ismath: Any, dpi: float) -> Any:
        entry = (text, fontprop, ismath, dpi)
        found = cache.get(entry)
        if found is None:
            if len(cache) >= LIMIT:
                cache.clear()
            owner = ref()
            if owner is None:  # as matplotlib's own: only a live renderer measures
                raise ReferenceError("the renderer of this measurement is gone")
            found = cache[entry] = owner.get_text_width_height_descent(text, fontprop, ismath)
        return found

    _functions[renderer] = measure
    return measure


def measured() -> int:
    """How many measurements the shared caches hold."""
    with _lock:
        return sum(len(c) for c in _caches.values())


@contextmanager
def shared_text_metrics() -> Iterator[None]:
    """Within the block, every figure measures its texts through the shared caches.

    Blocks nest, and figures drawn by other threads meanwhile use the caches too (their
    measurements are the same).
    """
    import matplotlib.text as mtext

    global _depth, _original
    if not callable(getattr(mtext, _HOOK, None)):
        yield
        return
    with _lock:
        if _depth == 0:
            _original = getattr(mtext, _HOOK)
            setattr(mtext, _HOOK, _metrics_function)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                setattr(mtext, _HOOK, _original)
