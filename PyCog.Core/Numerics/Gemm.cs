using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PyCog.Numerics;

/// <summary>
/// Register-blocked single-precision matrix products for the fused engine and the integrator:
/// <c>C[m, :] (+)= sum_k A(m, k) * Bt[k, :]</c>, where A is read through arbitrary strides (so
/// that A and its transpose need no copy) and the columns of C and Bt are contiguous. The column
/// count must be a multiple of <see cref="ColumnMultiple"/>: callers pad their unit dimension.
/// Each element of C is summed in a fixed order, so results do not depend on threading. There is
/// no test for zeros in A: rates after rectification are zero at random, and a branch on them
/// mispredicted more than it saved (the forward recurrence ran 2.7 times slower with it).
/// </summary>
public static unsafe class Gemm
{
    /// <summary>Padding unit of the column dimension (one 512-bit vector of floats).</summary>
    public const int ColumnMultiple = 16;

    /// <summary>Rows per register block of <see cref="MultiplyDense"/>: callers that can pad their row count to a multiple of it avoid the slower single-row remainder.</summary>
    public const int DenseRowBlock = 6;

    const int RowBlock = 64;
    const int KBlock = 128;

    /// <summary>Rounds <paramref name="n"/> up to a multiple of <see cref="ColumnMultiple"/>.</summary>
    public static int Pad(int n) => (n + ColumnMultiple - 1) / ColumnMultiple * ColumnMultiple;

    /// <summary>
    /// C (M x cols, leading dimension ldc) = (accumulate ? C : 0) + A(M x K) Bt(K x cols, ldb),
    /// with A(m, k) = a[m * sm + k * sk].
    /// </summary>
    public static void Multiply(int m, int k, int cols, float* a, int sm, int sk, float* bt, int ldb, float* c, int ldc, bool accumulate) =>
        MultiplyOn(Vector512.IsHardwareAccelerated, m, k, cols, a, sm, sk, bt, ldb, c, ldc, accumulate);

    /// <summary>
    /// As <see cref="Multiply"/>, on the AVX-512 kernel (<paramref name="avx512"/>) or the AVX2
    /// one, whatever the host. Without AVX-512, .NET runs 512-bit vectors as pairs of 256-bit ones
    /// with the same bits, so the tests check both kernels on any machine.
    /// </summary>
    internal static void MultiplyOn(bool avx512, int m, int k, int cols, float* a, int sm, int sk, float* bt, int ldb, float* c, int ldc, bool accumulate) =>
        Run(avx512, m, k, cols, a, sm, new Strided(sk, ldb), bt, c, ldc, accumulate);

    /// <summary>
    /// As <see cref="Multiply"/>, with the K rows gathered: A(m, k) = a[m * sm + aRows[k]] and row k
    /// of Bt starts at bt + bRows[k]. The fused engine stores its rows trial by trial and sums its
    /// weight gradients over steps in the order (step, trial): the tables give that order. With a
    /// <paramref name="team"/>, large products split the rows of C between its threads, or, with
    /// few rows (a product with the inputs or outputs), its columns, so that each thread reads
    /// half of every row of Bt; each element is still summed in the same order as the serial product.
    /// </summary>
    public static void MultiplyGathered(int m, int k, int cols, float* a, int sm, long* aRows, float* bt, long* bRows, float* c, int ldc, bool accumulate, WorkerTeam? team = null)
    {
        int threads = team?.Threads ?? 1;
        if (threads <= 1 || (long)m * k * cols < 1_000_000) { Run(Vector512.IsHardwareAccelerated, m, k, cols, a, sm, new Gathered(aRows, bRows), bt, c, ldc, accumulate); return; }
        nint pa = (nint)a, pb = (nint)bt, pc = (nint)c, ar = (nint)aRows, br = (nint)bRows;
        if (m >= 4 * threads)
        {
            int chunk = ((m + threads - 1) / threads + 3) / 4 * 4;
            team!.For((m + chunk - 1) / chunk, part =>
            {
                int m0 = part * chunk, count = Math.Min(chunk, m - m0);
                Run(Vector512.IsHardwareAccelerated, count, k, cols, (float*)pa + (long)m0 * sm, sm, new Gathered((long*)ar, (long*)br), (float*)pb, (float*)pc + (long)m0 * ldc, ldc, accumulate);
            });
            return;
        }
        int vectors = cols / ColumnMultiple, per = (vectors + threads - 1) / threads * ColumnMultiple;
        team!.For((cols + per - 1) / per, part =>
        {
            int j0 = part * per, count = Math.Min(per, cols - j0);
            // Bt's row tables index row starts, so a column offset moves Bt's base.
            Run(Vector512.IsHardwareAccelerated, m, k, count, (float*)pa, sm, new Gathered((long*)ar, (long*)br), (float*)pb + j0, (float*)pc + j0, ldc, accumulate);
        });
    }

