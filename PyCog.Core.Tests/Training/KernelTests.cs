using PyCog.Numerics;
using Xunit;

namespace PyCog.Tests.Training;

/// <summary>Both SIMD matrix kernels (AVX2 and AVX-512, on any host) against a plain triple loop and each other, including strided (transposed) A and row remainders.</summary>
public unsafe class KernelTests
{
    [Theory]
    [InlineData(1, 1, 16, false)]
    [InlineData(7, 13, 32, false)]
    [InlineData(20, 100, 112, true)]
    [InlineData(70, 300, 48, true)]
    [InlineData(5, 600, 16, false)]
    [InlineData(10, 50, 80, true)]    // a 48- and a 32-column panel, rows as 5 + 5
    [InlineData(13, 20, 16, false)]   // rows as 6 + 7 (AVX-512, a 16-column panel), 4 + 4 + 5 (AVX2)
    [InlineData(10, 40, 112, true)]   // AVX2: rows as 5 + 5
    [InlineData(9, 40, 32, false)]    // rows as 4 + 5
    public void GemmMatchesAPlainLoop(int m, int k, int cols, bool transposedA)
    {
        var rng = new Rng(m * 1000 + k);
        var a = Enumerable.Range(0, m * k).Select(i => i % 7 == 0 ? 0f : (float)rng.NextGaussian()).ToArray(); // zeros, as rates after rectification have
        var b = Enumerable.Range(0, k * cols).Select(_ => (float)rng.NextGaussian()).ToArray();
        var c = Enumerable.Range(0, m * cols).Select(_ => (float)rng.NextGaussian()).ToArray();
        var expected = new double[m * cols];
        int sm = transposedA ? 1 : k, sk = transposedA ? m : 1;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < cols; j++)
            {
                double s = c[i * cols + j];
                for (int kk = 0; kk < k; kk++) s += (double)a[i * sm + kk * sk] * b[kk * cols + j];
                expected[i * cols + j] = s;
            }
        // Both kernels, whatever the host (.NET emulates 512-bit vectors where it must), and they
        // agree bit for bit: a file trained on either machine has the same bits.
        var wide = (float[])c.Clone();
        fixed (float* pa = a, pb = b, pc = c, pw = wide)
        {
            Gemm.MultiplyOn(false, m, k, cols, pa, sm, sk, pb, cols, pc, cols, accumulate: true);
            Gemm.MultiplyOn(true, m, k, cols, pa, sm, sk, pb, cols, pw, cols, accumulate: true);
        }
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-6 * (1 + Math.Abs(expected[i])) * Math.Sqrt(k) * 4, $"element {i}: {c[i]} vs {expected[i]}");
        Assert.Equal(c, wide);
    }

    [Theory]
    [InlineData(300, 400, 128, 2)]   // threads split the rows of C
    [InlineData(2, 5000, 112, 2)]    // few rows (an input or output product): threads split the columns
    [InlineData(3, 3000, 112, 3)]    // columns in unequal parts (7 vectors on three threads)
    public void GatheredProductEqualsTheProductOfRearrangedCopiesBitForBit(int m, int k, int cols, int threads)
    {
        // K rows visited in a shuffled order through the tables must give exactly the product of
        // copies rearranged into that order (the engine's trial-by-trial rows summed in step order),
        // serially and split between threads.
        var rng = new Rng(9);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextGaussian()).ToArray();   // A(i, kk) = a[i + kk * m]
        var b = Enumerable.Range(0, k * cols).Select(_ => (float)rng.NextGaussian()).ToArray();
        var order = Enumerable.Range(0, k).OrderBy(_ => rng.NextDouble()).ToArray();
        var aRows = order.Select(kk => (long)kk * m).ToArray();
        var bRows = order.Select(kk => (long)kk * cols).ToArray();
        var aCopy = new float[a.Length];
        var bCopy = new float[b.Length];
        for (int kk = 0; kk < k; kk++)
        {
            Array.Copy(a, order[kk] * m, aCopy, kk * m, m);
            Array.Copy(b, order[kk] * cols, bCopy, kk * cols, cols);
        }
        var expected = new float[m * cols];
        var serial = new float[m * cols];
        var parallel = new float[m * cols];
        fixed (float* pa = a, pb = b, pac = aCopy, pbc = bCopy, pe = expected, ps = serial, pp = parallel)
        fixed (long* ar = aRows, br = bRows)
        {
            Gemm.Multiply(m, k, cols, pac, 1, m, pbc, cols, pe, cols, false);
            Gemm.MultiplyGathered(m, k, cols, pa, 1, ar, pb, br, ps, cols, false);
            using var team = new WorkerTeam(threads);
            Gemm.MultiplyGathered(m, k, cols, pa, 1, ar, pb, br, pp, cols, false, team);
        }
        Assert.Equal(expected, serial);
        Assert.Equal(expected, parallel);
    }

    [Fact]
    public void ARowGetsTheSameBitsWhicheverRegisterBlockComputesIt()
    {
        // Threads split trials at any even count, so a row may fall in a block of 1 to 5 rows
        // (11 rows run as 3 + 4 + 4, or as 5 + 6 in AVX-512's 16-column panel; the parts below as
        // 1, 2, 3 and 5).
        AssertPartsGetTheWholeProductsBits(new Rng(5), 11, 300, [(0, 1), (1, 2), (3, 3), (6, 5)]);
    }

    [Theory]
    [InlineData(20, 8)]    // AVX2: four blocks of five for all, 4 + 4 for a part
    [InlineData(21, 7)]    // 4 + 4 + 4 + 4 + 5 for all, 3 + 4 for a part
    [InlineData(14, 6)]    // 4 + 5 + 5, and 3 + 3 (the last part 2)
    [InlineData(10, 3)]    // 5 + 5, and single blocks of 3 (the last part 1)
    public void RowsGetTheSameBitsInAnyBlocking(int m, int part)
    {
        var parts = Enumerable.Range(0, (m + part - 1) / part).Select(i => (i * part, Math.Min(part, m - i * part))).ToArray();
        AssertPartsGetTheWholeProductsBits(new Rng(m), m, 137, parts);
    }

    /// <summary>
    /// The product of m rows (112 columns) on each kernel, and the same rows as separate products
    /// of the given (start, count) parts: every row must get the same bits either way.
    /// </summary>
    static void AssertPartsGetTheWholeProductsBits(Rng rng, int m, int k, (int Start, int Count)[] parts)
    {
        const int cols = 112;
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextGaussian()).ToArray();
        var b = Enumerable.Range(0, k * cols).Select(_ => (float)rng.NextGaussian()).ToArray();
        var whole = new float[m * cols];
        var inParts = new float[m * cols];
        foreach (bool avx512 in new[] { false, true })
        {
            fixed (float* pa = a, pb = b, pw = whole, pp = inParts)
            {
                Gemm.MultiplyOn(avx512, m, k, cols, pa, k, 1, pb, cols, pw, cols, false);
                foreach (var (start, count) in parts)
                    Gemm.MultiplyOn(avx512, count, k, cols, pa + start * k, k, 1, pb, cols, pp + start * cols, cols, false);
            }
            Assert.Equal(whole, inParts);
        }
    }

    [Fact]
    public void ColumnCountMustBePadded()
    {
        Assert.Throws<ArgumentException>(() => { fixed (float* p = new float[16]) Gemm.Multiply(1, 1, 10, p, 1, 1, p, 10, p, 10, false); });
    }
}

