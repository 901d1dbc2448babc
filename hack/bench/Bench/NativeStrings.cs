using System.Runtime.InteropServices;
using System.Text;

namespace OvsMirror.Bench;

/// <summary>NUL-terminated UTF-8 strings and NULL-terminated arrays of them (argv, envp) in native memory, freed together.</summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private readonly List<nint> blocks = [];

    public byte* Add(string s)
    {
        var length = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)Alloc(length + 1);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, length));
        p[length] = 0;
        return p;
    }

    /// <summary>The strings, then <paramref name="spare"/> slots the caller may fill (NULL until then), then a NULL.</summary>
    public byte** Array(IReadOnlyList<string> items, int spare = 0)
    {
        var array = (byte**)Alloc((items.Count + spare + 1) * sizeof(byte*));
        for (var i = 0; i < items.Count; i++)
        {
            array[i] = Add(items[i]);
        }

        for (var i = items.Count; i <= items.Count + spare; i++)
        {
            array[i] = null;
        }

        return array;
    }

    public void Dispose()
    {
        foreach (var b in blocks)
        {
            NativeMemory.Free((void*)b);
        }

        blocks.Clear();
    }

    private void* Alloc(int bytes)
    {
        var p = NativeMemory.Alloc((nuint)bytes);
        blocks.Add((nint)p);
        return p;
    }
}
