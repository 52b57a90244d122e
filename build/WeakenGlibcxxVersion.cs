// MSBuild task: marks GLIBCXX version needs newer than the host's libstdc++ as weak in a copied
// ELF shared library. TorchSharp 0.107's libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13)
// for one symbol it never calls (_ZSt21ios_base_library_initv); Debian 12 ships 3.4.30, so the
// dynamic loader refuses the library. A weak version need (VER_FLG_WEAK in .gnu.version_r) lets
// it load. Only the copy in the build output is edited, never the NuGet cache.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenGlibcxxVersion : Task
{
    /// <summary>Shared libraries to patch in place (missing files are skipped).</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Version names whose need becomes weak, separated by semicolons.</summary>
    public string Versions { get; set; } = "GLIBCXX_3.4.31;GLIBCXX_3.4.32;GLIBCXX_3.4.33";

    public override bool Execute()
    {
        var names = Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                int n = Patch(path, names);
                if (n > 0) Log.LogMessage(MessageImportance.High, $"PyCog: marked {n} GLIBCXX version need(s) weak in {path}");
            }
            catch (Exception e)
            {
                Log.LogError($"PyCog: could not patch {path}: {e.Message}");
                return false;
            }
        }
        return true;
    }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static int Patch(string path, string[] names)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (b[4] != 2 || b[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A);
        int shnum = BitConverter.ToUInt16(b, 0x3C);
        int patched = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(b, (int)sh + 0x2C);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            long vn = off;
            for (int i = 0; i < count; i++)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int j = 0; j < cnt; j++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    string name = ReadString(b, strOff + BitConverter.ToUInt32(b, (int)aux + 8));
                    if ((flags & VerFlgWeak) == 0 && Array.IndexOf(names, name) >= 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(b, (int)aux + 4);
                        patched++;
                    }
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        if (patched > 0)
        {
            // Same length: rewrite in place (a build output copy, not shared with anything else).
            File.WriteAllBytes(path, b);
        }
        return patched;
    }

    static string ReadString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