    /// <summary>Where row k of the K dimension is, in A (added to a row's start) and in Bt.</summary>
    interface IKRows
    {
        long A(int k);
        long B(int k);
    }

    readonly struct Strided(long sk, long ldb) : IKRows
    {
        public long A(int k) => k * sk;
        public long B(int k) => k * ldb;
    }

    readonly struct Gathered(long* aRows, long* bRows) : IKRows
    {
        public long A(int k) => aRows[k];
        public long B(int k) => bRows[k];
    }

    static void Run<TK>(bool avx512, int m, int k, int cols, float* a, int sm, TK rows, float* bt, float* c, int ldc, bool accumulate) where TK : struct, IKRows
    {
        if (cols % ColumnMultiple != 0) throw new ArgumentException($"Column count {cols} is not a multiple of {ColumnMultiple}.");
        // Cache blocking: a RowBlock x KBlock block of A stays in L2 while every column panel of Bt
        // (KBlock x 48) passes it from L1; partial sums over K blocks accumulate in C in a fixed order.
        if (k == 0 && !accumulate) { for (int r = 0; r < m; r++) new Span<float>(c + (long)r * ldc, cols).Clear(); return; }
        for (int k0 = 0; k0 < k; k0 += KBlock)
        {
            int k1 = Math.Min(k0 + KBlock, k);
            bool acc = accumulate || k0 > 0;
            for (int r0 = 0; r0 < m; r0 += RowBlock)
            {
                int count = Math.Min(RowBlock, m - r0);
                if (avx512) Kernel512(count, k0, k1, cols, a + (long)r0 * sm, sm, rows, bt, c + (long)r0 * ldc, ldc, acc);
                else Kernel256(count, k0, k1, cols, a + (long)r0 * sm, sm, rows, bt, c + (long)r0 * ldc, ldc, acc);
            }
        }
    }

    /// <summary>
    /// C (M x cols) = A(M x K) Bt(K x cols) for a dense, row-major A (row stride sm), as the
    /// integrator uses it every time step: 6 x 16 register blocks on AVX2 (twelve
    /// accumulators hide the FMA latency). Every element is summed over k in order with fused
    /// multiply-adds, exactly as <see cref="Multiply"/> does, so the two agree bit for bit.
    /// </summary>
    public static void MultiplyDense(int m, int k, int cols, float* a, int sm, float* bt, int ldb, float* c, int ldc)
    {
        if (cols % ColumnMultiple != 0) throw new ArgumentException($"Column count {cols} is not a multiple of {ColumnMultiple}.");
        if (Vector512.IsHardwareAccelerated) { Multiply(m, k, cols, a, sm, 1, bt, ldb, c, ldc, false); return; }
        DenseKernel256(m, k, cols, a, sm, bt, ldb, c, ldc);
    }

    static void DenseKernel256(int m, int k, int cols, float* a, int sm, float* bt, int ldb, float* c, int ldc)
    {
        // No K blocking: a time step's K (units plus inputs) is small enough for one pass. Blocks of
        // up to six rows (twelve accumulators): the integrator pads its rows to DenseRowBlock.
        for (int j = 0; j < cols; j += 16) Panel<Block256, Strided>(DenseRowBlock, m, 0, k, a, sm, new Strided(1, ldb), bt + j, c + j, ldc, false);
    }

