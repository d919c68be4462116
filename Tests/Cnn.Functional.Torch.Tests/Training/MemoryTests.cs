using Cnn.Functional.Torch;
using TorchSharp;
using Xunit.Abstractions;

namespace Cnn.Functional.Tests.Training;

/// <summary>Native memory stays flat over epochs: nothing a step allocates outlives it.</summary>
[Collection("Training")]
public class MemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void Resident_memory_and_live_tensors_are_flat_from_epoch_1_to_epoch_5()
    {
        using var train = Synthetic.Quadrants(1024, seed: 1);
        using var validation = Synthetic.Quadrants(256, seed: 2);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);
        var resident = new Dictionary<int, long>();
        var live = new Dictionary<int, long>();
        var recorder = new Synthetic.Recorder
        {
            OnEvent = e =>
            {
                if (e is not EpochEnded ended) return;
                resident[ended.Summary.Epoch] = ResidentBytes();
                // Dispose-scope statistics are per thread; Fit reports on the thread that trains.
                live[ended.Summary.Epoch] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            },
        };
        using var trainer = new Trainer(module, new TrainingOptions { Epochs = 5, BatchSize = 32, Optimizer = Optimizers.Adam() });
        trainer.Fit(train, validation, recorder);

        output.WriteLine($"VmRSS after epoch 1: {resident[1] >> 20} MiB, after epoch 5: {resident[5] >> 20} MiB ({(resident[5] - resident[1]) / 1024.0:F0} KiB more)");
        output.WriteLine($"live tensors after each epoch: {string.Join(", ", live.Values)}");
        Assert.True(resident[5] - resident[1] < 64L << 20, $"resident memory grew by {(resident[5] - resident[1]) >> 20} MiB");
        Assert.Equal(live[1], live[5]);
    }

    private static long ResidentBytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
    }
}
