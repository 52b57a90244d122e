using System.Text;

namespace PyCog.Torch.Native;

/// <summary>
/// Reads and edits the symbol-version needs (<c>.gnu.version_r</c>) of a 64-bit little-endian ELF
/// shared library. TorchSharp 0.107's libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's
/// libstdc++) for a single symbol it never calls; Debian 12 provides up to 3.4.30, so the loader
/// refuses the library. Marking that need weak (VER_FLG_WEAK) lets it load and run correctly.
/// </summary>
static class ElfVersionNeeds
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>The version names the library needs, with whether each need is weak.</summary>
    public static IReadOnlyList<(string Name, bool Weak)> Read(byte[] elf)
    {
        var needs = new List<(string, bool)>();
        Visit(elf, (name, flags, _) => needs.Add((name, (flags & VerFlgWeak) != 0)));
        return needs;
    }

    /// <summary>Marks the needs for <paramref name="names"/> weak in <paramref name="elf"/>; returns how many changed.</summary>
    public static int Weaken(byte[] elf, IReadOnlyCollection<string> names)
    {
        int patched = 0;
        Visit(elf, (name, flags, at) =>
        {
            if ((flags & VerFlgWeak) != 0 || !names.Contains(name)) return;
            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, at);
            patched++;
        });
        return patched;
    }

    /// <summary>Calls <paramref name="visit"/>(name, flags, offset of the flags) for every version need.</summary>
    static void Visit(byte[] b, Action<string, ushort, int> visit)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (b[4] != 2 || b[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(b, (int)sh + 0x2C);
            long strings = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            for (int i = 0; i < count; i++)
            {
                int auxCount = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    visit(ReadString(b, strings + BitConverter.ToUInt32(b, (int)aux + 8)), BitConverter.ToUInt16(b, (int)aux + 4), (int)aux + 4);
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
    }

    static string ReadString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
