using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PyCog.IO;

/// <summary>
/// NumPy's .npy format (version 1.0, little-endian, C order) for float32, float64 and int32
/// arrays, so that a zip of them is an .npz file <c>numpy.load</c> reads.
/// </summary>
public static partial class Npy
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>An array read from .npy: its shape and values (converted to double).</summary>
    public sealed record Array(int[] Shape, string Dtype, double[] Values)
    {
        /// <summary>Values as single precision.</summary>
        public float[] AsFloats() => Values.Select(v => (float)v).ToArray();
    }

    /// <summary>Writes a float32 array of the given shape.</summary>
    public static void Write(Stream s, ReadOnlySpan<float> values, params int[] shape)
    {
        WriteHeader(s, "<f4", shape, values.Length);
        var buf = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(buf.AsSpan(i * 4), values[i]);
        s.Write(buf);
    }

    /// <summary>Writes a float64 array of the given shape.</summary>
    public static void Write(Stream s, ReadOnlySpan<double> values, params int[] shape)
    {
        WriteHeader(s, "<f8", shape, values.Length);
        var buf = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(buf.AsSpan(i * 8), values[i]);
        s.Write(buf);
    }

    /// <summary>Writes an int32 array of the given shape.</summary>
    public static void Write(Stream s, ReadOnlySpan<int> values, params int[] shape)
    {
        WriteHeader(s, "<i4", shape, values.Length);
        var buf = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(buf.AsSpan(i * 4), values[i]);
        s.Write(buf);
    }

    static void WriteHeader(Stream s, string dtype, int[] shape, int count)
    {
        if (shape.Aggregate(1L, (a, d) => a * d) != count) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) does not hold {count} values.");
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string header = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = Magic.Length + 2 + 2 + header.Length + 1;
        header += new string(' ', (64 - total % 64) % 64) + "\n";
        s.Write(Magic);
        s.WriteByte(1); s.WriteByte(0);
        var len = BitConverter.GetBytes((ushort)header.Length);
        s.Write(len);
        s.Write(Encoding.ASCII.GetBytes(header));
    }

    /// <summary>Reads an array; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static Array Read(Stream s, string name)
    {
        var head = ReadExactly(s, 10, name);
        if (!head.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException($"{name}: not a .npy array (bad magic).");
        int major = head[6];
        int headerLen;
        if (major == 1) headerLen = BitConverter.ToUInt16(head, 8);
        else if (major is 2 or 3) headerLen = (int)BitConverter.ToUInt32([head[8], head[9], .. ReadExactly(s, 2, name)]);
        else throw new InvalidDataException($"{name}: unsupported .npy version {major}.");
        string header = Encoding.ASCII.GetString(ReadExactly(s, headerLen, name));
        var descr = DescrRegex().Match(header);
        var shapeMatch = ShapeRegex().Match(header);
        if (!descr.Success || !shapeMatch.Success) throw new InvalidDataException($"{name}: malformed .npy header.");
        if (header.Contains("'fortran_order': True")) throw new InvalidDataException($"{name}: Fortran-ordered arrays are not supported.");
        int[] shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long count = shape.Aggregate(1L, (a, d) => a * d);
        string dtype = descr.Groups[1].Value;
        int size = dtype switch { "<f4" or "<i4" => 4, "<f8" or "<i8" => 8, _ => throw new InvalidDataException($"{name}: unsupported dtype {dtype}.") };
        var data = ReadExactly(s, checked((int)(count * size)), name);
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = dtype switch
            {
                "<f4" => BitConverter.ToSingle(data, i * 4),
                "<f8" => BitConverter.ToDouble(data, i * 8),
                "<i4" => BitConverter.ToInt32(data, i * 4),
                _ => BitConverter.ToInt64(data, i * 8),
            };
        return new Array(shape, dtype, values);
    }

    static byte[] ReadExactly(Stream s, int count, string name)
    {
        var buf = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = s.Read(buf, read, count - read);
            if (n == 0) throw new InvalidDataException($"{name}: truncated (expected {count} bytes, got {read}).");
            read += n;
        }
        return buf;
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrRegex();
    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