    /// <summary>
    /// AVX-512. Column panels outside, rows inside: one K x 48 panel of Bt stays in the first-level
    /// cache while every row block of A passes over it, so the weights are read from the
    /// second-level cache once per panel rather than once per four rows (at N = 500 a thread's
    /// ten trials of a recurrence step read 1 MB of weights). Register blocks of up to 5 x 48
    /// (fifteen accumulators keep both FMA pipes busy through their latency), and narrower ones at
    /// the edges.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Kernel512<TK>(int m, int k0, int k1, int cols, float* a, int sm, TK rows, float* bt, float* c, int ldc, bool accumulate) where TK : struct, IKRows
    {
        // Five rows at 48 and 32 columns, ten at 16. A block also needs about eight chains of
        // multiply-adds to cover their latency (4 cycles, 2 a cycle): a 16-column block of two
        // rows, two chains, can run at a quarter of the peak at most.
        int j = 0;
        for (; j + 48 <= cols; j += 48) Panel<Block48, TK>(5, m, k0, k1, a, sm, rows, bt + j, c + j, ldc, accumulate);
        for (; j + 32 <= cols; j += 32) Panel<Block32, TK>(5, m, k0, k1, a, sm, rows, bt + j, c + j, ldc, accumulate);
        for (; j < cols; j += 16) Panel<Block16, TK>(10, m, k0, k1, a, sm, rows, bt + j, c + j, ldc, accumulate);
    }

    /// <summary>
    /// AVX2. Column panels outside, rows inside: one K x 16 panel of Bt stays in cache while every
    /// row block uses it. Blocks of up to five rows (ten accumulators): a thread's 10 trials run
    /// as 5 + 5, one thread's 20 as four blocks of five.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Kernel256<TK>(int m, int k0, int k1, int cols, float* a, int sm, TK rows, float* bt, float* c, int ldc, bool accumulate) where TK : struct, IKRows
    {
        for (int j = 0; j < cols; j += 16) Panel<Block256, TK>(5, m, k0, k1, a, sm, rows, bt + j, c + j, ldc, accumulate);
    }

    /// <summary>
    /// One column panel: its m rows in as few register blocks of at most <paramref name="most"/>
    /// rows as possible, as even as possible (ten rows as 5 + 5, twelve as 4 + 4 + 4). Each block
    /// passes over the panel once, and a pass costs more than its multiply-adds, so fewer, fuller
    /// blocks are faster (docs/performance.md); a block of two or three rows left over runs at
    /// half speed or less.
    /// </summary>
    static void Panel<TB, TK>(int most, int m, int k0, int k1, float* a, int sm, TK rows, float* b, float* c, int ldc, bool accumulate)
        where TB : IRegisterBlock where TK : struct, IKRows
    {
        for (int q = 0, row = 0, blocks = (m + most - 1) / most; q < blocks; q++)
        {
            int size = (m - row) / (blocks - q);
            float* ar = a + (long)row * sm, cr = c + (long)row * ldc;
            switch (size)
            {
                case 10: TB.Run<TK, Rows10>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 9: TB.Run<TK, Rows9>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 8: TB.Run<TK, Rows8>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 7: TB.Run<TK, Rows7>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 6: TB.Run<TK, Rows6>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 5: TB.Run<TK, Rows5>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 4: TB.Run<TK, Rows4>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 3: TB.Run<TK, Rows3>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                case 2: TB.Run<TK, Rows2>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
                default: TB.Run<TK, Rows1>(k0, k1, ar, sm, rows, b, cr, ldc, accumulate); break;
            }
            row += size;
        }
    }

    // The register blocks: C[rows, 16 v] (+)= A[rows, 0..k) Bt[0..k, 16 v], each element one chain of
    // fused multiply-adds over k in order, so that every block gives a row the same bits. Each is
    // generic in its row count, a constant in each instantiation, so each is compiled to
    // straight-line code for its rows.

