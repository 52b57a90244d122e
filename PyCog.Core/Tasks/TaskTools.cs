namespace PyCog.Tasks;

/// <summary>Random epoch durations, tuning curves and condition indexing (pycog's <c>tasktools</c>).</summary>
public static class TaskTools
{
    /// <summary>A uniform duration on [min, max), floored to a multiple of dt.</summary>
    public static double Uniform(Numerics.Rng rng, double dt, double min, double max) =>
        Math.Floor(rng.Uniform(min, max) / dt) * dt;

    /// <summary>An exponential duration with the given mean, redrawn until in [min, max), floored to a multiple of dt.</summary>
    public static double TruncatedExponential(Numerics.Rng rng, double dt, double mean, double min = 0, double max = double.PositiveInfinity)
    {
        while (true)
        {
            double x = rng.Exponential(mean);
            if (min <= x && x < max) return Math.Floor(x / dt) * dt;
        }
    }

    /// <summary>A normal duration, redrawn until in [min, max), floored to a multiple of dt.</summary>
    public static double TruncatedNormal(Numerics.Rng rng, double dt, double mean, double sd, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        while (true)
        {
            double x = rng.Normal(mean, sd);
            if (min <= x && x < max) return Math.Floor(x / dt) * dt;
        }
    }

    /// <summary>Von Mises tuning: g exp(kappa (cos(s - spref) - 1)) + b, angles in degrees.</summary>
    public static double VonMises(double s, double spref, double g = 1, double kappa = 5, double b = 0) =>
        g * Math.Exp(kappa * (Math.Cos((s - spref) * Math.PI / 180) - 1)) + b;

    /// <summary>Index -> multi-index in Fortran (column-major) order, as <c>np.unravel_index(b, dims, order='F')</c>.</summary>
    public static int[] UnravelFortran(int index, params int[] dims)
    {
        int total = dims.Aggregate(1, (a, d) => a * d);
        if (index < 0 || index >= total) throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} outside 0..{total - 1}.");
        var result = new int[dims.Length];
        for (int k = 0; k < dims.Length; k++) { result[k] = index % dims[k]; index /= dims[k]; }
        return result;
    }
}
