using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PyCog.Cli.Bench;

/// <summary>
/// The machine's peak single-precision FLOP rate, measured rather than computed from the clock in
/// /proc/cpuinfo: a loop of fused multiply-adds on registers only (eight independent chains, so
/// neither memory nor FMA latency limits it), on one thread and on several at once. The nominal
/// clock understates a boosting core, and two virtual cores do not always give twice the
/// arithmetic of one, so only a measurement says what a step's GFLOP/s should be compared with.
/// Also how far apart two threads' cores are (<see cref="CoreRoundTripNs"/>).
/// </summary>
static class MachinePeak
{
    const long Iterations = 20_000_000;

    /// <summary>GFLOP/s of one thread, and of <paramref name="threads"/> threads running together (best of three).</summary>
    public static (double OneThread, double AllThreads) Measure(int threads)
    {
        Chains(1000);
        double one = 0, all = 0;
        for (int round = 0; round < 3; round++)
        {
            var sw = Stopwatch.StartNew();
            Chains(Iterations);
            one = Math.Max(one, FlopsPerThread / sw.Elapsed.TotalSeconds / 1e9);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => Chains(Iterations))).ToList();
            sw.Restart();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            all = Math.Max(all, threads * FlopsPerThread / sw.Elapsed.TotalSeconds / 1e9);
        }
        return (one, all);
    }

    /// <summary>
    /// Nanoseconds for one cache line to go from one thread to another and back: the median of five
    /// runs of 100,000 exchanges (NaN on one core, or when a run cannot finish in two seconds because
    /// other work holds the cores). A host may move two virtual CPUs between cores that share a cache
    /// and cores far apart from minute to minute; the two-thread columns of the bench move with it,
    /// so the bench prints this beside them (docs/performance.md).
    /// </summary>
    public static double CoreRoundTripNs()
    {
        if (Environment.ProcessorCount < 2) return double.NaN;
        const long Exchanges = 100_000, Untimed = 1_000;
        var runs = new List<double>();
        for (int run = 0; run < 5; run++)
        {
            // The flag is element 16 and the abort signal element 24: each alone in its cache line.
            var line = new long[40];
            var partner = new Thread(() =>
            {
                for (long i = 0; i < Exchanges; i++)
                {
                    while (Volatile.Read(ref line[16]) != 2 * i + 1)
                        if (Volatile.Read(ref line[24]) != 0) return;
                    Volatile.Write(ref line[16], 2 * i + 2);
                }
            }) { IsBackground = true };
            partner.Start();
            var total = Stopwatch.StartNew();
            var timed = new Stopwatch();
            for (long i = 0; i < Exchanges; i++)
            {
                if (i == Untimed) timed.Start();
                Volatile.Write(ref line[16], 2 * i + 1);
                for (long spins = 0; Volatile.Read(ref line[16]) != 2 * i + 2; spins++)
                    if ((spins & 4095) == 0 && total.Elapsed.TotalSeconds > 2)
                    {
                        Volatile.Write(ref line[24], 1);
                        partner.Join();
                        return double.NaN;
                    }
            }
            timed.Stop();
            partner.Join();
            runs.Add(timed.Elapsed.TotalNanoseconds / (Exchanges - Untimed));
        }
        runs.Sort();
        return runs[runs.Count / 2];
    }

    static double FlopsPerThread => Iterations * 8.0 * 2 * (Vector512.IsHardwareAccelerated ? 16 : 8);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Chains(long n)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(0.99999f); var b = Vector512.Create(1e-6f);
            Vector512<float> x0 = a, x1 = b, x2 = a, x3 = b, x4 = a, x5 = b, x6 = a, x7 = b;
            for (long i = 0; i < n; i++)
            {
                x0 = Vector512.FusedMultiplyAdd(x0, a, b); x1 = Vector512.FusedMultiplyAdd(x1, a, b);
                x2 = Vector512.FusedMultiplyAdd(x2, a, b); x3 = Vector512.FusedMultiplyAdd(x3, a, b);
                x4 = Vector512.FusedMultiplyAdd(x4, a, b); x5 = Vector512.FusedMultiplyAdd(x5, a, b);
                x6 = Vector512.FusedMultiplyAdd(x6, a, b); x7 = Vector512.FusedMultiplyAdd(x7, a, b);
            }
            return (x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7).GetElement(0);
        }
        var c = Vector256.Create(0.99999f); var d = Vector256.Create(1e-6f);
        Vector256<float> y0 = c, y1 = d, y2 = c, y3 = d, y4 = c, y5 = d, y6 = c, y7 = d;
        for (long i = 0; i < n; i++)
        {
            y0 = Vector256.FusedMultiplyAdd(y0, c, d); y1 = Vector256.FusedMultiplyAdd(y1, c, d);
            y2 = Vector256.FusedMultiplyAdd(y2, c, d); y3 = Vector256.FusedMultiplyAdd(y3, c, d);
            y4 = Vector256.FusedMultiplyAdd(y4, c, d); y5 = Vector256.FusedMultiplyAdd(y5, c, d);
            y6 = Vector256.FusedMultiplyAdd(y6, c, d); y7 = Vector256.FusedMultiplyAdd(y7, c, d);
        }
        return (y0 + y1 + y2 + y3 + y4 + y5 + y6 + y7).GetElement(0);
    }
}
