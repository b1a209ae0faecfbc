using BenchmarkDotNet.Attributes;
using ScratchNet.Kernels;

namespace ScratchNet.Benchmarks;

/// <summary>
/// The products of <see cref="Gemm"/> as benchmarks, on operands a derived class allocates for its shape: the forward
/// by dot products (inference), the forward by outer products (how convolutions train), the weight gradient and
/// the input gradient. A is n×k, W is m×k, as <see cref="Gemm"/> names them.
/// </summary>
public abstract class GemmProducts
{
    // Tensors, as the layers hold their operands: from 256 values on their storage starts on a 64-byte boundary.
    private Tensor _a = null!;
    private Tensor _w = null!;
    private Tensor _b = null!;
    private Tensor _z = null!;
    private Tensor _g = null!;
    private Tensor _d = null!;
    private Tensor _inputGradient = null!;
    private Tensor _transposed = null!;
    private (int N, int K, int M) _shape;

    /// <summary>Forward: Z = A·Wᵀ + b.</summary>
    [Benchmark]
    public float Forward()
    {
        Gemm.MultiplyTransposedAddBias(_a.Span, _w.Span, _b.Span, _z.Span, _shape.N, _shape.K, _shape.M);
        return _z[0];
    }

    /// <summary>Forward by outer products, as convolutions train: Z = A·(Wᵀ) + b, W transposed in the call.</summary>
    [Benchmark]
    public float ForwardByTranspose()
    {
        Gemm.MultiplyByTransposeAddBias(_a.Span, _w.Span, _b.Span, _transposed.Span, _z.Span, _shape.N, _shape.K, _shape.M);
        return _z[0];
    }

    /// <summary>Weight gradient: G = Δᵀ·A.</summary>
    [Benchmark]
    public float WeightGradient()
    {
        Gemm.TransposedMultiply(_d.Span, _a.Span, _g.Span, _shape.N, _shape.K, _shape.M);
        return _g[0];
    }

    /// <summary>Input gradient: D = Δ·W.</summary>
    [Benchmark]
    public float InputGradient()
    {
        Gemm.Multiply(_d.Span, _w.Span, _inputGradient.Span, _shape.N, _shape.K, _shape.M);
        return _inputGradient[0];
    }

    /// <summary>Allocates the operands of an n×k by m×k product: random W, b and Δ, and A as given (random when null).</summary>
    /// <param name="n">Rows of A: samples, or output pixels of a convolution.</param>
    /// <param name="k">Columns of A: inputs per neuron, or values per patch.</param>
    /// <param name="m">Rows of W: neurons, or filters.</param>
    /// <param name="a">A, n×k; random values when null.</param>
    protected void Allocate(int n, int k, int m, Tensor? a = null)
    {
        _shape = (n, k, m);
        _a = a ?? Workloads.RandomTensor(1, n, k);
        _w = Workloads.RandomTensor(2, m, k);
        _b = Workloads.RandomTensor(3, m);
        _d = Workloads.RandomTensor(4, n, m); // Δ, the output gradient
        _z = new Tensor(n, m);
        _g = new Tensor(m, k);
        _inputGradient = new Tensor(n, k);
        _transposed = new Tensor(k, m);
    }
}
