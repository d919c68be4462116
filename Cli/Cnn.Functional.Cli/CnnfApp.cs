using System.CommandLine;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf</c>: the command line of Cnn.Functional. Every subcommand takes <c>--json</c> for machines;
/// errors are one clear line on stderr (or a JSON error object with <c>--json</c>) and a non-zero exit code.
/// </summary>
public static class CnnfApp
{
    /// <summary>Exit code for bad input (unknown model, invalid graph, unreadable file).</summary>
    public const int InputError = 2;

    /// <summary>Runs <c>cnnf</c> with <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("cnnf — convolutional neural networks as values: summarise, train, explain and check the laws of CNNs.")
        {
            SummaryCommand.Create(),
            TrainCommand.Create(),
            LawsCommand.Create(),
            ReportCommand.Create(),
            ExplainCommand.Create(),
            FuzzCommand.Create(),
            BenchCommand.Create(),
        };
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(args).Invoke(configuration);
    }
}