    /// <summary>
    /// A register block: C[TR.Count rows, its columns] (+)= A[rows, k0..k1) Bt[k0..k1, its columns].
    /// <see cref="Panel"/> never asks a block for more rows than the most it is given for it.
    /// </summary>
    interface IRegisterBlock
    {
        static abstract void Run<TK, TR>(int k0, int k1, float* a0, int sm, TK rows, float* b, float* c0, int ldc, bool accumulate)
            where TK : struct, IKRows where TR : struct, IBlockRows;
    }

    /// <summary>A register block's row count, a constant the compiler folds into the blocks.</summary>
    interface IBlockRows { static abstract int Count { get; } }
    readonly struct Rows1 : IBlockRows { public static int Count => 1; }
    readonly struct Rows2 : IBlockRows { public static int Count => 2; }
    readonly struct Rows3 : IBlockRows { public static int Count => 3; }
    readonly struct Rows4 : IBlockRows { public static int Count => 4; }
    readonly struct Rows5 : IBlockRows { public static int Count => 5; }
    readonly struct Rows6 : IBlockRows { public static int Count => 6; }
    readonly struct Rows7 : IBlockRows { public static int Count => 7; }
    readonly struct Rows8 : IBlockRows { public static int Count => 8; }
    readonly struct Rows9 : IBlockRows { public static int Count => 9; }
    readonly struct Rows10 : IBlockRows { public static int Count => 10; }

    /// <summary>TR.Count (1 to 5) rows x 48 columns, three accumulators per row.</summary>
    readonly struct Block48 : IRegisterBlock
    {
        public static void Run<TK, TR>(int k0, int k1, float* a0, int sm, TK rows, float* b, float* c0, int ldc, bool accumulate)
            where TK : struct, IKRows where TR : struct, IBlockRows => Block512<TK, TR, Vectors3>(k0, k1, a0, sm, rows, b, c0, ldc, accumulate);
    }

    /// <summary>TR.Count (1 to 5) rows x 32 columns, two accumulators per row.</summary>
    readonly struct Block32 : IRegisterBlock
    {
        public static void Run<TK, TR>(int k0, int k1, float* a0, int sm, TK rows, float* b, float* c0, int ldc, bool accumulate)
            where TK : struct, IKRows where TR : struct, IBlockRows => Block512<TK, TR, Vectors2>(k0, k1, a0, sm, rows, b, c0, ldc, accumulate);
    }

    /// <summary>A wide block's 512-bit vectors per row (2 or 3), a constant like its row count.</summary>
    interface IBlockVectors { static abstract int Count { get; } }
    readonly struct Vectors2 : IBlockVectors { public static int Count => 2; }
    readonly struct Vectors3 : IBlockVectors { public static int Count => 3; }

