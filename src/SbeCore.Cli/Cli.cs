using System.CommandLine;

namespace SbeCore.Cli;

/// <summary>The `sbe` root command, one-line errors on stderr and non-zero exits (never a stack trace).</summary>
internal static class Cli
{
    public const int ExitUsage = 2;
    public const int ExitFailure = 1;

    public static int Run(string[] args)
    {
        // Redirected output has no terminal width: give tables room instead of wrapping every cell.
        if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;
        var root = new RootCommand("sbe: streaming batch eigenupdates (SBE) vs SGD, mini-batch and truncated SVD on simulated crossbar arrays")
        {
            CompareCommand.Create(),
            TrainCommand.Create(),
            QualityCommand.Create(),
            TuneCommand.Create(),
            Experiments.SweepCommand.Create(),
            Experiments.ReportCommand.Create(),
            DeviceCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // dotnet CLI convention: the first problem on one line, a pointer to --help, exit code 2.
            Console.Error.WriteLine($"sbe: error: {FirstLine(parse.Errors[0].Message)}");
            Console.Error.WriteLine($"Run 'sbe {CommandPath(parse)}--help' for usage.");
            return ExitUsage;
        }
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd()
        .Replace("'System.Nullable`1[System.Single]'", "number").Replace("'System.Single'", "number")
        .Replace("'System.Nullable`1[System.Int32]'", "integer").Replace("'System.Int32'", "integer")
        .Replace("'System.UInt64'", "non-negative integer").Replace("'System.Double'", "number");

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return names.Count == 0 ? "" : string.Join(' ', names) + " ";
    }

    /// <summary>Runs a command body; expected failures (bad data, bad values) become one line on stderr and exit 1.</summary>
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            return Guard(() => throw e.InnerExceptions[0]);
        }
        catch (SbeCore.Training.TrainingDivergedException e)
        {
            return Fail(e.Message + " (--lr)");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or NotSupportedException)
        {
            return Fail(e.Message);
        }
        catch (Exception e)
        {
            return Fail($"unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"sbe: error: {message}");
        return ExitFailure;
    }
}
