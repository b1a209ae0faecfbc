"""Turns the RESULT lines of ScratchNet.PeerTimings and the peer scripts into one Markdown table.
Usage: table.py SCRATCHNET NUMPY PYTORCH PURE_PYTHON   (files of "RESULT <workload> <seconds>" lines)
A workload with several RESULT lines in one file (the time-to-accuracy runs, one per process) shows their median.
"""
import statistics
import sys

WORKLOADS = [
    ("seed-epoch-b10", "seed 784-16-16-10, one epoch (60,000), batch 10"),
    ("seed-epoch-b100", "seed, one epoch, batch 100"),
    ("convnet-epoch-b64", "ConvNet, one epoch (938 batches of 64, extrapolated)"),
    ("seed-testset", "seed, 10,000 test images, one batch"),
    ("seed-digit", "seed, one digit"),
    ("convnet-digit", "ConvNet, one digit"),
    ("best-digit", "Pretrained.MnistBest() (ConvNet, blocks 2 and 3 doubled), one digit"),
    ("time-to-99", "time to 99.0% (ConvNet --fast recipe), from process start, median of 3 runs"),
]


def read(path):
    results = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "RESULT":
                results.setdefault(parts[1], []).append(float(parts[2]))
    return {workload: statistics.median(times) for workload, times in results.items()}


def duration(seconds):
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} µs"


def ratio(peer, ours):
    return "—" if peer is None or ours is None else f"{peer / ours:.1f}×"


def main():
    ours, numpy, torch, pure = (read(path) for path in sys.argv[1:5])
    print("| workload | ScratchNet | numpy | PyTorch | pure Python | numpy ÷ ScratchNet | PyTorch ÷ ScratchNet | pure Python ÷ ScratchNet |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, name in WORKLOADS:
        s, n, t, p = (r.get(key) for r in (ours, numpy, torch, pure))
        print(f"| {name} | {duration(s)} | {duration(n)} | {duration(t)} | {duration(p)} | {ratio(n, s)} | {ratio(t, s)} | {ratio(p, s)} |")
    print()
    print("Times are medians; a ratio above 1× means ScratchNet is that many times faster.")


if __name__ == "__main__":
    main()