public class RngTests
{
    [Fact]
    public void StateRoundTripContinuesTheSameStream()
    {
        var a = new Rng(42);
        for (int i = 0; i < 11; i++) a.NextGaussian(); // leaves a cached spare
        var b = Rng.FromState(a.GetState());
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextGaussian(), b.NextGaussian());
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 1000)]
    [InlineData(1, 257)]   // starts from a cached spare, ends leaving one
    [InlineData(3, 4096)]
    [InlineData(1, 513)]   // odd count over more than one block of pairs
    public void BulkGaussiansEqualOneByOneDrawsAndLeaveTheSameState(int before, int count)
    {
        var one = new Rng(77);
        var bulk = new Rng(77);
        for (int i = 0; i < before; i++) { one.NextGaussian(); bulk.NextGaussian(); }
        var expected = Enumerable.Range(0, count).Select(_ => one.NextGaussian()).ToArray();
        var got = new double[count];
        bulk.FillGaussian(got);
        Assert.Equal(expected, got);
        Assert.Equal(one.GetState(), bulk.GetState());
        Assert.Equal(one.NextGaussian(), bulk.NextGaussian());
    }

    [Fact]
    public void GaussianAndGammaHaveTheRightMoments()
    {
        var rng = new Rng(1);
        var g = Enumerable.Range(0, 200_000).Select(_ => rng.NextGaussian()).ToArray();
        Assert.Equal(0, g.Average(), 2);
        Assert.InRange(g.Select(v => v * v).Average(), 0.985, 1.015);
        var gamma = Enumerable.Range(0, 200_000).Select(_ => rng.Gamma(2, 0.05)).ToArray();
        Assert.Equal(0.1, gamma.Average(), 3);
        Assert.Equal(2 * 0.05 * 0.05, gamma.Select(v => (v - 0.1) * (v - 0.1)).Average(), 4);
    }
}

public class DenseKernelTests
{
    [Theory]
    [InlineData(1, 7, 16)]
    [InlineData(6, 103, 112)]
    [InlineData(13, 40, 48)]
    [InlineData(64, 150, 160)]
    public unsafe void DenseProductEqualsTheGeneralProductBitForBit(int m, int k, int cols)
    {
        var rng = new Rng(5);
        int sm = k + 3;
        var a = new float[m * sm]; var b = new float[k * cols]; var c1 = new float[m * cols]; var c2 = new float[m * cols];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() < 0.3 ? 0 : (float)rng.NextGaussian();
        for (int i = 0; i < b.Length; i++) b[i] = (float)rng.NextGaussian();
        fixed (float* pa = a, pb = b, p1 = c1, p2 = c2)
        {
            Gemm.Multiply(m, k, cols, pa, sm, 1, pb, cols, p1, cols, false);
            Gemm.MultiplyDense(m, k, cols, pa, sm, pb, cols, p2, cols);
        }
        Assert.Equal(c1, c2);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < cols; j++)
            {
                double s = 0;
                for (int q = 0; q < k; q++) s += (double)a[i * sm + q] * b[q * cols + j];
                Assert.True(Math.Abs(c2[i * cols + j] - s) <= 1e-4 * (1 + Math.Abs(s)), $"C[{i},{j}] = {c2[i * cols + j]}, plain loop {s}");
            }
    }
}