    /// <summary>AVX-512: TR.Count (1 to 5) rows x TV.Count (2 or 3) vectors of 16 columns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Block512<TK, TR, TV>(int k0, int k1, float* a0, int sm, TK rows, float* b, float* c0, int ldc, bool accumulate)
        where TK : struct, IKRows where TR : struct, IBlockRows where TV : struct, IBlockVectors
    {
        if (TR.Count > 5 || TV.Count is < 2 or > 3) throw new UnreachableException(); // folded away: both are constants
        const int W = 16;
        float* a1 = a0 + sm, a2 = a1 + sm, a3 = a2 + sm, a4 = a3 + sm;
        float* c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
        var x00 = Vector512<float>.Zero;
        var x01 = x00; var x02 = x00; var x10 = x00; var x11 = x00; var x12 = x00; var x20 = x00; var x21 = x00; var x22 = x00;
        var x30 = x00; var x31 = x00; var x32 = x00; var x40 = x00; var x41 = x00; var x42 = x00;
        if (accumulate)
        {
            { x00 = Vector512.Load(c0); x01 = Vector512.Load(c0 + W); if (TV.Count > 2) x02 = Vector512.Load(c0 + 2 * W); }
            if (TR.Count > 1) { x10 = Vector512.Load(c1); x11 = Vector512.Load(c1 + W); if (TV.Count > 2) x12 = Vector512.Load(c1 + 2 * W); }
            if (TR.Count > 2) { x20 = Vector512.Load(c2); x21 = Vector512.Load(c2 + W); if (TV.Count > 2) x22 = Vector512.Load(c2 + 2 * W); }
            if (TR.Count > 3) { x30 = Vector512.Load(c3); x31 = Vector512.Load(c3 + W); if (TV.Count > 2) x32 = Vector512.Load(c3 + 2 * W); }
            if (TR.Count > 4) { x40 = Vector512.Load(c4); x41 = Vector512.Load(c4 + W); if (TV.Count > 2) x42 = Vector512.Load(c4 + 2 * W); }
        }
        for (int kk = k0; kk < k1; kk++)
        {
            long o = rows.A(kk);
            float* bk = b + rows.B(kk);
            var w0 = Vector512.Load(bk); var w1 = Vector512.Load(bk + W); var w2 = TV.Count > 2 ? Vector512.Load(bk + 2 * W) : w1;
            { var v = Vector512.Create(a0[o]); x00 = Vector512.FusedMultiplyAdd(v, w0, x00); x01 = Vector512.FusedMultiplyAdd(v, w1, x01); if (TV.Count > 2) x02 = Vector512.FusedMultiplyAdd(v, w2, x02); }
            if (TR.Count > 1) { var v = Vector512.Create(a1[o]); x10 = Vector512.FusedMultiplyAdd(v, w0, x10); x11 = Vector512.FusedMultiplyAdd(v, w1, x11); if (TV.Count > 2) x12 = Vector512.FusedMultiplyAdd(v, w2, x12); }
            if (TR.Count > 2) { var v = Vector512.Create(a2[o]); x20 = Vector512.FusedMultiplyAdd(v, w0, x20); x21 = Vector512.FusedMultiplyAdd(v, w1, x21); if (TV.Count > 2) x22 = Vector512.FusedMultiplyAdd(v, w2, x22); }
            if (TR.Count > 3) { var v = Vector512.Create(a3[o]); x30 = Vector512.FusedMultiplyAdd(v, w0, x30); x31 = Vector512.FusedMultiplyAdd(v, w1, x31); if (TV.Count > 2) x32 = Vector512.FusedMultiplyAdd(v, w2, x32); }
            if (TR.Count > 4) { var v = Vector512.Create(a4[o]); x40 = Vector512.FusedMultiplyAdd(v, w0, x40); x41 = Vector512.FusedMultiplyAdd(v, w1, x41); if (TV.Count > 2) x42 = Vector512.FusedMultiplyAdd(v, w2, x42); }
        }
        { x00.Store(c0); x01.Store(c0 + W); if (TV.Count > 2) x02.Store(c0 + 2 * W); }
        if (TR.Count > 1) { x10.Store(c1); x11.Store(c1 + W); if (TV.Count > 2) x12.Store(c1 + 2 * W); }
        if (TR.Count > 2) { x20.Store(c2); x21.Store(c2 + W); if (TV.Count > 2) x22.Store(c2 + 2 * W); }
        if (TR.Count > 3) { x30.Store(c3); x31.Store(c3 + W); if (TV.Count > 2) x32.Store(c3 + 2 * W); }
        if (TR.Count > 4) { x40.Store(c4); x41.Store(c4 + W); if (TV.Count > 2) x42.Store(c4 + 2 * W); }
    }

