using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Batched <c>Transform</c>, the one-row <c>PredictionEngine</c> and the raw module agree; batches end where the data
/// ends; the input's columns pass through; nothing is left in native memory.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class ScoringTests(FashionFixture fashion)
{
    public sealed class Example
    {
        [VectorType(1, 28, 28)] public float[] Features = [];
    }

    public sealed class Prediction
    {
        public float[] Score = [];
        public uint PredictedLabel;
    }

    private const int Rows = 700;

    // The raw module's class probabilities for the first rows of the test set, computed in one forward pass.
    private float[][] RawProbabilities(CnnNetwork network, int rows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probabilities = network.Module.forward(fashion.Data.Test.Images.narrow(0, 0, rows)).softmax(1).data<float>().ToArray();
        return probabilities.Chunk(10).ToArray();
    }

    [Fact]
    public void Batched_transform_prediction_engine_and_the_raw_module_agree_and_the_last_batch_is_partial()
    {
        var scorer = fashion.LeNet.Scorer;
        Assert.Equal(256, scorer.BatchSize);
        var raw = RawProbabilities(scorer.Network, Rows);
        // 700 rows: two batches of 256 and a last one of 188.
        var batched = PredictionReader.Read(scorer.Transform(fashion.TestPrefix(Rows)));
        Assert.Equal(Rows, batched.Count);
        var engine = fashion.Context.Model.CreatePredictionEngine<Example, Prediction>(scorer);
        float[] images;
        using (var scope = NewDisposeScope()) images = fashion.Data.Test.Images.narrow(0, 0, Rows).data<float>().ToArray();
        for (var i = 0; i < Rows; i++)
        {
            Assert.Equal(10, batched[i].Scores.Length);
            Assert.Equal(1f, batched[i].Scores.Sum(), 4);
            Assert.Equal((uint)(Array.IndexOf(raw[i], raw[i].Max()) + 1), batched[i].Key);
            // Batch shape changes the kernels' summation order: float32 probabilities agree to ~1e-6, not to a decimal place.
            for (var k = 0; k < 10; k++) Assert.Equal(raw[i][k], batched[i].Scores[k], 1e-5f);
            if (i % 7 != 0) continue;
            var prediction = engine.Predict(new Example { Features = images[(i * 784)..((i + 1) * 784)] });
            Assert.Equal(batched[i].Key, prediction.PredictedLabel);
            for (var k = 0; k < 10; k++) Assert.Equal(batched[i].Scores[k], prediction.Score[k], 1e-5f);
        }
    }

    [Fact]
    public void Batches_score_exactly_as_Inference_Predict_does_in_batches_of_the_same_size()
    {
        // The transformer runs what Inference.Predict runs — inference mode, channels-last batches, evaluation mode —
        // so with the same batch boundaries the float32 probabilities are the same bits, not merely close ones.
        var scorer = fashion.LeNet.Scorer;
        var batched = PredictionReader.Read(scorer.Transform(fashion.TestPrefix(Rows)));
        float[] expected;
        using (var scope = NewDisposeScope())
            expected = Inference.Predict(scorer.Network.Module, fashion.Data.Test.Images.narrow(0, 0, Rows), scorer.BatchSize)
                .softmax(1).data<float>().ToArray();
        Assert.Equal(expected, batched.SelectMany(p => p.Scores));
    }

    [Fact]
    public void The_inputs_columns_pass_through_beside_the_scores_and_agree_row_by_row()
    {
        var predictions = fashion.LeNet.Model.Transform(fashion.TestPrefix(300));
        var label = predictions.Schema["Label"];
        var className = predictions.Schema["ClassName"];
        var predicted = predictions.Schema["PredictedLabel"];
        var keyValues = default(VBuffer<uint>);
        predicted.Annotations.GetValue("KeyValues", ref keyValues);
        var classes = keyValues.DenseValues().ToArray();
        // The label key's values are the original labels, in order, shared by PredictedLabel.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (uint)i), classes);
        using var cursor = predictions.GetRowCursor([label, className, predicted]);
        var getLabel = cursor.GetGetter<uint>(label);
        var getName = cursor.GetGetter<ReadOnlyMemory<char>>(className);
        var getPredicted = cursor.GetGetter<uint>(predicted);
        var labels = fashion.Data.Test.Labels.data<long>().ToArray();
        var onlyScores = PredictionReader.Read(fashion.LeNet.Model.Transform(fashion.TestPrefix(300)));
        var (row, correct) = (0, 0);
        uint key = 0, prediction = 0;
        var name = default(ReadOnlyMemory<char>);
        while (cursor.MoveNext())
        {
            getLabel(ref key);
            getName(ref name);
            getPredicted(ref prediction);
            Assert.Equal((uint)labels[row], classes[key - 1]);
            Assert.Equal(FashionMnist.ClassNames[(int)classes[key - 1]], name.ToString());
            Assert.Equal(onlyScores[row].Key, prediction);
            correct += prediction == key ? 1 : 0;
            row++;
        }
        Assert.Equal(300, row);
        Assert.True(correct > 240, $"{correct} of 300 right");
    }

    [Fact]
    public void Scoring_leaves_no_tensor_alive()
    {
        var scorer = fashion.LeNet.Scorer;
        PredictionReader.Read(scorer.Transform(fashion.TestPrefix(50)));
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var rows = PredictionReader.Read(scorer.Transform(fashion.TestPrefix(600)));
        var engine = fashion.Context.Model.CreatePredictionEngine<Example, Prediction>(scorer);
        engine.Predict(new Example { Features = new float[784] });
        Assert.Equal(600, rows.Count);
        Assert.Equal(0, statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Evaluate_works_on_the_transformers_columns_with_a_partial_last_batch_and_a_batch_of_one()
    {
        using var one = CnnModel.Load(fashion.Context, SavedWithBatch(1));
        var metricsOne = fashion.Context.MulticlassClassification.Evaluate(one.Model.Transform(fashion.TestPrefix(40)));
        var metrics = fashion.Context.MulticlassClassification.Evaluate(fashion.LeNet.Model.Transform(fashion.TestPrefix(40)));
        Assert.Equal(metrics.MicroAccuracy, metricsOne.MicroAccuracy);
        Assert.Equal(metrics.LogLoss, metricsOne.LogLoss, 5);
    }

    // The fixture's pipeline saved and reloaded with scoring batches of `size` rows (the batch size is a saved setting).
    private MemoryStream SavedWithBatch(int size)
    {
        var stream = new MemoryStream();
        CnnModel.Save(fashion.Context, fashion.LeNet.Model, fashion.Train.Schema, stream);
        var bytes = stream.ToArray();
        var rewritten = new MemoryStream();
        rewritten.Write(bytes);
        using (var zip = new System.IO.Compression.ZipArchive(rewritten, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("CnnFunctional/0/transformer.json")!;
            string text;
            using (var reader = new StreamReader(entry.Open())) text = reader.ReadToEnd();
            entry.Delete();
            using (var writer = new StreamWriter(zip.CreateEntry("CnnFunctional/0/transformer.json").Open()))
                writer.Write(text.Replace("\"batchSize\": 256", $"\"batchSize\": {size}"));
            // An edited entry no longer matches the saved checksums (the loader would refuse it as damaged): re-sum.
            zip.GetEntry(CnnModel.ChecksumEntry)!.Delete();
            Cnn.Functional.Torch.ZipChecksums.Write(zip, CnnModel.ChecksumEntry, Cnn.Functional.Torch.ZipChecksums.Of(zip, CnnModel.ChecksumEntry));
        }
        rewritten.Position = 0;
        return rewritten;
    }
}
