"""The ConvNet of samples/ConvNet in PyTorch, same layer sizes: three blocks of 3×3 convolution
(padding 1), batch norm, ReLU and 2×2 max pooling with 32, 64 and 128 filters, then dense 1152→256,
ReLU, dropout 0.4, dense 256→10; softmax cross-entropy; AdamW (η 2·10⁻³, λ 10⁻⁴, ScratchNet's Adam
with weight decay); batch 64; float32; 2 threads. PyTorch's default NCHW layout (ScratchNet stores
images channels-last, NHWC; the arithmetic is the same).

Times a fixed number of shuffled minibatches and extrapolates to the 938 of a 60,000-sample epoch; then
one digit through the network in evaluation mode. Random data of MNIST's shape; no augmentation or
validation pass (ScratchNet.PeerTimings leaves them out too).
Usage: /usr/bin/python3 convnet_torch.py [--batches N] [--repeats N] [--digits N]
"""
import torch

from common import TRAINING_SAMPLES, int_arg, median_seconds, report

BATCH = 64


def conv_net():
    def block(inputs, filters):
        return [torch.nn.Conv2d(inputs, filters, 3, padding=1), torch.nn.BatchNorm2d(filters),
                torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
    return torch.nn.Sequential(
        *block(1, 32),      # 14×14×32
        *block(32, 64),     # 7×7×64
        *block(64, 128),    # 3×3×128
        torch.nn.Flatten(),
        torch.nn.Linear(3 * 3 * 128, 256), torch.nn.ReLU(), torch.nn.Dropout(0.4),
        torch.nn.Linear(256, 10))


def train(network, optimizer, loss_function, x, labels):
    network.train()
    order = torch.randperm(len(x))
    for start in range(0, len(x), BATCH):
        index = order[start:start + BATCH]
        # index_select, not x[index], which is far slower in this torch build (see seed_torch.py).
        loss = loss_function(network(x.index_select(0, index)), labels.index_select(0, index))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    batches = int_arg("--batches", 100)
    repeats = int_arg("--repeats", 3)
    digits = int_arg("--digits", 500)
    torch.set_num_threads(2)
    torch.manual_seed(1)
    print(f"INFO torch {torch.__version__}, {torch.get_num_threads()} threads, {batches} batches of {BATCH} per run, "
          f"extrapolated to {TRAINING_SAMPLES} samples", flush=True)
    x = torch.rand(batches * BATCH, 1, 28, 28, dtype=torch.float32)
    labels = torch.randint(0, 10, (batches * BATCH,))
    network = conv_net()
    optimizer = torch.optim.AdamW(network.parameters(), lr=2e-3, weight_decay=1e-4)
    loss_function = torch.nn.CrossEntropyLoss()
    train(network, optimizer, loss_function, x[:4 * BATCH], labels[:4 * BATCH])  # warm up
    seconds = median_seconds(repeats, lambda: train(network, optimizer, loss_function, x, labels), warm_up=False)
    report("convnet-epoch-b64", seconds * TRAINING_SAMPLES / len(x))

    network.eval()
    digit = x[:1]
    with torch.no_grad():
        report("convnet-digit", median_seconds(max(repeats, 5), lambda: [network(digit) for _ in range(digits)]) / digits)


if __name__ == "__main__":
    main()
