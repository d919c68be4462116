// Generated from 06-adversarial.ipynb by the notebook tool: do not edit; edit the notebook and regenerate with
//   dotnet run --project Notebooks/Cnn.Functional.Notebooks -- twins
// Run it (from the repository root) with
//   dotnet run Notebooks/06-adversarial.cs
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

// # 6. Adversarial examples
//
// Goodfellow et al. (2015): a small step in the direction of the gradient's sign,
//
// $$x' = x + \varepsilon \, \mathrm{sign}\big(\nabla_x J(\theta, x, y)\big),$$
//
// the fast gradient sign method (FGSM), is enough to make a trained network misclassify images that look unchanged to
// us. Here we measure the test accuracy of LeNet-5 as $\varepsilon$ grows, look at one adversarial example, and see
// what adversarial training (mixing FGSM images into every batch) buys.

// (cell 2 runs only in the notebook: it prepares the kit that #r loads; here #:project does that)

// cell 3
// A notebook host lists no native libraries: TorchSharp finds libtorch next to its assembly (kit/runtimes/) when
// asked to load it explicitly, before the first layer is created.
TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);

// Charts are stored as Plotly figures (drawn by JupyterLab and VS Code) plus a PNG picture (shown by GitHub).
NotebookFormatters.RegisterFigures();

// cell 4
// LeNet-5 trained for one epoch on the first 5,000 training images: a few seconds to a minute on two cores, and
// enough to make the pictures below meaningful (the full set and three epochs reach about 87%, see the README).
var data = FashionMnist.Load(limit: 5_000);
torch.manual_seed(1);
var module = GraphModule.Create(ModelZoo.Get("lenet5"));
var trainer = new Trainer(module, new TrainingOptions { Epochs = 1, LearningRate = 2e-3, BatchEventInterval = 0 });
var training = trainer.Fit(data.Train);
var evaluation = trainer.Evaluate(data.Test);
Console.WriteLine($"LeNet-5: {module.Graph.Parameters:N0} parameters, trained {training.History[0].Seconds:0.0} s; test accuracy {evaluation.Accuracy:P1} on {evaluation.Count:N0} images");
var names = FashionMnist.ClassNames.Items.ToArray();

// ## Accuracy against $\varepsilon$
//
// Pixels are in $[0, 1]$, so $\varepsilon = 0.1$ moves each pixel by a tenth of its range. 1,000 test images:

// cell 6
var epsilons = new[] { 0.0, 0.02, 0.05, 0.1, 0.15, 0.2 };
var curve = Fgsm.Curve(module, data.Test, epsilons, limit: 1_000);
foreach (var point in curve.Points) Console.WriteLine($"ε = {point.Epsilon:0.00}: accuracy {point.Accuracy:P1}");

// cell 7
var label = (int)data.Test.Labels[0].item<long>();
var example = Fgsm.Example(module, data.Test.Images[0], label, 0.1);
display(Plot.Adversarial(example, names));

// ## Adversarial training
//
// The same network and data, trained with half of every batch replaced by its FGSM version at $\varepsilon = 0.1$
// (`TrainingOptions.Adversarial`). It gives up a little clean accuracy for robustness:

// cell 9
torch.manual_seed(1);
var robustModule = GraphModule.Create(ModelZoo.Get("lenet5"));
var robustTrainer = new Trainer(robustModule, new TrainingOptions { Epochs = 1, LearningRate = 2e-3, BatchEventInterval = 0, Adversarial = new AdversarialTraining(Epsilon: 0.1) });
robustTrainer.Fit(data.Train);
var robustCurve = Fgsm.Curve(robustModule, data.Test, epsilons, limit: 1_000);
foreach (var (plain, robust) in curve.Points.Zip(robustCurve.Points))
    Console.WriteLine($"ε = {plain.Epsilon:0.00}: standard {plain.Accuracy:P1}, adversarially trained {robust.Accuracy:P1}");
display(Plot.RobustnessComparison(new Dictionary<string, RobustnessCurve> { ["standard"] = curve, ["adversarially trained"] = robustCurve }, "FGSM: test accuracy against ε"));

// What display(…) does outside a notebook.
void display(object? value) => NotebookDisplay.Show(value);

file static class NotebookDisplay
{
    private static int charts;

    public static void Show(object? value)
    {
        if (value is Plotly.NET.GenericChart chart)
        {
            var folder = Path.Combine(Path.GetTempPath(), "cnnf-notebooks", "06-adversarial");
            var path = Path.Combine(folder, $"chart-{++charts}.html");
            new Cnn.Functional.Charts.HtmlReport($"06-adversarial, chart {charts}").Chart(chart).Save(path);
            Console.WriteLine($"[chart {charts}: {path}]");
        }
        else Console.WriteLine(value);
    }
}