    /// <summary>TR.Count (1 to 10) rows x 16 columns, one accumulator per row.</summary>
    readonly struct Block16 : IRegisterBlock
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static void Run<TK, TR>(int k0, int k1, float* a0, int sm, TK rows, float* b, float* c0, int ldc, bool accumulate)
            where TK : struct, IKRows where TR : struct, IBlockRows
        {
            if (TR.Count > 10) throw new UnreachableException(); // folded away: TR.Count is a constant
            float* a1 = a0 + sm, a2 = a1 + sm, a3 = a2 + sm, a4 = a3 + sm, a5 = a4 + sm, a6 = a5 + sm, a7 = a6 + sm, a8 = a7 + sm, a9 = a8 + sm;
            float* c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc, c6 = c5 + ldc, c7 = c6 + ldc, c8 = c7 + ldc, c9 = c8 + ldc;
            var x00 = Vector512<float>.Zero;
            var x10 = x00; var x20 = x00; var x30 = x00; var x40 = x00; var x50 = x00; var x60 = x00; var x70 = x00; var x80 = x00;
            var x90 = x00;
            if (accumulate)
            {
                x00 = Vector512.Load(c0);
                if (TR.Count > 1) { x10 = Vector512.Load(c1); }
                if (TR.Count > 2) { x20 = Vector512.Load(c2); }
                if (TR.Count > 3) { x30 = Vector512.Load(c3); }
                if (TR.Count > 4) { x40 = Vector512.Load(c4); }
                if (TR.Count > 5) { x50 = Vector512.Load(c5); }
                if (TR.Count > 6) { x60 = Vector512.Load(c6); }
                if (TR.Count > 7) { x70 = Vector512.Load(c7); }
                if (TR.Count > 8) { x80 = Vector512.Load(c8); }
                if (TR.Count > 9) { x90 = Vector512.Load(c9); }
            }
            for (int kk = k0; kk < k1; kk++)
            {
                long o = rows.A(kk);
                float* bk = b + rows.B(kk);
                var w0 = Vector512.Load(bk);
                { var v = Vector512.Create(a0[o]); x00 = Vector512.FusedMultiplyAdd(v, w0, x00); }
                if (TR.Count > 1) { var v = Vector512.Create(a1[o]); x10 = Vector512.FusedMultiplyAdd(v, w0, x10); }
                if (TR.Count > 2) { var v = Vector512.Create(a2[o]); x20 = Vector512.FusedMultiplyAdd(v, w0, x20); }
                if (TR.Count > 3) { var v = Vector512.Create(a3[o]); x30 = Vector512.FusedMultiplyAdd(v, w0, x30); }
                if (TR.Count > 4) { var v = Vector512.Create(a4[o]); x40 = Vector512.FusedMultiplyAdd(v, w0, x40); }
                if (TR.Count > 5) { var v = Vector512.Create(a5[o]); x50 = Vector512.FusedMultiplyAdd(v, w0, x50); }
                if (TR.Count > 6) { var v = Vector512.Create(a6[o]); x60 = Vector512.FusedMultiplyAdd(v, w0, x60); }
                if (TR.Count > 7) { var v = Vector512.Create(a7[o]); x70 = Vector512.FusedMultiplyAdd(v, w0, x70); }
                if (TR.Count > 8) { var v = Vector512.Create(a8[o]); x80 = Vector512.FusedMultiplyAdd(v, w0, x80); }
                if (TR.Count > 9) { var v = Vector512.Create(a9[o]); x90 = Vector512.FusedMultiplyAdd(v, w0, x90); }
            }
            x00.Store(c0);
            if (TR.Count > 1) { x10.Store(c1); }
            if (TR.Count > 2) { x20.Store(c2); }
            if (TR.Count > 3) { x30.Store(c3); }
            if (TR.Count > 4) { x40.Store(c4); }
            if (TR.Count > 5) { x50.Store(c5); }
            if (TR.Count > 6) { x60.Store(c6); }
            if (TR.Count > 7) { x70.Store(c7); }
            if (TR.Count > 8) { x80.Store(c8); }
            if (TR.Count > 9) { x90.Store(c9); }
        }
    }

    /// <summary>
    /// AVX2: TR.Count (1 to 6) rows x 16 columns, two accumulators per row. Each A element is
    /// broadcast straight from memory (a scalar load and a register broadcast would share the
    /// shuffle port: a four-row block written that way ran 30% slower), and C's row pointers are
    /// formed where they are used, not held through the k loop, which leaves the general
    /// registers to A's rows.
    /// </summary>
    readonly struct Block256 : IRegisterBlock
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public static void Run<TK, TR>(int k0, int k1, float* a0, int sm, TK rows, float* b, float* c0, int ldc, bool accumulate)
            where TK : struct, IKRows where TR : struct, IBlockRows
        {
            if (TR.Count > 6) throw new UnreachableException(); // folded away: TR.Count is a constant
            const int W = 8;
            float* a1 = a0 + sm, a2 = a1 + sm, a3 = a2 + sm, a4 = a3 + sm, a5 = a4 + sm;
            var x00 = Vector256<float>.Zero;
            var x01 = x00; var x10 = x00; var x11 = x00; var x20 = x00; var x21 = x00; var x30 = x00; var x31 = x00; var x40 = x00;
            var x41 = x00; var x50 = x00; var x51 = x00;
            if (accumulate)
            {
                x00 = Vector256.Load(c0); x01 = Vector256.Load(c0 + W);
                if (TR.Count > 1) { float* cr = c0 + ldc; x10 = Vector256.Load(cr); x11 = Vector256.Load(cr + W); }
                if (TR.Count > 2) { float* cr = c0 + 2 * ldc; x20 = Vector256.Load(cr); x21 = Vector256.Load(cr + W); }
                if (TR.Count > 3) { float* cr = c0 + 3 * ldc; x30 = Vector256.Load(cr); x31 = Vector256.Load(cr + W); }
                if (TR.Count > 4) { float* cr = c0 + 4 * ldc; x40 = Vector256.Load(cr); x41 = Vector256.Load(cr + W); }
                if (TR.Count > 5) { float* cr = c0 + 5 * ldc; x50 = Vector256.Load(cr); x51 = Vector256.Load(cr + W); }
            }
            for (int kk = k0; kk < k1; kk++)
            {
                long o = rows.A(kk);
                float* bk = b + rows.B(kk);
                var w0 = Vector256.Load(bk); var w1 = Vector256.Load(bk + W);
                { var v = Vector256.Create(a0[o]); x00 = Vector256.FusedMultiplyAdd(v, w0, x00); x01 = Vector256.FusedMultiplyAdd(v, w1, x01); }
                if (TR.Count > 1) { var v = Vector256.Create(a1[o]); x10 = Vector256.FusedMultiplyAdd(v, w0, x10); x11 = Vector256.FusedMultiplyAdd(v, w1, x11); }
                if (TR.Count > 2) { var v = Vector256.Create(a2[o]); x20 = Vector256.FusedMultiplyAdd(v, w0, x20); x21 = Vector256.FusedMultiplyAdd(v, w1, x21); }
                if (TR.Count > 3) { var v = Vector256.Create(a3[o]); x30 = Vector256.FusedMultiplyAdd(v, w0, x30); x31 = Vector256.FusedMultiplyAdd(v, w1, x31); }
                if (TR.Count > 4) { var v = Vector256.Create(a4[o]); x40 = Vector256.FusedMultiplyAdd(v, w0, x40); x41 = Vector256.FusedMultiplyAdd(v, w1, x41); }
                if (TR.Count > 5) { var v = Vector256.Create(a5[o]); x50 = Vector256.FusedMultiplyAdd(v, w0, x50); x51 = Vector256.FusedMultiplyAdd(v, w1, x51); }
            }
            x00.Store(c0); x01.Store(c0 + W);
            if (TR.Count > 1) { float* cr = c0 + ldc; x10.Store(cr); x11.Store(cr + W); }
            if (TR.Count > 2) { float* cr = c0 + 2 * ldc; x20.Store(cr); x21.Store(cr + W); }
            if (TR.Count > 3) { float* cr = c0 + 3 * ldc; x30.Store(cr); x31.Store(cr + W); }
            if (TR.Count > 4) { float* cr = c0 + 4 * ldc; x40.Store(cr); x41.Store(cr + W); }
            if (TR.Count > 5) { float* cr = c0 + 5 * ldc; x50.Store(cr); x51.Store(cr + W); }
        }
    }
}
