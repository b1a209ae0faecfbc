"""The seed network (784-16-16-10 sigmoid, quadratic cost, plain minibatch SGD) in PyTorch, as a
PyTorch user writes it: torch.nn.Linear + sigmoid, the summed squared error computed by hand,
.backward(), torch.optim.SGD. float32, 2 threads.

Times whole shuffled 60,000-sample epochs at batch 10 and 100, the 10,000-image test set in one batch,
and one digit. Random data of MNIST's shape.
Usage: /usr/bin/python3 seed_torch.py [--repeats N]
"""
import torch

from common import TEST_SAMPLES, TRAINING_SAMPLES, int_arg, median_seconds, report


def seed_network():
    return torch.nn.Sequential(
        torch.nn.Linear(784, 16), torch.nn.Sigmoid(),
        torch.nn.Linear(16, 16), torch.nn.Sigmoid(),
        torch.nn.Linear(16, 10), torch.nn.Sigmoid())


def epoch(network, optimizer, x, y, batch_size):
    # index_select, not x[index]: in Debian's torch 1.13 advanced indexing of a 60,000-row tensor takes
    # ≈ 1-8 ms per minibatch (index_select ≈ 10 µs), which would swamp the network's own time.
    order = torch.randperm(len(x))
    for start in range(0, len(x), batch_size):
        index = order[start:start + batch_size]
        a = network(x.index_select(0, index))
        loss = ((a - y.index_select(0, index)) ** 2).sum() / len(index)   # quadratic cost, C = Σ (a − y)² / batch
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    repeats = int_arg("--repeats", 3)
    torch.set_num_threads(2)
    torch.manual_seed(1)
    print(f"INFO torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    x = torch.rand(TRAINING_SAMPLES, 784, dtype=torch.float32)
    y = torch.nn.functional.one_hot(torch.randint(0, 10, (TRAINING_SAMPLES,)), 10).to(torch.float32)
    for batch_size in (10, 100):
        network = seed_network()
        optimizer = torch.optim.SGD(network.parameters(), lr=0.5)
        report(f"seed-epoch-b{batch_size}", median_seconds(repeats, lambda: epoch(network, optimizer, x, y, batch_size)))

    network = seed_network().eval()
    test = x[:TEST_SAMPLES]
    digit = x[:1]
    with torch.no_grad():
        report("seed-testset", median_seconds(max(repeats, 5), lambda: [network(test) for _ in range(20)]) / 20)
        report("seed-digit", median_seconds(max(repeats, 5), lambda: [network(digit) for _ in range(10_000)]) / 10_000)


if __name__ == "__main__":
    main()
