using System.Diagnostics;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests;

/// <summary>
/// Issue 9, crash safety: <c>cnnf train --checkpoint</c> runs as a child process and is killed with SIGKILL at random
/// moments, several times; after every kill the last checkpoint loads (<see cref="Checkpoint.Read"/>), <c>--resume</c>
/// continues from it, and the run finally completes every epoch.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-crash-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // The built cnnf next to the tests (the project reference copies it), or in the CLI project's own output.
    private static string Cnnf()
    {
        var here = Path.Combine(AppContext.BaseDirectory, "cnnf.dll");
        if (File.Exists(here) && File.Exists(Path.Combine(AppContext.BaseDirectory, "cnnf.runtimeconfig.json"))) return here;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Cnn.Functional.sln"))) root = root.Parent;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<configuration>/net10.0/
        return Path.Combine(root!.FullName, "Cli", "Cnn.Functional.Cli", "bin", configuration, "net10.0", "cnnf.dll");
    }

    /// <summary>A running cnnf and a count of the epoch lines it has printed so far.</summary>
    private sealed class Child : IDisposable
    {
        private int epochLines;

        public Child(string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Cnnf());
            foreach (var a in args) start.ArgumentList.Add(a);
            Process = Process.Start(start)!;
            Process.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("epoch ", StringComparison.Ordinal) == true) Interlocked.Increment(ref epochLines); };
            Process.ErrorDataReceived += (_, _) => { };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public int EpochLines => Volatile.Read(ref epochLines);

        /// <summary>Waits until the child has printed an epoch line or exited; false on timeout.</summary>
        public bool WaitForAnEpoch(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (EpochLines == 0 && !Process.HasExited)
            {
                if (clock.Elapsed > timeout) return false;
                Thread.Sleep(50);
            }
            return true;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }
            Process.Dispose();
        }
    }

    [Fact]
    public void Training_killed_at_random_moments_resumes_from_a_loadable_checkpoint_each_time_and_completes()
    {
        const int epochs = 5;
        var checkpoint = Path.Combine(folder, "run.ckpt");
        string[] Arguments() =>
        [
            "train", "--model", "lenet5", "--epochs", $"{epochs}", "--limit", "500", "--seed", "5", "--checkpoint", checkpoint,
            .. File.Exists(checkpoint) ? new[] { "--resume", checkpoint } : [],
        ];
        var random = new Random(9);
        var epochsSeen = new List<int>();
        var resumed = 0;
        // The machine is shared and its load varies tenfold, so kills are timed from what the child prints, not by the
        // clock: the first lands during startup (before any checkpoint), the others at a random moment of up to 1.5 s after
        // an epoch line — mid-epoch, or while the next checkpoint is being written.
        for (var kill = 0; kill < 4; kill++)
        {
            if (File.Exists(checkpoint)) resumed++;
            using var child = new Child(Arguments());
            if (kill == 0)
                Thread.Sleep(random.Next(300, 1_500));
            else
            {
                Assert.True(child.WaitForAnEpoch(TimeSpan.FromSeconds(120)), "the child printed an epoch within 2 minutes");
                Thread.Sleep(random.Next(0, 1_500));
            }
            var finished = child.Process.HasExited;
            if (!finished)
            {
                child.Process.Kill(); // SIGKILL on Linux: no handler, no flush, no cleanup.
                child.Process.WaitForExit();
            }
            if (!File.Exists(checkpoint)) continue;
            var info = Checkpoint.Read(checkpoint);
            Assert.Equal("lenet5", info.Graph.Name);
            Assert.InRange(info.Epoch, 1, epochs);
            Assert.Equal(info.Epoch, info.History.Count);
            Assert.True(epochsSeen.Count == 0 || info.Epoch >= epochsSeen[^1], $"the checkpoint went back from epoch {epochsSeen.LastOrDefault()} to {info.Epoch}");
            epochsSeen.Add(info.Epoch);
            if (finished) break;
        }

        using (var last = new Child(Arguments()))
        {
            Assert.True(last.Process.WaitForExit(180_000), "the final run finished within 3 minutes");
            Assert.Equal(0, last.Process.ExitCode);
        }
        var final = Checkpoint.Read(checkpoint);
        Assert.Equal(epochs, final.Epoch);
        Assert.Equal(Enumerable.Range(1, epochs), final.History.Select(h => h.Epoch));
        Assert.True(resumed >= 1, $"at least one run resumed from a checkpoint (epochs seen after kills: {string.Join(", ", epochsSeen)})");
    }
}
