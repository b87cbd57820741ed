using System.Diagnostics;

namespace SbeCore.Tests.Cli;

/// <summary>Runs the built `sbe` CLI (src/SbeCore.Cli, same configuration as the tests) as a child process.</summary>
internal static class SbeCli
{
    private static readonly Lazy<string> s_dll = new(Locate);

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs sbe with these environment variables set in the child process.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add(s_dll.Value);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); throw new TimeoutException("sbe did not finish in 120 s"); }
        return (p.ExitCode, stdout.Result, stderr);
    }

    private static string Locate()
    {
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SbeCore.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("cannot find the repository root (SbeCore.sln) above the test directory.");
        string project = Path.Combine(root.FullName, "src", "SbeCore.Cli");
        string dll = Path.Combine(project, "bin", config, "net10.0", "sbe.dll");
        if (!File.Exists(dll))
        {
            // Not built yet (a test-only build): build the CLI once.
            var psi = new ProcessStartInfo("dotnet", ["build", project, "-c", config, "--nologo", "-v", "q"]) { UseShellExecute = false, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0 || !File.Exists(dll)) throw new InvalidOperationException($"building {project} failed (exit {p.ExitCode}).");
        }
        return dll;
    }
}
