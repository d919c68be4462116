using Cnn.Functional.Tests.Training;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Hardening;

/// <summary>
/// One lowered module predicts from 8 threads at once exactly as it does from one (<see cref="Inference.Predict"/>:
/// evaluation and inference mode), even when it was left in training mode by training — the case where the module's mode,
/// shared by the threads, used to be switched back to training under a thread still running.
/// </summary>
[Collection("Training")]
public sealed class ConcurrencyTests
{
    [Fact]
    public void Eight_threads_predict_with_one_module_exactly_as_one_thread_does_and_leave_it_as_it_was()
    {
        using var data = Synthetic.Quadrants(256, seed: 2);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);
        using (var trainer = new Trainer(module, new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 3 })) trainer.Fit(data);
        Freezing.Train(module);
        Assert.True(module.training);
        var weights = Synthetic.Weights(module);

        // Batches of 7, so that each call runs several forward passes.
        float[] Predict(int t)
        {
            using var scope = NewDisposeScope();
            return Inference.Predict(module, data.Images.narrow(0, t * 32, 32), batchSize: 7).data<float>().ToArray();
        }
        var expected = Enumerable.Range(0, 8).Select(Predict).ToArray();

        using var start = new Barrier(8);
        var mismatches = new int[8];
        var failures = new Exception?[8];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (var round = 0; round < 25; round++)
                    if (!Predict(t).SequenceEqual(expected[t])) mismatches[t]++;
            }
            catch (Exception e)
            {
                failures[t] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(failures, f => Assert.Null(f));
        Assert.Equal(new int[8], mismatches);
        Assert.True(module.training, "the module is back in training mode");
        Assert.All(module.state_dict(), kv => Assert.True(Synthetic.SameBits(weights[kv.Key], kv.Value), $"{kv.Key} changed"));
        foreach (var t in weights.Values) t.Dispose();
    }
}
