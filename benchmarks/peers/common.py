"""Helpers shared by the peer scripts: random MNIST-shaped data, medians, and the RESULT line format.

Random float32 data of MNIST's shape costs exactly what MNIST costs: no kernel looks at the values.
Every script prints "RESULT <workload> <seconds>" lines, the format ScratchNet.PeerTimings prints,
which run-all.sh collects into one table.
"""
import statistics
import sys
import time

TRAINING_SAMPLES = 60_000
TEST_SAMPLES = 10_000


def median_seconds(repeats, work, warm_up=True):
    """Runs work() once to warm up (unless warm_up is False), then `repeats` times; returns the median wall time in seconds."""
    if warm_up:
        work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(workload, seconds):
    print(f"RESULT {workload} {seconds:.6g}", flush=True)


def int_arg(name, default):
    """The value after `name` on the command line, or the default."""
    if name in sys.argv:
        return int(sys.argv[sys.argv.index(name) + 1])
    return default
