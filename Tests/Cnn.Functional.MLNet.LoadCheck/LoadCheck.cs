using System.Globalization;
using Cnn.Functional.Torch;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cnn.Functional.MLNet.LoadCheck;

/// <summary>
/// <c>LoadCheck MODEL.zip OUTPUT.tsv [LIMIT]</c>: loads MODEL.zip with <see cref="CnnModel.Load(MLContext, string)"/> in a
/// fresh MLContext, scores the first LIMIT Fashion-MNIST test images (all by default), and writes one line per
/// image: the predicted key and the K scores, as round-trip text.
/// </summary>
public static class LoadCheck
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length is < 2 or > 3)
        {
            error.WriteLine("usage: LoadCheck MODEL.zip OUTPUT.tsv [LIMIT]");
            return 2;
        }
        var limit = args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : int.MaxValue;
        var mlContext = new MLContext(seed: 0);
        using var loaded = CnnModel.Load(mlContext, args[0]);
        using var data = FashionMnist.Load(limit: limit);
        var predictions = loaded.Model.Transform(mlContext.Data.LoadFromDataset(data.Test));
        var score = predictions.Schema["Score"];
        var predicted = predictions.Schema["PredictedLabel"];
        using var cursor = predictions.GetRowCursor([score, predicted]);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        var getPredicted = cursor.GetGetter<uint>(predicted);
        var scores = default(VBuffer<float>);
        uint key = 0;
        using var writer = new StreamWriter(args[1]);
        var rows = 0;
        while (cursor.MoveNext())
        {
            getScore(ref scores);
            getPredicted(ref key);
            writer.Write(key.ToString(CultureInfo.InvariantCulture));
            foreach (var s in scores.DenseValues()) writer.Write("\t" + s.ToString("R", CultureInfo.InvariantCulture));
            writer.WriteLine();
            rows++;
        }
        output.WriteLine($"scored {rows} rows with the model loaded from {args[0]}");
        return 0;
    }
}
