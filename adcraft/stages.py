"""Stage bookkeeping: each stage reports its counts and how long it took, for the run summary."""

import functools
import time


def timed_stage(fn):
    """Add the stage's wall time, in seconds, to the dict of counts it returns."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        result = dict(fn(*args, **kwargs))
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result

    return wrapper
