using SharpFuzz;

namespace OvsMirror.Fuzz;

/// <summary>
/// afl++ entry point: <c>afl-fuzz … -- dotnet OvsMirror.Fuzz.dll TARGET</c> (hack/fuzz/run), persistent mode.
/// <c>OvsMirror.Fuzz TARGET --replay FILE…</c> runs the target once per file (to reproduce a crash).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
        {
            Console.Error.WriteLine($"usage: OvsMirror.Fuzz TARGET [--replay FILE...]; targets: {string.Join(", ", FuzzTargets.Names)}");
            return 2;
        }

        var target = args[0];
        if (args.Length > 1 && args[1] == "--replay")
        {
            foreach (var file in args.Skip(2))
            {
                FuzzTargets.Run(target, File.ReadAllBytes(file));
                Console.WriteLine($"ok {file}");
            }

            return 0;
        }

        Fuzzer.Run(stream =>
        {
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            FuzzTargets.Run(target, memory.ToArray());
        });
        return 0;
    }
}
