// Generated from 07-transfer.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/07-transfer.cs
// Markdown cells are comments; display(…) prints text and saves charts as HTML pages in a temporary folder.
#:project ../Core.CSharp/Cnn.Functional.Graph/Cnn.Functional.Graph.csproj
#:project ../Core.CSharp/Cnn.Functional.Torch/Cnn.Functional.Torch.csproj
#:project ../Dsl/Cnn.Functional.Dsl/Cnn.Functional.Dsl.csproj
#:project ../Core.CSharp/Cnn.Functional.Charts/Cnn.Functional.Charts.csproj

using Cnn.Functional;
using Cnn.Functional.Dsl;
using Cnn.Functional.Charts;
using Plotly.NET.CSharp;
using Cnn.Functional.Torch;
using TorchSharp;

// # 7. Transfer learning and fine-tuning
//
// The lecture's recipe for *using a trained CNN*: train (or download) a network on a large task, keep its convolutional
// trunk, replace the head for the new task, and either train only the head (the trunk frozen, a fixed feature extractor)
// or fine-tune everything with a small learning rate. With little data for the new task, the transferred features beat
// training from scratch.
//
// Here the large task is Fashion-MNIST's 10 classes (5,000 images); the new task is a coarser one — tops, bottoms,
// footwear and bags — with only 500 labelled images the source network never saw.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Plotly.NET.CSharp has no WithTitle; Plotly.NET's own API titles a chart.
Plotly.NET.GenericChart Titled(Plotly.NET.GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// cell 4
var all = FashionMnist.Load(limit: 5_500);
// The source task: the first 5,000 training images, 10 classes.
var source = all.Train with { Name = "source", Images = all.Train.Images.narrow(0, 0, 5000), Labels = all.Train.Labels.narrow(0, 0, 5000) };
torch.manual_seed(1);
var sourceModule = GraphModule.Create(ModelZoo.Get("lenet5"));
new Trainer(sourceModule, new TrainingOptions { Epochs = 1, LearningRate = 2e-3, BatchEventInterval = 0 }).Fit(source);

// The new task: 4 coarse classes, from 10: T-shirt, pullover, coat, shirt → top; trouser, dress → bottom;
// sandal, sneaker, ankle boot → footwear; bag → bag.
var coarse = torch.tensor(new long[] { 0, 1, 0, 1, 0, 2, 0, 2, 3, 2 });
var coarseNames = EquatableArray.Of("top", "bottom", "footwear", "bag");
Dataset Coarse(Dataset d, string name) => new(name, d.Images, coarse.index_select(0, d.Labels), 4, coarseNames);
var target = Coarse(all.Train with { Images = all.Train.Images.narrow(0, 5000, 500), Labels = all.Train.Labels.narrow(0, 5000, 500) }, "target (500 images)");
var targetTest = Coarse(all.Test, "target test");
Console.WriteLine($"source: {source.Count:N0} images, 10 classes; target: {target.Count:N0} images, 4 classes; target test: {targetTest.Count:N0} images");

// ## Graph surgery
//
// `Replace` swaps the 10-way head `fc3` for a 4-way one; `Freeze` marks the trunk's parameters as not trainable (the
// summary counts them as frozen). `Transfer.LoadWeights` copies every tensor whose path and shape match, and reports the
// head as mismatched — it keeps its fresh initialisation.

// cell 6
var tunedGraph = ModelZoo.Get("lenet5").Replace("fc3", Layers.Dense(4)).Freeze("conv1").Freeze("conv2");
var totals = tunedGraph.Summarize().Totals;
Console.WriteLine($"parameters {totals.Parameters:N0}: trainable {totals.TrainableParameters:N0}, frozen {totals.FrozenParameters:N0}");
var tuned = GraphModule.Create(tunedGraph);
Console.WriteLine(Transfer.LoadWeights(tuned, sourceModule));

// ## Three ways to learn the new task from 500 images
//
// 1. **from scratch**: a fresh LeNet-5 with a 4-way head;
// 2. **fine-tuned**: the transferred network, trunk frozen, the dense layers `fc1`, `fc2` at a tenth of the learning rate
//    (`LearningRateScales`) and the new head at the full rate;
// 3. **CNN codes**: the source network cut after `relu4` (`Graph.Truncate`) as a fixed feature extractor, and a
//    nearest-class-mean classifier on its 84-dimensional codes.
//
// Each trains for 3 epochs of the 500 images.

// cell 8
double Train(GraphModule module, TrainingOptions options)
{
    var trainer = new Trainer(module, options);
    trainer.Fit(target);
    return trainer.Evaluate(targetTest).Accuracy;
}
var options = new TrainingOptions { Epochs = 3, LearningRate = 2e-3, BatchEventInterval = 0 };
torch.manual_seed(2);
var scratch = Train(GraphModule.Create(ModelZoo.Get("lenet5").Replace("fc3", Layers.Dense(4))), options);
var fineTuned = Train(tuned, options with { LearningRateScales = EquatableArray.Of(new LearningRateScale("fc1", 0.1), new LearningRateScale("fc2", 0.1)) });

// CNN codes: the truncated source network computes them; each class is represented by its mean code.
var trunk = GraphModule.Create(sourceModule.Graph.Graph.Truncate("relu4"));
Transfer.LoadWeights(trunk, sourceModule);
var trainCodes = CnnCodes.Of(trunk, target, "relu4", limit: 500);
var means = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, trainCodes.Dimension)
    .Select(d => trainCodes.Vectors.Where((v, i) => trainCodes.Labels[i] == c).Average(v => v[d])).ToArray()).ToArray();
var testCodes = CnnCodes.Of(trunk, targetTest, "relu4", limit: 2_000);
int Nearest(float[] v) => Enumerable.Range(0, 4).MinBy(c => v.Select((x, d) => (x - means[c][d]) * (x - means[c][d])).Sum());
var codesAccuracy = testCodes.Vectors.Where((v, i) => Nearest(v) == testCodes.Labels[i]).Count() / (double)testCodes.Count;

Console.WriteLine($"from scratch         {scratch:P1}");
Console.WriteLine($"fine-tuned           {fineTuned:P1}");
Console.WriteLine($"CNN codes + means    {codesAccuracy:P1}");

// cell 9
var accuracies = Chart.Column<double, string, string>(new[] { scratch, fineTuned, codesAccuracy }, Keys: new[] { "from scratch", "fine-tuned", "CNN codes + class means" })
    .WithYAxisStyle<double, double, string>(TitleText: "test accuracy (4 classes)")
    .WithSize(640, 400);
display(Titled(accuracies, "learning a new task from 500 images"));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "07-transfer");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"07-transfer, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
