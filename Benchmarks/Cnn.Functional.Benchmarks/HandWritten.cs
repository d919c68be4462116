using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// The zoo's <c>lenet5</c> and <c>vgg_small</c> written by hand in plain TorchSharp, as a user would without the
/// library: <c>nn.Conv2d</c>/<c>nn.Linear</c> fields, functional ReLU and max-pooling, intermediates left to the
/// caller's per-step dispose scope. Fields are named like the graphs' nodes, so both have the same state-dict names
/// and <see cref="CopyFrom"/> can start them from the same weights.
/// </summary>
internal abstract class HandWritten(string name) : nn.Module<Tensor, Tensor>(name)
{
    public static HandWritten For(string model) => model switch
    {
        "lenet5" => new HandLeNet5(),
        "vgg_small" => new HandVggSmall(),
        _ => throw new ArgumentException($"no hand-written '{model}'; known: lenet5, vgg_small"),
    };

    /// <summary>Copies the tensors of <paramref name="source"/>'s state dict into this module's tensors of the same names.</summary>
    public void CopyFrom(nn.Module source)
    {
        using var noGrad = no_grad();
        var theirs = source.state_dict();
        foreach (var (key, tensor) in state_dict()) tensor.copy_(theirs[key]);
    }
}

internal sealed class HandLeNet5 : HandWritten
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 6, 5, padding: 2);
    private readonly Conv2d conv2 = nn.Conv2d(6, 16, 5);
    private readonly Linear fc1 = nn.Linear(400, 120);
    private readonly Linear fc2 = nn.Linear(120, 84);
    private readonly Linear fc3 = nn.Linear(84, 10);

    public HandLeNet5() : base("lenet5") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = F.max_pool2d(F.relu(conv1.forward(x)), 2);
        x = F.max_pool2d(F.relu(conv2.forward(x)), 2);
        x = F.relu(fc1.forward(x.flatten(1)));
        x = F.relu(fc2.forward(x));
        return fc3.forward(x);
    }
}

internal sealed class HandVggSmall : HandWritten
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 32, 3, padding: 1);
    private readonly Conv2d conv2 = nn.Conv2d(32, 32, 3, padding: 1);
    private readonly Conv2d conv3 = nn.Conv2d(32, 64, 3, padding: 1);
    private readonly Conv2d conv4 = nn.Conv2d(64, 64, 3, padding: 1);
    private readonly Linear fc1 = nn.Linear(64 * 7 * 7, 128);
    private readonly Linear fc2 = nn.Linear(128, 10);

    public HandVggSmall() : base("vgg_small") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = F.relu(conv1.forward(x));
        x = F.max_pool2d(F.relu(conv2.forward(x)), 2);
        x = F.relu(conv3.forward(x));
        x = F.max_pool2d(F.relu(conv4.forward(x)), 2);
        x = F.relu(fc1.forward(x.flatten(1)));
        return fc2.forward(x);
    }
}
