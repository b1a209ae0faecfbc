"""The time-to-accuracy recipe of samples/ConvNet --fast in PyTorch: the seconds from process start to the end
of the first epoch whose test accuracy reaches 99.0%, on the real MNIST files (the same IDX files ScratchNet
reads), evaluated on the 10,000 test digits after every epoch.

Same recipe as ScratchNet's: two blocks of 3×3 convolution (padding 1), batch norm, ReLU and 2×2 max pooling
with 16 and 32 filters, then dense 1568→128, ReLU, dense 128→10; He-uniform weights (Glorot-uniform for the
last layer), zero biases; softmax cross-entropy; AdamW (λ 10⁻⁴, ScratchNet's Adam with weight decay) with
ScratchNet's one-cycle η per step (linear warm-up from η̂/10 over the first 25% of the steps, then half a
cosine down to η̂/100), peak η̂ 0.008; batch 128, reshuffled every epoch; 3 epochs, stopping at the first that reaches 99.0%; pixels / 255, no augmentation;
float32; 2 threads. PyTorch's default NCHW layout (ScratchNet stores images channels-last, NHWC).
Usage: /usr/bin/python3 time_to_99_torch.py [--data DIR] [--epochs N] [--batch-size B] [--learning-rate X] [--seed S]
(--data: default $SCRATCHNET_MNIST, else data/mnist of this repository)
"""
import gzip
import math
import os
import sys

import numpy
import torch

from common import int_arg, report

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = 0.990


def seconds_since_process_start():
    """As ScratchNet's sample measures it: now minus the start time the kernel recorded for this process."""
    with open("/proc/self/stat", encoding="ascii") as stat:
        started_ticks = int(stat.read().rsplit(")", 1)[1].split()[19])   # field 22, starttime
    with open("/proc/uptime", encoding="ascii") as uptime:
        now = float(uptime.read().split()[0])
    return now - started_ticks / os.sysconf("SC_CLK_TCK")


def text_arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def read_idx(folder, name):
    """One MNIST IDX file (gzipped or not) as a numpy array of its shape."""
    path = os.path.join(folder, name)
    opener = gzip.open if not os.path.exists(path) else open
    with opener(path if os.path.exists(path) else path + ".gz", "rb") as file:
        data = file.read()
    dimensions = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dimensions)]
    return numpy.frombuffer(data, dtype=numpy.uint8, offset=4 + 4 * dimensions).reshape(shape)


def load(folder, images, labels):
    x = torch.from_numpy(read_idx(folder, images).astype(numpy.float32) / 255).unsqueeze(1)   # N×1×28×28
    y = torch.from_numpy(read_idx(folder, labels).astype(numpy.int64))
    return x, y


def fast_net():
    def block(inputs, filters):
        return [torch.nn.Conv2d(inputs, filters, 3, padding=1), torch.nn.BatchNorm2d(filters),
                torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
    network = torch.nn.Sequential(
        *block(1, 16),      # 14×14×16
        *block(16, 32),     # 7×7×32
        torch.nn.Flatten(),
        torch.nn.Linear(7 * 7 * 32, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))
    for layer in network:
        if isinstance(layer, (torch.nn.Conv2d, torch.nn.Linear)):
            torch.nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")   # U(±√(6/fan_in)), ScratchNet's HeUniform
            torch.nn.init.zeros_(layer.bias)
    torch.nn.init.xavier_uniform_(network[-1].weight)   # ScratchNet's Dense default, GlorotUniform
    return network


def one_cycle(peak, step, steps, warmup=0.25, div_factor=10.0, final_div_factor=100.0):
    """samples/ConvNet/OneCycleSchedule.cs, the same formula."""
    start, end = peak / div_factor, peak / final_div_factor
    warmup_steps = max(1, int(warmup * steps))
    if step < warmup_steps:
        return start + (peak - start) * step / warmup_steps
    t = min(1.0, (step - warmup_steps) / max(1, steps - 1 - warmup_steps))
    return end + (peak - end) * (1 + math.cos(math.pi * t)) / 2


def accuracy(network, x, y):
    network.eval()
    with torch.no_grad():
        correct = sum(int((network(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum()) for i in range(0, len(x), 1000))
    return correct / len(x)


def main():
    data = text_arg("--data", os.environ.get("SCRATCHNET_MNIST") or os.path.join(HERE, "..", "..", "data", "mnist"))
    epochs = int_arg("--epochs", 3)
    batch = int_arg("--batch-size", 128)
    peak = float(text_arg("--learning-rate", "0.008"))
    torch.set_num_threads(2)
    torch.manual_seed(int_arg("--seed", 1))
    x, y = load(data, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")
    test_x, test_y = load(data, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    network = fast_net()
    optimizer = torch.optim.AdamW(network.parameters(), lr=peak, weight_decay=1e-4)
    loss_function = torch.nn.CrossEntropyLoss()
    steps_per_epoch = (len(x) + batch - 1) // batch
    print(f"INFO torch {torch.__version__}, {torch.get_num_threads()} threads, {len(x)} training digits, "
          f"{epochs} epochs of {steps_per_epoch} batches of {batch}, peak η {peak}; "
          f"{seconds_since_process_start():.1f} s from process start to training", flush=True)
    for epoch in range(1, epochs + 1):
        network.train()
        order = torch.randperm(len(x))
        for b, start in enumerate(range(0, len(x), batch)):
            for group in optimizer.param_groups:
                group["lr"] = one_cycle(peak, (epoch - 1) * steps_per_epoch + b, epochs * steps_per_epoch)
            index = order[start:start + batch]
            # index_select, not x[index], which is far slower in this torch build (see seed_torch.py).
            loss = loss_function(network(x.index_select(0, index)), y.index_select(0, index))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        reached = accuracy(network, test_x, test_y)
        seconds = seconds_since_process_start()
        print(f"INFO epoch {epoch}/{epochs}: test accuracy {reached * 100:.2f}%, {seconds:.1f} s from process start", flush=True)
        if reached >= TARGET:
            print(f"INFO reached {TARGET * 100:.1f}% after epoch {epoch} at {seconds:.1f} s from process start", flush=True)
            report("time-to-99", seconds)
            return
    print(f"INFO did not reach {TARGET * 100:.1f}% in {epochs} epoch{'' if epochs == 1 else 's'}", flush=True)


if __name__ == "__main__":
    main()
