using System.Diagnostics;

namespace Cnn.Functional.Notebooks.Tests;

/// <summary>What one twin did under <c>dotnet run</c>.</summary>
public sealed record TwinRun(string Name, int ExitCode, string Output, string Error, TimeSpan Build, TimeSpan Run);

/// <summary>
/// Every twin built and run once, as a reader would (<c>dotnet run Notebooks/NN-topic.cs</c>), in Release so the
/// libraries' Release builds are reused. The first twin builds the referenced projects (under the build gate); the
/// others skip them (<c>BuildProjectReferences=false</c>), since every twin references the same, now built, projects:
/// that saves an up-to-date check of the whole graph per twin. Building and running are separate steps so the times
/// can be told apart.
/// </summary>
public sealed class TwinFixture : IAsyncLifetime
{
    public Dictionary<string, TwinRun> Runs { get; } = [];

    public async Task InitializeAsync()
    {
        var first = true;
        foreach (var notebook in Repository.Notebooks(Builds.Root))
        {
            var twin = Repository.TwinPath(notebook);
            var name = Path.GetFileNameWithoutExtension(twin);
            var relative = Path.GetRelativePath(Builds.Root, twin);
            var clock = Stopwatch.StartNew();
            string[] build = first ? ["build", relative, "-c", "Release"] : ["build", relative, "-c", "Release", "-p:BuildProjectReferences=false"];
            var built = first ? await Builds.OneAtATime(() => Dotnet(build)) : Dotnet(build);
            first = false;
            var buildTime = clock.Elapsed;
            if (built.ExitCode != 0)
            {
                Runs[name] = new TwinRun(name, built.ExitCode, built.Output, "build failed:\n" + built.Error + built.Output, buildTime, TimeSpan.Zero);
                continue;
            }
            clock.Restart();
            var ran = Dotnet(["run", "--no-build", "-c", "Release", relative]);
            Runs[name] = new TwinRun(name, ran.ExitCode, ran.Output, ran.Error, buildTime, clock.Elapsed);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static (int ExitCode, string Output, string Error) Dotnet(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Builds.Root };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, $"dotnet {string.Join(' ', arguments)} did not finish within 10 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

[CollectionDefinition(Name)]
public sealed class TwinCollection : ICollectionFixture<TwinFixture>
{
    public const string Name = "Twins";
}
