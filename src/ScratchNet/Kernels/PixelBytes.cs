using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// Inputs that are all 8-bit pixels scaled to [0, 1] (b / 255, as <see cref="Mnist"/> loads them), kept as
/// one byte each instead of four. A shuffled training epoch reads every input row from main memory
/// once, in random order; for MNIST that is 188 MB of floats or 47 MB of bytes, and the time it takes
/// is a third of a seed-network epoch. Expanding a byte back gives exactly the float it came from.
/// </summary>
internal static class PixelBytes
{
    private const float Scale = 255f;

    /// <summary>
    /// The byte b of every value x, if every x is exactly b / 255 for some b in 0…255 (bit for bit: not
    /// −0, NaN, or anything between); otherwise null. Returns at the first value that is not.
    /// </summary>
    public static byte[]? TryCompact(ReadOnlySpan<float> values)
    {
        byte[] bytes = GC.AllocateUninitializedArray<byte>(values.Length);
        ref float x = ref MemoryMarshal.GetReference(values);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= values.Length - 32; i += 32)
            {
                Vector256<int> b0 = ToByte(Vector256.LoadUnsafe(ref x, (nuint)i), out bool ok0);
                Vector256<int> b1 = ToByte(Vector256.LoadUnsafe(ref x, (nuint)(i + 8)), out bool ok1);
                Vector256<int> b2 = ToByte(Vector256.LoadUnsafe(ref x, (nuint)(i + 16)), out bool ok2);
                Vector256<int> b3 = ToByte(Vector256.LoadUnsafe(ref x, (nuint)(i + 24)), out bool ok3);
                if (!(ok0 & ok1 & ok2 & ok3))
                {
                    return null;
                }

                Vector256<short> low = Vector256.Narrow(b0, b1);
                Vector256<short> high = Vector256.Narrow(b2, b3);
                Vector256.Narrow(low.AsUInt16(), high.AsUInt16()).StoreUnsafe(ref bytes[i]);
            }
        }

        for (; i < values.Length; i++)
        {
            float value = Unsafe.Add(ref x, i);
            float rounded = MathF.Round(value * Scale);
            if (!(rounded >= 0f && rounded <= 255f) || BitConverter.SingleToInt32Bits((byte)rounded / Scale) != BitConverter.SingleToInt32Bits(value))
            {
                return null;
            }

            bytes[i] = (byte)rounded;
        }

        return bytes;
    }

    /// <summary>x[i] = b[i] / 255: the floats <see cref="TryCompact"/> found, bit for bit.</summary>
    public static void Expand(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (bytes.Length != values.Length)
        {
            throw new ArgumentException($"The spans differ in length: {bytes.Length} bytes and {values.Length} floats.");
        }

        ref byte b = ref MemoryMarshal.GetReference(bytes);
        ref float x = ref MemoryMarshal.GetReference(values);
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            // 16 bytes to 16 floats in one widening (vpmovzxbd), where 512-bit vectors are fast: the same
            // operations per value as below, so the same floats, in half the instructions.
            for (; i <= values.Length - 16; i += 16)
            {
                Vector512<float> b16 = Vector512.ConvertToSingle(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref b, (nuint)i)));
                DivideBy255(b16).StoreUnsafe(ref x, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            for (; i <= values.Length - 16; i += 16)
            {
                (Vector256<ushort> words, _) = Vector256.Widen(Vector128.LoadUnsafe(ref b, (nuint)i).ToVector256Unsafe());
                (Vector256<uint> low, Vector256<uint> high) = Vector256.Widen(words);
                DivideBy255(Vector256.ConvertToSingle(low.AsInt32())).StoreUnsafe(ref x, (nuint)i);
                DivideBy255(Vector256.ConvertToSingle(high.AsInt32())).StoreUnsafe(ref x, (nuint)(i + 8));
            }
        }

        for (; i < values.Length; i++)
        {
            Unsafe.Add(ref x, i) = Unsafe.Add(ref b, i) / Scale;
        }
    }

    /// <summary>
    /// b / 255 for whole numbers b in 0…255, exactly as the division rounds it, in a third of the time:
    /// q = b·(1/255) is off by one unit in the last place for 126 of the 256 values, and one Newton step,
    /// q + (b − 255·q)·(1/255) with each product-sum rounded once, corrects all of them (checked for all
    /// 256 in the tests).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> DivideBy255(Vector256<float> b)
    {
        Vector256<float> reciprocal = Vector256.Create(1f / Scale);
        Vector256<float> q = b * reciprocal;
        Vector256<float> error = Fma.MultiplyAddNegated(q, Vector256.Create(Scale), b); // b − 255·q
        return Fma.MultiplyAdd(error, reciprocal, q);
    }

    /// <summary>The 512-bit <see cref="DivideBy255(Vector256{float})"/>: the same operations on each value, so the same floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> DivideBy255(Vector512<float> b)
    {
        Vector512<float> reciprocal = Vector512.Create(1f / Scale);
        Vector512<float> q = b * reciprocal;
        Vector512<float> error = Vector512.FusedMultiplyAdd(-q, Vector512.Create(Scale), b); // b − 255·q (−q is exact)
        return Vector512.FusedMultiplyAdd(error, reciprocal, q);
    }

    /// <summary>The candidate bytes of 8 values, and whether each value is exactly its byte / 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ToByte(Vector256<float> value, out bool exact)
    {
        Vector256<float> rounded = Vector256.Round(value * Vector256.Create(Scale));
        Vector256<int> candidate = Vector256.ConvertToInt32(Vector256.Clamp(rounded, Vector256<float>.Zero, Vector256.Create(255f)));
        Vector256<float> back = Vector256.ConvertToSingle(candidate) / Vector256.Create(Scale);
        exact = Vector256.EqualsAll(back.AsInt32(), value.AsInt32());
        return candidate;
    }
}
