using System.IO.Compression;
using Cnn.Functional.Dsl;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Issue 9: a saved model zip with flipped bytes or another graph's network is refused with a <see cref="CnnModelException"/>
/// (or, where the flip is harmless, loads and predicts exactly as saved) and stays byte for byte unchanged; a fitted
/// transformer scores from 8 threads at once — one <c>Transform</c> cursor or one <c>PredictionEngine</c> per thread, as
/// ML.NET intends — exactly as it scores sequentially.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class HardeningTests(FashionFixture fashion) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-mlnet-hardening-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public sealed class Example
    {
        [VectorType(1, 28, 28)] public float[] Features = [];
    }

    public sealed class Prediction
    {
        public float[] Score = [];
        public uint PredictedLabel;
    }

    // A small CNN with batch norm and dropout (so evaluation mode matters), fitted briefly: seconds, not the fixture's minutes.
    private TrainedPipeline Small(int rows = 1_000)
    {
        var graph = Graph.Create("small", Shape.Image(1, 28, 28))
            .Then("conv", Layers.Conv(4, 5, stride: 3, padding: 2)).Then("norm", Layers.BatchNorm()).Then("relu", Layers.Relu())
            .Then("flatten", Layers.Flatten()).Then("drop", Layers.Dropout(0.3)).Then("fc", Layers.Dense(10));
        return TrainedPipeline.Fit(fashion.Context, fashion.TrainPrefix(rows), graph, epochs: 1);
    }

    [Fact]
    public void A_model_zip_with_a_flipped_byte_is_refused_with_a_model_error_or_predicts_exactly_as_saved_and_is_unchanged()
    {
        using var model = Small().Model;
        var saved = Path.Combine(folder, "model.zip");
        CnnModel.Save(fashion.Context, model, fashion.Train.Schema, saved);
        var bytes = File.ReadAllBytes(saved);
        var test = fashion.TestPrefix(50);
        var expected = PredictionReader.Lines(model, test);

        var positions = Enumerable.Range(0, 120).Select(i => (int)((long)i * bytes.Length / 120)).Concat(Enumerable.Range(bytes.Length - 40, 40)).Distinct().ToArray();
        var path = Path.Combine(folder, "flipped.zip");
        int refused = 0, harmless = 0;
        foreach (var at in positions)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x5A;
            File.WriteAllBytes(path, damaged);
            try
            {
                using var loaded = CnnModel.Load(new MLContext(seed: 1), path);
                Assert.Equal(expected, PredictionReader.Lines(loaded.Model, test));
                harmless++;
            }
            catch (CnnModelException e)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
            Assert.Equal(damaged, File.ReadAllBytes(path));
        }
        Assert.True(refused > positions.Length / 2, $"{refused} of {positions.Length} flips refused, {harmless} harmless");
    }

    [Fact]
    public void A_model_zip_holding_another_graph_is_refused_naming_it_and_is_unchanged()
    {
        using var model = Small().Model;
        var path = Path.Combine(folder, "other-graph.zip");
        CnnModel.Save(fashion.Context, model, fashion.Train.Schema, path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("CnnFunctional/0/graph.json")!.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("CnnFunctional/0/graph.json").Open());
            writer.Write(ModelZoo.Get("lenet5").ToJson());
        }
        var before = File.ReadAllBytes(path);
        // The checksums catch the swap first …
        var damaged = Assert.Throws<CnnModelException>(() => CnnModel.Load(new MLContext(), path));
        Assert.StartsWith($"'{path}' is damaged: the entry CnnFunctional/0/graph.json is damaged: its SHA-256 is ", damaged.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        // … and with checksums that agree (a file assembled by other means), the weights that do not fit the graph do.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var sums = Cnn.Functional.Torch.ZipChecksums.Of(zip, CnnModel.ChecksumEntry);
            zip.GetEntry(CnnModel.ChecksumEntry)!.Delete();
            Cnn.Functional.Torch.ZipChecksums.Write(zip, CnnModel.ChecksumEntry, sums);
        }
        before = File.ReadAllBytes(path);
        var error = Assert.Throws<CnnModelException>(() => CnnModel.Load(new MLContext(), path));
        Assert.StartsWith($"'{path}': the weights in CnnFunctional/0/weights.bin do not load into graph 'lenet5'", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Eight_threads_score_at_once_exactly_as_one_thread_does_through_transform_and_prediction_engines()
    {
        var model = Small(2_000).Model;
        var test = fashion.TestPrefix(300);
        var sequential = PredictionReader.Lines(model, test);
        float[] images;
        using (var scope = NewDisposeScope()) images = fashion.Data.Test.Images.narrow(0, 0, 300).data<float>().ToArray();
        var engine = fashion.Context.Model.CreatePredictionEngine<Example, Prediction>(model.LastTransformer);
        var one = Enumerable.Range(0, 300).Select(i => engine.Predict(new Example { Features = images[(i * 784)..((i + 1) * 784)] })).ToArray();

        using var start = new Barrier(8);
        var results = new string[8][][];
        var predictions = new Prediction[8][];
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var own = fashion.Context.Model.CreatePredictionEngine<Example, Prediction>(model.LastTransformer);
            start.SignalAndWait();
            results[t] = Enumerable.Range(0, 3).Select(_ => PredictionReader.Lines(model, test)).ToArray();
            predictions[t] = Enumerable.Range(0, 300).Select(i => own.Predict(new Example { Features = images[(i * 784)..((i + 1) * 784)] })).ToArray();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (var t = 0; t < 8; t++)
        {
            Assert.All(results[t], lines => Assert.Equal(sequential, lines));
            for (var i = 0; i < 300; i++)
            {
                Assert.Equal(one[i].PredictedLabel, predictions[t][i].PredictedLabel);
                Assert.Equal(one[i].Score, predictions[t][i].Score);
            }
        }
        model.Dispose();
    }
}
