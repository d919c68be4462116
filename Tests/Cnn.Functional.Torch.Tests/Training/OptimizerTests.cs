using Cnn.Functional.Torch;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Training;

/// <summary>The written-out optimisers against TorchSharp's torch.optim (libtorch's and PyTorch's update rules).</summary>
[Collection("Training")]
public class OptimizerTests(ITestOutputHelper output)
{
    private const int Steps = 6;

    // No dropout (the two modules must compute the same function) and no batch norm: a bias before batch norm has
    // a gradient of pure rounding noise, which Adam scales to full steps, so 1 ulp apart becomes ε apart.
    private static Graph Net() => Synthetic.SmallNet("opt", dropout: false, batchNorm: false);

    [Theory]
    [InlineData(0.9, 5e-4, false)]
    [InlineData(0.9, 5e-4, true)]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.5, 1e-2, false)]
    public void Sgd_takes_the_same_steps_as_torch_optim_SGD(double momentum, double weightDecay, bool nesterov)
    {
        using var ours = Synthetic.Module(Net(), 3);
        using var theirs = Synthetic.Module(Net(), 3);
        using var sgd = new Sgd(ours, 0.05, momentum, weightDecay, nesterov);
        using var reference = torch.optim.SGD(theirs.parameters(), 0.05, momentum, 0, weightDecay, nesterov);
        RunSteps(ours, theirs, sgd.ZeroGrad, () => sgd.Step(), reference);
        // The same operations in the same order: the same bits.
        Assert.True(Synthetic.SameBits(ours, theirs));
        Assert.Equal(momentum == 0 ? 0 : ours.parameters().Count(), sgd.State().Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-2)]
    public void Adam_takes_the_steps_of_torch_optim_Adam(double weightDecay)
    {
        using var ours = Synthetic.Module(Net(), 4);
        using var theirs = Synthetic.Module(Net(), 4);
        using var adam = new Adam(ours, 1e-2, weightDecay: weightDecay);
        using var reference = torch.optim.Adam(theirs.parameters(), 1e-2, weight_decay: weightDecay);
        RunSteps(ours, theirs, adam.ZeroGrad, () => adam.Step(), reference);
        // Both apply the bias corrections as scalars (ε/(1 − ρ₁ᵗ) and √(1 − ρ₂ᵗ)), in the same operations and order.
        var worst = 0.0;
        foreach (var ((name, a), (_, b)) in ours.named_parameters().Zip(theirs.named_parameters()))
        {
            using var scope = NewDisposeScope();
            var difference = (a - b).abs().max().item<float>();
            worst = Math.Max(worst, difference);
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-7), $"{name} differs by up to {difference}");
        }
        output.WriteLine($"largest difference from torch.optim.Adam after {Steps} steps: {worst:G3}");
        Assert.True(Synthetic.SameBits(ours, theirs));
        Assert.All(adam.State().Where(kv => kv.Key.EndsWith(".step")), kv => Assert.Equal(Steps, kv.Value.item<long>()));
    }

    // Same data for both: a fresh random batch per step, the mean cross-entropy, one backward, one step.
    private static void RunSteps(nn.Module ours, nn.Module theirs, Action zeroOurs, Action stepOurs, torch.optim.Optimizer reference)
    {
        var generator = new Generator(11);
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn([16, 1, Synthetic.Size, Synthetic.Size], generator: generator);
            var y = randint(0, 4, [16], generator: generator);
            zeroOurs();
            Losses.CrossEntropy(((GraphModule)ours).forward(x), y).backward();
            stepOurs();
            reference.zero_grad();
            Losses.CrossEntropy(((GraphModule)theirs).forward(x), y).backward();
            reference.step();
        }
        generator.Dispose();
    }

    [Fact]
    public void Adam_is_Algorithm_8_7_with_delta_outside_the_root()
    {
        // One weight θ = 1; a large δ = 0.5 tells √r̂ + δ (the book, Kingma & Ba, PyTorch) from the slide's √(r̂ + δ).
        using var module = GraphModule.Create(Graph.Create("one", Shape.Vector(1)).Then("w", Layers.Dense(1, bias: false)));
        var theta = module.parameters().Single();
        using (no_grad()) theta.fill_(1);
        using var adam = new Adam(module, learningRate: 0.1, rho1: 0.9, rho2: 0.999, delta: 0.5);
        double s = 0, r = 0, expected = 1;
        var t = 0;
        foreach (var g in new[] { 2.0, -1.0, 0.5 })
        {
            theta.grad = tensor(new[,] { { (float)g } });
            adam.Step();
            t++;
            s = 0.9 * s + 0.1 * g;
            r = 0.999 * r + 0.001 * g * g;
            var sHat = s / (1 - Math.Pow(0.9, t));
            var rHat = r / (1 - Math.Pow(0.999, t));
            expected += -0.1 * sHat / (Math.Sqrt(rHat) + 0.5);
            Assert.Equal(expected, theta.item<float>(), 6);
        }
        // The first step alone: Δθ = −ε·g/(|g| + δ) = −0.1·2/2.5 = −0.08, not −0.1·2/√4.5 ≈ −0.0943.
        Assert.Equal(1 - 0.08, 1 - 0.1 * 2 / (2 + 0.5), 12);
    }

    [Fact]
    public void Out_of_range_hyperparameters_are_refused_with_their_names()
    {
        using var module = GraphModule.Create(Net());
        Assert.Contains("momentum must be in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(module, 0.1, momentum: 1.5)).Message);
        Assert.Contains("ρ2 must be in [0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(module, rho2: 1)).Message);
        Assert.Contains("learning rate must be a positive finite number", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(module, learningRate: double.NaN)).Message);
    }

    [Fact]
    public void State_round_trips_and_refuses_a_tensor_of_the_wrong_shape()
    {
        using var module = Synthetic.Module(Net(), 5);
        using var adam = new Adam(module);
        using (var scope = NewDisposeScope())
        {
            Losses.CrossEntropy(module.forward(randn(4, 1, Synthetic.Size, Synthetic.Size)), tensor(new long[] { 0, 1, 2, 3 })).backward();
            adam.Step();
        }
        using var copy = new Adam(module);
        copy.LoadState(adam.State());
        Assert.Equal(adam.State().Keys, copy.State().Keys);
        Assert.All(adam.State(), kv => Assert.True(Synthetic.SameBits(kv.Value, copy.State()[kv.Key])));
        using var wrong = zeros(3);
        var error = Assert.Throws<ArgumentException>(() => copy.LoadState(new Dictionary<string, Tensor> { ["fc2.weight.exp_avg"] = wrong }));
        Assert.Contains("'fc2.weight.exp_avg' is Float32 [3]; its parameter is Float32 [4, 32]", error.Message);
    }
}
