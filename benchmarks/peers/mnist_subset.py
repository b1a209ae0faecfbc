"""Writes the first N training and M test digits of MNIST as gzipped IDX files, for run-all.sh --quick: the
time-to-accuracy runs then take seconds (and reach no target; the numbers mean nothing).
Usage: /usr/bin/python3 mnist_subset.py SOURCE_DIR TARGET_DIR N M
"""
import gzip
import os
import sys


def copy(source, target, name, count):
    path = os.path.join(source, name)
    with (open(path, "rb") if os.path.exists(path) else gzip.open(path + ".gz", "rb")) as file:
        data = file.read()
    dimensions = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions)]
    sample_size = 1
    for size in shape[1:]:
        sample_size *= size
    count = min(count, shape[0])
    header = data[:4] + count.to_bytes(4, "big") + data[8:4 + 4 * dimensions]
    body = data[4 + 4 * dimensions:4 + 4 * dimensions + count * sample_size]
    with gzip.open(os.path.join(target, name + ".gz"), "wb") as file:
        file.write(header + body)


def main():
    source, target, training, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.makedirs(target, exist_ok=True)
    for name, count in (("train-images-idx3-ubyte", training), ("train-labels-idx1-ubyte", training),
                        ("t10k-images-idx3-ubyte", test), ("t10k-labels-idx1-ubyte", test)):
        copy(source, target, name, count)


if __name__ == "__main__":
    main()
