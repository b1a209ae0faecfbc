"""The seed network (784-16-16-10 sigmoid, quadratic cost, plain minibatch SGD) in numpy, float32,
backprop in matrix form: one forward and one backward pass per minibatch, not per sample.

Times whole shuffled 60,000-sample epochs at batch 10 and 100, the 10,000-image test set in one batch,
and one digit. Random data of MNIST's shape.
Usage: /usr/bin/python3 seed_numpy.py [--repeats N]
"""
import numpy as np

from common import TEST_SAMPLES, TRAINING_SAMPLES, int_arg, median_seconds, report

SIZES = [784, 16, 16, 10]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class SeedNetwork:
    def __init__(self, rng):
        # Glorot uniform, as ScratchNet's default; W is [outputs, inputs] like ScratchNet's Dense.
        self.weights = []
        for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            self.weights.append(rng.uniform(-limit, limit, (fan_out, fan_in)).astype(np.float32))
        self.biases = [np.zeros(n, dtype=np.float32) for n in SIZES[1:]]

    def feedforward(self, a):
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(a @ w.T + b)
        return a

    def update_mini_batch(self, x, y, eta):
        """One SGD step on a minibatch: rows of x are samples. C = Σ (a − y)² / batch."""
        activations = [x]
        zs = []
        a = x
        for w, b in zip(self.weights, self.biases):
            z = a @ w.T + b
            zs.append(z)
            a = sigmoid(z)
            activations.append(a)
        n = x.shape[0]
        s = activations[-1]
        delta = (2.0 / n) * (s - y) * s * (1.0 - s)                    # δᴸ = ∂C/∂a ⊙ σ'(z)
        for layer in range(len(self.weights) - 1, -1, -1):
            nabla_w = delta.T @ activations[layer]                     # ∂C/∂W = Δᵀ·A
            nabla_b = delta.sum(axis=0)                                # ∂C/∂b = Σ δ
            if layer > 0:
                s = activations[layer]
                delta = (delta @ self.weights[layer]) * s * (1.0 - s)  # δˡ = (Wˡ⁺¹ᵀ δˡ⁺¹) ⊙ σ'(zˡ)
            self.weights[layer] -= eta * nabla_w
            self.biases[layer] -= eta * nabla_b

    def epoch(self, x, y, batch_size, eta, rng):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            index = order[start:start + batch_size]
            self.update_mini_batch(x[index], y[index], eta)


def main():
    repeats = int_arg("--repeats", 5)
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"INFO numpy {np.__version__} BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                  f"kernel {pool.get('architecture')}, {pool.get('num_threads')} threads", flush=True)
    except ImportError:
        print(f"INFO numpy {np.__version__} (threadpoolctl missing: BLAS kernel not shown)", flush=True)
    rng = np.random.default_rng(1)
    x = rng.random((TRAINING_SAMPLES, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, TRAINING_SAMPLES)]
    eta = np.float32(0.5)
    for batch_size in (10, 100):
        network = SeedNetwork(rng)
        report(f"seed-epoch-b{batch_size}", median_seconds(repeats, lambda: network.epoch(x, y, batch_size, eta, rng)))
        assert network.weights[0].dtype == np.float32

    network = SeedNetwork(rng)
    test = x[:TEST_SAMPLES]
    report("seed-testset", median_seconds(max(repeats, 5), lambda: [network.feedforward(test) for _ in range(20)]) / 20)
    digit = x[:1]
    report("seed-digit", median_seconds(max(repeats, 5), lambda: [network.feedforward(digit) for _ in range(10_000)]) / 10_000)


if __name__ == "__main__":
    main()
