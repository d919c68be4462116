using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

[Collection("Training")]
public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // SGD with momentum, step decay, dropout, batch norm, a held-out split and random augmentation: every kind of
    // state and randomness a resume must restore.
    private static TrainingOptions Options(int epochs) => new()
    {
        Epochs = epochs, BatchSize = 32, LearningRate = 0.05, Seed = 3, Optimizer = Optimizers.Sgd(),
        Schedule = Schedules.StepDecay(1, 0.5), ValidationFraction = 0.2,
        Augmentation = new AugmentationPolicy(CropPadding: 1, HorizontalFlip: true, MaxTranslation: 0.5),
    };

    [Fact]
    public void Training_two_epochs_equals_one_then_save_load_and_one_more_bit_for_bit()
    {
        using var data = Synthetic.Quadrants(320, seed: 1);
        using var straight = Synthetic.Module(Synthetic.SmallNet(), 1);
        using var first = new Trainer(straight, Options(2));
        var uninterrupted = first.Fit(data);

        var path = Path.Combine(folder, "run.ckpt");
        using (var half = Synthetic.Module(Synthetic.SmallNet(), 1))
        using (var trainer = new Trainer(half, Options(1)))
        {
            trainer.Fit(data);
            trainer.SaveCheckpoint(path);
        }
        // A fresh process would start from other weights and another global generator state; so does this module.
        using var resumed = Synthetic.Module(Synthetic.SmallNet(), 99);
        using var second = new Trainer(resumed, Options(2));
        second.LoadCheckpoint(path);
        Assert.Equal(1, second.Epoch);
        var continued = second.Fit(data);

        Assert.True(Synthetic.SameBits(straight, resumed), "weights and buffers equal bit for bit");
        Assert.Equal(first.Optimizer.State().Keys, second.Optimizer.State().Keys);
        Assert.All(first.Optimizer.State(), kv => Assert.True(Synthetic.SameBits(kv.Value, second.Optimizer.State()[kv.Key]), kv.Key));
        Assert.Equal(uninterrupted.History.Select(e => e with { Seconds = 0, SamplesPerSecond = 0 }),
            continued.History.Select(e => e with { Seconds = 0, SamplesPerSecond = 0 }));
        Assert.Equal(first.Optimizer.LearningRate, second.Optimizer.LearningRate);
    }

    [Fact]
    public void A_checkpoint_of_another_graph_is_refused_and_changes_nothing()
    {
        using var data = Synthetic.Quadrants(64, seed: 2);
        var path = Path.Combine(folder, "small.ckpt");
        using (var module = Synthetic.Module(Synthetic.SmallNet(), 1))
        using (var trainer = new Trainer(module, Options(1)))
        {
            trainer.Fit(data);
            trainer.SaveCheckpoint(path);
        }
        using var wider = Synthetic.Module(Synthetic.SmallNet(firstFilters: 12), 2);
        var before = Synthetic.Weights(wider);
        using var other = new Trainer(wider, Options(2));
        var error = Assert.Throws<CheckpointException>(() => other.LoadCheckpoint(path));
        Assert.Equal($"checkpoint '{path}' belongs to another graph: graph 'small' differs at node 1 ('conv1'): " +
            $"{Layers.Conv(8, 3, padding: 1)} there, {Layers.Conv(12, 3, padding: 1)} here", error.Message);
        Assert.All(wider.state_dict(), kv => Assert.True(Synthetic.SameBits(before[kv.Key], kv.Value)));
        Assert.Equal(0, other.Epoch);

        using var renamed = Synthetic.Module(Synthetic.SmallNet("other"), 2);
        using var third = new Trainer(renamed, Options(2));
        Assert.Contains("it was written for graph 'small', and this module computes 'other'", Assert.Throws<CheckpointException>(() => third.LoadCheckpoint(path)).Message);
        using var adam = new Trainer(Synthetic.Module(Synthetic.SmallNet(), 3), Options(2) with { Optimizer = Optimizers.Adam() });
        Assert.Equal($"checkpoint '{path}' holds sgd state; this run uses adam", Assert.Throws<CheckpointException>(() => adam.LoadCheckpoint(path)).Message);
        adam.Module.Dispose();
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_previous_checkpoint_whole_and_loadable()
    {
        using var data = Synthetic.Quadrants(64, seed: 3);
        var path = Path.Combine(folder, "atomic.ckpt");
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);
        using var trainer = new Trainer(module, Options(2) with { CheckpointPath = path, Epochs = 1 });
        trainer.Fit(data);
        var good = File.ReadAllBytes(path);

        var failure = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => trainer.SaveCheckpoint(new FailingStream(stream, failAfter: good.Length / 2))));
        Assert.Equal("the disk is full (simulated)", failure.Message);
        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));

        using var reloaded = new Trainer(Synthetic.Module(Synthetic.SmallNet(), 5), Options(2));
        reloaded.LoadCheckpoint(path);
        Assert.Equal(1, reloaded.Epoch);
        Assert.True(Synthetic.SameBits(module, reloaded.Module));
        Assert.Equal(Synthetic.SmallNet(), Checkpoint.Read(path).Graph);
        reloaded.Module.Dispose();
    }

    [Fact]
    public void Damaged_or_missing_files_give_a_checkpoint_error_that_names_them()
    {
        using var module = Synthetic.Module(Synthetic.SmallNet(), 1);
        using var trainer = new Trainer(module, Options(1));
        var missing = Path.Combine(folder, "none.ckpt");
        Assert.Equal($"no checkpoint at '{missing}'", Assert.Throws<CheckpointException>(() => trainer.LoadCheckpoint(missing)).Message);

        var path = Path.Combine(folder, "cut.ckpt");
        trainer.SaveCheckpoint(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        Assert.StartsWith($"'{path}' is not a readable checkpoint", Assert.Throws<CheckpointException>(() => trainer.LoadCheckpoint(path)).Message);

        var noFolder = Path.Combine(folder, "no", "such", "x.ckpt");
        Assert.StartsWith($"cannot write checkpoint '{noFolder}'", Assert.Throws<CheckpointException>(() => trainer.SaveCheckpoint(noFolder)).Message);
    }

    /// <summary>A stream that accepts <c>failAfter</c> bytes and then fails, as a full disk or a dying process would.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long written;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > failAfter)
            {
                inner.Write(buffer[..(int)(failAfter - written)]);
                written = failAfter;
                throw new IOException("the disk is full (simulated)");
            }
            inner.Write(buffer);
            written += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => written; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
