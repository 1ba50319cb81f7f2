// MSBuild inline task (RoslynCodeTaskFactory): makes TorchSharp's native bridge load on systems whose
// libstdc++ is older than the one it was linked against (Debian 12: GLIBCXX_3.4.30 vs 3.4.32).
//
// libLibTorchSharp.so lists GLIBCXX_3.4.32 in its version-needs table (.gnu.version_r) only for
// _ZSt21ios_base_library_initv, an iostream start-up marker that has no relocation. The dynamic loader
// refuses the library because that version is missing, although nothing would ever be looked up with
// it. Marking the requirement VER_FLG_WEAK turns the refusal into no-op. Only requirements the system's
// libstdc++ lacks are touched, so the patch does nothing where libstdc++ is new enough, and running it
// twice changes nothing the second time. The file is rewritten through a temporary file and keeps its
// timestamp, so MSBuild's incremental copy does not see a changed file.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenMissingGlibcxxVersions : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>libstdc++ to compare against; found in the usual places when empty.</summary>
    public string SystemLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        string lib = string.IsNullOrEmpty(SystemLibStdCxx) ? FindLibStdCxx() : SystemLibStdCxx;
        if (lib == null || !File.Exists(lib))
        {
            Log.LogMessage(MessageImportance.Normal, "libstdc++.so.6 not found; TorchSharp native patch skipped.");
            return true;
        }
        byte[] system = File.ReadAllBytes(lib);
        foreach (ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                List<string> weakened = Patch(path, name => !Contains(system, Encoding.ASCII.GetBytes(name + "\0")));
                if (weakened.Count > 0)
                    Log.LogMessage(MessageImportance.High,
                        "TorchSharp native fix: marked " + string.Join(", ", weakened) + " weak in " + path +
                        " (" + lib + " lacks it; see README, 'TorchSharp on Debian 12').");
            }
            catch (Exception e)
            {
                Log.LogWarning("TorchSharp native fix could not patch " + path + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    static string FindLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (string c in candidates) if (File.Exists(c)) return c;
        return null;
    }

    /// <summary>Sets VER_FLG_WEAK on each GLIBCXX_* requirement of libstdc++ that isMissing says the system lacks.</summary>
    static List<string> Patch(string path, Func<string, bool> isMissing)
    {
        byte[] b = File.ReadAllBytes(path);
        var weakened = new List<string>();
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (b[4] != 2 || b[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is handled");

        long shoff = (long)BitConverter.ToUInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3a), shnum = BitConverter.ToUInt16(b, 0x3c);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(b, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 0x28);
            long strtab = (long)BitConverter.ToUInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);

            long vn = offset;
            while (true)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                int count = BitConverter.ToUInt16(b, (int)vn + 2);
                string file = ReadString(b, strtab + BitConverter.ToUInt32(b, (int)vn + 4));
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < count; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    string name = ReadString(b, strtab + BitConverter.ToUInt32(b, (int)aux + 8));
                    if (file.StartsWith("libstdc++", StringComparison.Ordinal) && name.StartsWith("GLIBCXX_", StringComparison.Ordinal)
                        && (flags & VerFlgWeak) == 0 && isMissing(name))
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(b, (int)aux + 4);
                        weakened.Add(name);
                    }
                    uint next = BitConverter.ToUInt32(b, (int)aux + 12);
                    if (next == 0) break;
                    aux += next;
                }
                uint vnNext = BitConverter.ToUInt32(b, (int)vn + 12);
                if (vnNext == 0) break;
                vn += vnNext;
            }
        }
        if (weakened.Count == 0) return weakened;

        DateTime stamp = File.GetLastWriteTimeUtc(path);
        string tmp = path + ".patching";
        File.WriteAllBytes(tmp, b);
        File.SetLastWriteTimeUtc(tmp, stamp);
        File.Replace(tmp, path, null); // an atomic rename (netstandard2.0 has no File.Move overwrite)
        return weakened;
    }

    static string ReadString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
