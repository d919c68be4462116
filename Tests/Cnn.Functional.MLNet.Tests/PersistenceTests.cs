using System.IO.Compression;
using Cnn.Functional.Dsl;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet.Tests;

/// <summary>
/// Saving through ML.NET's public CustomMapping route: the pipeline's zip holds ML.NET's own entries plus the
/// networks under <c>CnnFunctional/</c>; loading needs no state but the file, so models load side by side;
/// ML.NET's own Save and Load refuse with a message saying what to call.
/// </summary>
[Collection(FashionCollection.Name)]
public sealed class PersistenceTests(FashionFixture fashion) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-mlnet-").FullName;

    private MLContext Context => fashion.Context;

    [Fact]
    public void MLNets_own_save_and_load_refuse_saying_what_to_call()
    {
        var save = Assert.Throws<NotSupportedException>(() => Context.Model.Save(fashion.LeNet.Model, fashion.Train.Schema, Path.Combine(folder, "x.zip")));
        Assert.Contains("Save the pipeline with CnnModel.Save(mlContext, model, inputSchema, path) and load it with CnnModel.Load(mlContext, path)", save.Message);

        var path = Path.Combine(folder, "lenet.zip");
        CnnModel.Save(Context, fashion.LeNet.Model, fashion.Train.Schema, path);
        var load = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
        var innermost = load;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        Assert.Contains("Load it with Cnn.Functional.MLNet.CnnModel.Load(mlContext, path) instead of mlContext.Model.Load", innermost.Message);
    }

    [Fact]
    public void The_zip_holds_MLNets_entries_and_the_network_as_graph_json_weights_and_settings()
    {
        var path = Path.Combine(folder, "lenet.zip");
        CnnModel.Save(Context, fashion.LeNet.Model, fashion.Train.Schema, path);
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("TransformerChain/Model.key", names);
        Assert.Contains("CnnFunctional/0/weights.bin", names);
        Assert.Contains("CnnFunctional/0/transformer.json", names);
        using var reader = new StreamReader(zip.GetEntry("CnnFunctional/0/graph.json")!.Open());
        Assert.Equal(fashion.LeNet.Scorer.Network.Graph, Graph.FromJson(reader.ReadToEnd()));
    }

    [Fact]
    public void Two_models_load_side_by_side_in_one_context_and_each_predicts_as_before_saving()
    {
        // A second, different model: LeNet-5 trained briefly on 2,000 images, with class names as the label's key values.
        var other = Context.Transforms.Conversion.MapValueToKey("Label", "ClassName")
            .Append(Context.MulticlassClassification.Trainers.Cnn(ModelZoo.Get("lenet5"), epochs: 1, batchSize: 32))
            .Append(Context.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
        using var otherModel = other.Fit(fashion.TrainPrefix(2000));
        var first = Path.Combine(folder, "first.zip");
        var second = Path.Combine(folder, "second.zip");
        CnnModel.Save(Context, fashion.LeNet.Model, fashion.Train.Schema, first);
        CnnModel.Save(Context, otherModel, fashion.Train.Schema, second);
        var test = fashion.TestPrefix(500);
        var expectedFirst = PredictionReader.Lines(fashion.LeNet.Model, test);
        var expectedSecond = PredictionReader.Lines(otherModel, test);
        Assert.NotEqual(expectedFirst, expectedSecond);

        var context = new MLContext(seed: 3);
        using var a = CnnModel.Load(context, first);
        using var b = CnnModel.Load(context, second);
        Assert.Equal(expectedSecond, PredictionReader.Lines(b.Model, test));
        Assert.Equal(expectedFirst, PredictionReader.Lines(a.Model, test));
        // Text key values survive: the loaded model maps its predictions back to class names.
        Assert.Equal(PredictedClasses(otherModel, test), PredictedClasses(b.Model, test));
        Assert.Contains("Trouser", PredictedClasses(b.Model, test));
        Assert.Equal(fashion.Train.Schema.Select(c => c.Name), a.InputSchema.Select(c => c.Name));
    }

    [Fact]
    public void A_pipeline_with_a_featurizer_and_a_builtin_trainer_round_trips()
    {
        var pipeline = Context.Transforms.CnnCodes(fashion.LeNet.Scorer.Network, "relu4", "Codes")
            .Append(Context.Transforms.Conversion.MapValueToKey("Label"))
            .Append(Context.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Codes", maximumNumberOfIterations: 5));
        using var model = pipeline.Fit(fashion.TrainPrefix(1000));
        var path = Path.Combine(folder, "codes.zip");
        CnnModel.Save(Context, model, fashion.Train.Schema, path);
        using var loaded = CnnModel.Load(new MLContext(), path);
        var test = fashion.TestPrefix(300);
        Assert.Equal(PredictionReader.Lines(model, test), PredictionReader.Lines(loaded.Model, test));
        var transformers = ((IEnumerable<ITransformer>)loaded.Model).ToList();
        Assert.IsType<CnnCodesTransformer>(transformers[0]);
        Assert.Equal("relu4", ((CnnCodesTransformer)transformers[0]).NodePath);
    }

    [Fact]
    public void Damaged_or_missing_network_entries_are_named()
    {
        var path = Path.Combine(folder, "damaged.zip");
        CnnModel.Save(Context, fashion.LeNet.Model, fashion.Train.Schema, path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            // Without its checksums (as a file saved before they existed), so that the network's own checks speak;
            // HardeningTests shows the checksums refusing such files first.
            zip.GetEntry(CnnModel.ChecksumEntry)!.Delete();
            zip.GetEntry("CnnFunctional/0/weights.bin")!.Delete();
            using var writer = new BinaryWriter(zip.CreateEntry("CnnFunctional/0/weights.bin").Open());
            writer.Write(new byte[] { 1, 2, 3 });
        }
        var damaged = Assert.Throws<CnnModelException>(() => CnnModel.Load(Context, path));
        Assert.StartsWith($"'{path}': the weights in CnnFunctional/0/weights.bin do not load into graph 'lenet5'", damaged.Message);

        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) zip.GetEntry("CnnFunctional/0/graph.json")!.Delete();
        var missing = Assert.Throws<CnnModelException>(() => CnnModel.Load(Context, path));
        Assert.Equal($"'{path}' has no CnnFunctional/0/graph.json", missing.Message);

        Assert.Equal($"no model at '{folder}/none.zip'", Assert.Throws<CnnModelException>(() => CnnModel.Load(Context, Path.Combine(folder, "none.zip"))).Message);
    }

    private string[] PredictedClasses(ITransformer model, IDataView data) =>
        Context.Data.CreateEnumerable<ClassPrediction>(model.Transform(data), reuseRowObject: false).Select(p => p.PredictedClass).ToArray();

    private sealed class ClassPrediction
    {
        public string PredictedClass = "";
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
