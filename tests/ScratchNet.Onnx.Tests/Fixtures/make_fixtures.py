"""Makes the PyTorch fixtures of ScratchNet.Onnx.Tests, once; the tests need only the files it writes.

    /usr/bin/python3 tests/ScratchNet.Onnx.Tests/Fixtures/make_fixtures.py     (PyTorch 1.13, numpy)

Writes pytorch-mlp.onnx and pytorch-cnn.onnx with torch.onnx.export, and pytorch-mlp.json and
pytorch-cnn.json: the outputs PyTorch computed for the first 16 MNIST test digits (data/mnist). The
networks are not trained (seeded random weights, batch-norm statistics set away from 0 and 1): an import
that misplaces one weight gives different numbers either way, and no training run is needed.
"""
import gzip
import json
import os

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DIGITS = 16


def mnist_test_images(count):
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz"), "rb") as f:
        data = f.read()
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16)[: count * 784]
    return pixels.astype(np.float32).reshape(count, 784) / 255.0


class MatMulAdd(nn.Module):
    """x·W + b written out, so that the exporter writes MatMul then Add instead of Gemm."""

    def __init__(self, inputs, outputs):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(inputs, outputs) * 0.3)
        self.bias = nn.Parameter(torch.randn(outputs) * 0.1)

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(8), nn.MaxPool2d(2),  # 14×14×8
            nn.Conv2d(8, 16, 3, stride=1), nn.LeakyReLU(0.05), nn.MaxPool2d(2),           # 6×6×16
        )
        self.classifier = nn.Sequential(nn.Linear(16 * 6 * 6, 32), nn.Tanh(), nn.Dropout(0.3), nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x).reshape(-1, 16 * 6 * 6))  # a Reshape to 2-D, not a Flatten


def randomize_batch_norm(model):
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            n = module.num_features
            module.running_mean.copy_(torch.randn(n) * 0.2)
            module.running_var.copy_(torch.rand(n) + 0.5)
            module.weight.data.copy_(torch.rand(n) + 0.5)
            module.bias.data.copy_(torch.randn(n) * 0.1)


def export(name, model, inputs, opset):
    model.eval()
    with torch.no_grad():
        randomize_batch_norm(model)
        outputs = model(inputs)
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(model, inputs, path, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=opset)
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump({"producer": "torch " + torch.__version__, "opset": opset, "digits": DIGITS,
                   "outputs": outputs.numpy().astype(float).tolist()}, f)
    print(name, path, tuple(outputs.shape))


def main():
    torch.manual_seed(15)
    images = torch.from_numpy(mnist_test_images(DIGITS))
    mlp = nn.Sequential(
        nn.Linear(784, 64), nn.BatchNorm1d(64), nn.LeakyReLU(0.1), nn.Dropout(0.2),
        nn.Linear(64, 32), nn.Tanh(),
        MatMulAdd(32, 16), nn.Sigmoid(),
        nn.Linear(16, 10), nn.Softmax(dim=1))
    export("pytorch-mlp", mlp, images, opset=14)
    export("pytorch-cnn", Cnn(), images.reshape(DIGITS, 1, 28, 28), opset=11)


if __name__ == "__main__":
    main()
