"""The seed network's own algorithm in plain Python: lists of floats, one sample at a time through
forward and backward, gradients summed over the minibatch of 10, then one SGD step (the loops of
network.py, without numpy). Too slow for a whole epoch: it times a few thousand samples and
extrapolates to 60,000. Random data of MNIST's shape.
Usage: /usr/bin/python3 seed_pure_python.py [--samples N] [--repeats N]
"""
import math
import random

from common import TRAINING_SAMPLES, int_arg, median_seconds, report

SIZES = [784, 16, 16, 10]
BATCH = 10


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


class SeedNetwork:
    def __init__(self, rng):
        self.weights = []   # weights[l][i][j]: from neuron j of layer l to neuron i of layer l + 1
        self.biases = []
        for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
            limit = math.sqrt(6.0 / (fan_in + fan_out))
            self.weights.append([[rng.uniform(-limit, limit) for _ in range(fan_in)] for _ in range(fan_out)])
            self.biases.append([0.0] * fan_out)

    def backprop(self, x, y, nabla_w, nabla_b):
        """Adds ∂C/∂W and ∂C/∂b of one sample to nabla_w and nabla_b."""
        activations = [x]
        a = x
        for w, b in zip(self.weights, self.biases):
            a = [sigmoid(sum(wij * aj for wij, aj in zip(row, a)) + bi) for row, bi in zip(w, b)]
            activations.append(a)
        a = activations[-1]
        delta = [2.0 * (ai - yi) * ai * (1.0 - ai) for ai, yi in zip(a, y)]        # δᴸ = ∂C/∂a ⊙ σ'(z)
        for layer in range(len(self.weights) - 1, -1, -1):
            previous = activations[layer]
            for i, d in enumerate(delta):
                row = nabla_w[layer][i]
                for j, aj in enumerate(previous):
                    row[j] += d * aj                                                  # ∂C/∂wᵢⱼ = δᵢ·aⱼ
                nabla_b[layer][i] += d                                                # ∂C/∂bᵢ = δᵢ
            if layer > 0:
                w = self.weights[layer]
                delta = [sum(w[i][j] * delta[i] for i in range(len(delta))) * aj * (1.0 - aj)
                         for j, aj in enumerate(previous)]                            # δˡ = (Wᵀδˡ⁺¹) ⊙ σ'(zˡ)

    def update_mini_batch(self, batch, eta):
        nabla_w = [[[0.0] * len(row) for row in w] for w in self.weights]
        nabla_b = [[0.0] * len(b) for b in self.biases]
        for x, y in batch:
            self.backprop(x, y, nabla_w, nabla_b)
        step = eta / len(batch)
        for w, nw, b, nb in zip(self.weights, nabla_w, self.biases, nabla_b):
            for row, nrow in zip(w, nw):
                for j in range(len(row)):
                    row[j] -= step * nrow[j]
            for i in range(len(b)):
                b[i] -= step * nb[i]

    def train(self, data, eta):
        for start in range(0, len(data), BATCH):
            self.update_mini_batch(data[start:start + BATCH], eta)


def main():
    samples = int_arg("--samples", 2000)
    repeats = int_arg("--repeats", 3)
    rng = random.Random(1)
    data = []
    for _ in range(samples):
        label = rng.randrange(10)
        data.append(([rng.random() for _ in range(784)], [1.0 if k == label else 0.0 for k in range(10)]))
    network = SeedNetwork(rng)
    print(f"INFO pure Python: {samples} samples per run, extrapolated to {TRAINING_SAMPLES}", flush=True)
    # A full run to warm up would double the time for nothing: warm up on 100 samples instead.
    network.train(data[:100], 0.5)
    seconds = median_seconds(repeats, lambda: network.train(data, 0.5), warm_up=False)
    report("seed-epoch-b10", seconds * TRAINING_SAMPLES / samples)


if __name__ == "__main__":
    main()
