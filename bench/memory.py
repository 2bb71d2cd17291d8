"""Peak resident memory of the running process."""

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's own peak (VmHWM). ru_maxrss alone would not do for a benchmark's child process: Linux
    carries the parent's peak into it across fork and exec, so under `make bench` every child reported the
    runner's."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
