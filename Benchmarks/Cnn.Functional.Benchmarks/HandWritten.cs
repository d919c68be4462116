using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// The zoo's <c>lenet5</c> and <c>vgg_small</c> written by hand in plain TorchSharp, as a user would without the
/// library: <c>nn.Conv2d</c>/<c>nn.Linear</c> fields, functional ReLU and max-pooling, intermediates left to the
/// caller's per-step dispose scope. Fields are named like the graphs' nodes, so both have the same state-dict names
/// and TorchSharp's strict <c>load_state_dict</c> starts them from the library module's weights.
/// </summary>
internal abstract class HandWritten(string name) : nn.Module<Tensor, Tensor>(name)
{
    public static HandWritten For(string model) => model switch
    {
        "lenet5" => new HandLeNet5(),
        "vgg_small" => new HandVggSmall(),
        "resnet18" => new HandResNet18(),
        _ => throw new ArgumentException($"no hand-written '{model}'; known: lenet5, vgg_small, resnet18"),
    };
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

/// <summary>
/// ResNet-18 (He et al., 2015) as a TorchSharp user writes it from the paper and torchvision's source: a basic block
/// class, <c>Sequential</c> stages, 1000 classes. Field names follow torchvision's, so its state dict, the zoo
/// graph's and this one's have the same keys.
/// </summary>
internal sealed class HandResNet18 : HandWritten
{
    private readonly Conv2d conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
    private readonly BatchNorm2d bn1 = nn.BatchNorm2d(64);
    private readonly Sequential layer1 = Stage(64, 64, 1);
    private readonly Sequential layer2 = Stage(64, 128, 2);
    private readonly Sequential layer3 = Stage(128, 256, 2);
    private readonly Sequential layer4 = Stage(256, 512, 2);
    private readonly Linear fc = nn.Linear(512, 1000);

    public HandResNet18() : base("resnet18") => RegisterComponents();

    public override Tensor forward(Tensor x)
    {
        x = F.max_pool2d(F.relu(bn1.forward(conv1.forward(x))), 3, stride: 2, padding: 1);
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return fc.forward(F.adaptive_avg_pool2d(x, 1).flatten(1));
    }

    private static Sequential Stage(int inPlanes, int planes, int stride) =>
        nn.Sequential(new BasicBlock(inPlanes, planes, stride), new BasicBlock(planes, planes, 1));

    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private readonly BatchNorm2d bn2;
        private readonly Sequential? downsample;

        public BasicBlock(int inPlanes, int planes, int stride) : base("BasicBlock")
        {
            conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn1 = nn.BatchNorm2d(planes);
            conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(planes);
            if (stride != 1 || inPlanes != planes)
                downsample = nn.Sequential(nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false), nn.BatchNorm2d(planes));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = bn2.forward(conv2.forward(F.relu(bn1.forward(conv1.forward(x)))));
            return F.relu(y + (downsample is null ? x : downsample.forward(x)));
        }
    }
}
