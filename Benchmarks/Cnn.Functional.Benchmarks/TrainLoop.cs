using System.Diagnostics;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// The plain TorchSharp training loop a user writes around any module (hand-written or torchvision's): shuffled
/// <c>index_select</c> batches, <c>cross_entropy</c>, the given optimiser, one dispose scope per step, and the loss
/// read every step (as any loop that reports it).
/// </summary>
internal sealed class TrainLoop(nn.Module<Tensor, Tensor> net, optim.Optimizer optimizer, Dataset data, Generator shuffle, int batchSize)
{
    private Tensor? order;
    private long next;

    /// <summary>One step; returns seconds.</summary>
    public double Step()
    {
        var clock = Stopwatch.StartNew();
        if (order is null || next + batchSize > data.Count)
        {
            order?.Dispose();
            // Called from inside Fit's per-step dispose scope: the order must outlive it.
            order = randperm(data.Count, generator: shuffle).DetachFromDisposeScope();
            next = 0;
            net.train();
        }
        using var scope = NewDisposeScope();
        var rows = order.narrow(0, next, batchSize);
        next += batchSize;
        var images = data.Images.index_select(0, rows);
        var labels = data.Labels.index_select(0, rows);
        optimizer.zero_grad();
        var loss = F.cross_entropy(net.call(images), labels);
        loss.backward();
        optimizer.step();
        if (!float.IsFinite(loss.item<float>())) throw new InvalidOperationException($"the plain TorchSharp loop of {net.GetName()} diverged");
        return clock.Elapsed.TotalSeconds;
    }

    public double Round(int steps)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) Step();
        return clock.Elapsed.TotalSeconds;
    }
}

/// <summary>
/// <see cref="Trainer.Fit"/>'s progress sink (called synchronously on the training thread after each reported step).
/// It times the library's steps as the intervals between its calls, runs and times one step of each peer loop inside
/// each call, and cancels the run after <c>steps</c> steps. A round's first interval holds Fit's per-epoch set-up
/// (shuffle, weight snapshot), which an epoch of hundreds of steps amortises, so it is not counted.
/// </summary>
internal sealed class StepPairs(IReadOnlyList<TrainLoop> peers, int steps) : IProgress<TrainingEvent>
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private CancellationTokenSource? cancel;
    private double last;
    private int ran;

    /// <summary>Seconds per library step.</summary>
    public List<double> Library { get; } = [];

    /// <summary>Seconds per step of each peer, in the order given.</summary>
    public List<double>[] Peers { get; } = peers.Select(_ => new List<double>()).ToArray();

    public void Clear()
    {
        Library.Clear();
        foreach (var p in Peers) p.Clear();
    }

    public void Report(TrainingEvent value)
    {
        if (value is not BatchEnded ended) return;
        var now = clock.Elapsed.TotalSeconds;
        var counted = ended.Batch > 1;
        if (counted && peers.Count > 0) Library.Add(now - last);
        for (var i = 0; i < peers.Count; i++)
        {
            var seconds = peers[i].Step();
            if (counted) Peers[i].Add(seconds);
        }
        ran = ended.Batch;
        if (ended.Batch >= steps) cancel!.Cancel();
        last = clock.Elapsed.TotalSeconds;
    }

    /// <summary>One round: the given number of steps of <see cref="Trainer.Fit"/>, stopped through its cancellation token; returns seconds.</summary>
    public double Round(Trainer trainer, Dataset data)
    {
        using var token = new CancellationTokenSource();
        (cancel, ran) = (token, 0);
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(data, progress: this, cancellation: token.Token);
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.Reason != StopReason.Cancelled || ran != steps)
            throw new InvalidOperationException($"the library round ran {ran} steps and stopped as {result.Reason}: {result.Message}");
        return seconds;
    }
}
