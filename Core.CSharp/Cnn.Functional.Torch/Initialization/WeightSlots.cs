namespace Cnn.Functional.Torch;

/// <summary>How a weight tensor's axes are laid out, which decides what a structured scheme can do with it.</summary>
internal enum SlotLayout
{
    /// <summary>[*P, F, C/G, *K]: a filter bank (per output position P for an unshared convolution), outputs first; a dense weight has no K.</summary>
    OutIn,

    /// <summary>[C, F/G, *K]: a transposed convolution, PyTorch's layout for the adjoint of a convolution, inputs first.</summary>
    InOut,

    /// <summary>[Σ|row|, *K]: LeNet's partial connections, one kernel per connection, each row with its own fan-in.</summary>
    Packed,

    /// <summary>[C]: one coefficient per channel (LeNet's subsampling).</summary>
    Scale,
}

/// <summary>Where convolutional k-means finds the patches of a layer: windows of its input (or whole input vectors, for a dense layer).</summary>
/// <param name="Dilation">The spacing of a window's taps per spatial dimension.</param>
/// <param name="Coordinates">Coordinate channels (<see cref="CoordConv"/>) to append to the input before cutting windows; 0 for none.</param>
/// <param name="WithRadius">Whether the coordinate channels end with the distance from the centre.</param>
internal sealed record PatchSource(long[] Dilation, int Coordinates = 0, bool WithRadius = false);

/// <summary>
/// One weight tensor of a node that a scheme initialises, with what the schemes need to know about it: the names of
/// the weight and its bias in the node's module, the layout, the groups, and the fans. Standard's bias range uses
/// <see cref="BiasFanIn"/>, which is the weight's fan-in except where the lowering says otherwise.
/// </summary>
internal sealed record WeightSlot(
    string Weight,
    long[] Shape,
    SlotLayout Layout,
    long Groups,
    double FanIn,
    double FanOut,
    string? Bias,
    double BiasFanIn,
    int Banks = 0,
    double[]? RowFanIns = null,
    double[]? BiasRowFanIns = null,
    PatchSource? Patches = null)
{
    /// <summary>The spatial kernel (empty for a dense weight).</summary>
    public long[] Kernel => Layout switch
    {
        SlotLayout.OutIn => Shape[(Banks + 2)..],
        SlotLayout.InOut => Shape[2..],
        SlotLayout.Packed => Shape[1..],
        _ => [],
    };

    /// <summary>Outputs per group of one bank (F/G).</summary>
    public long OutPerGroup => Layout == SlotLayout.InOut ? Shape[1] : Shape[Banks] / Groups;

    /// <summary>Inputs per group (C/G).</summary>
    public long InPerGroup => Layout == SlotLayout.InOut ? Shape[0] / Groups : Shape[Banks + 1];

    /// <summary>Independent filter banks: the output positions of an unshared convolution, else 1.</summary>
    public long BankCount => Shape[..Banks].Aggregate(1L, (a, b) => a * b);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// The weights of each layer kind that the schemes initialise, mirroring <see cref="StateDictLayout"/>, with the fans
/// PyTorch and Keras compute (grouped fan-out counted per group) and the fan-in the lowering uses for its default:
/// <list type="bullet">
/// <item>conv, binary conv, deformable conv (main weight; the offsets stay 0), coordinate conv, Dirac conv
/// (its W; α and β stay 1 and 0.1): weight [F, C/G, *K], n_in = (C/G)·ΠK, n_out = (F/G)·ΠK.</item>
/// <item>dense, binary dense: weight [U, I], n_in = I, n_out = U.</item>
/// <item>transposed conv: weight [C, F/G, *K], n_in = (F/G)·ΠK and n_out = (C/G)·ΠK — the fans of the weight tensor's
/// layout, as PyTorch's <c>_calculate_fan_in_and_fan_out</c> and Keras compute them, and the n of the lowering's default.</item>
/// <item>depthwise-separable conv: two weights, the depthwise [C·M, 1, *K] (G = C, n_in = ΠK, n_out = M·ΠK) and the
/// pointwise [F, C·M, 1, …] (n_in = C·M, n_out = F), with the bias.</item>
/// <item>spatially separable conv: one weight per factor, [F, C, K₁, 1, …] (n_in = C·K₁, n_out = F·K₁) then depthwise
/// [F, 1, …, Kᵢ, …] (G = F, n_in = n_out = Kᵢ); the bias's standard range uses C·ΠK, as the lowering does.</item>
/// <item>locally connected: weight [*S', F, C, *K], one bank per output position, n_in = C·ΠK, n_out = F·ΠK.</item>
/// <item>partial conv (LeNet C3): packed [Σ|row|, *K], filter f's kernels with n_in = |row f|·ΠK, n_out = (Σ|row|/C)·ΠK.</item>
/// <item>subsampling (LeNet S2/S4): weight [C], a coefficient on a sum of ΠW inputs, n_in = n_out = ΠW.</item>
/// </list>
/// Other layers have no weights a scheme draws: batch, layer, instance and group norm keep γ = 1 and β = 0, PReLU its
/// slope, the weighted sum its zeros, LeNet's RBF units their fixed prototypes.
/// </summary>
internal static class WeightSlots
{
    public static IReadOnlyList<WeightSlot> Of(InferredNode node, IReadOnlyDictionary<string, long[]> shapes)
    {
        var input = node.InputShapes.Count > 0 ? node.InputShapes[0] : node.OutputShape;
        var rank = input.SpatialRank;
        long[] Dilation(Size size) => Sizes.Expand(size, rank);
        string? Bias(string name) => shapes.ContainsKey(name) ? name : null;
        WeightSlot Filters(string weight, long groups, string? bias, PatchSource? patches = null, int banks = 0, double? biasFanIn = null)
        {
            var shape = shapes[weight];
            var taps = shape[(banks + 2)..].Aggregate(1L, (a, k) => a * k);
            var fanIn = (double)shape[banks + 1] * taps;
            return new WeightSlot(weight, shape, SlotLayout.OutIn, groups, fanIn, (double)shape[banks] / groups * taps, bias,
                biasFanIn ?? fanIn, banks, Patches: patches);
        }

        switch (node.Node.Layer)
        {
            case Conv c:
                return [Filters("weight", c.Groups, Bias("bias"), new PatchSource(Dilation(c.Dilation)))];
            case BinaryConv c:
                return [Filters("weight", c.Groups, Bias("bias"), new PatchSource(Dilation(1)))];
            case DeformableConv c:
                return [Filters("weight", c.Groups, Bias("bias"), new PatchSource(Dilation(c.Dilation)))];
            case DiracConv c:
                return [Filters("weight", 1, Bias("bias"), new PatchSource(Dilation(c.Dilation)))];
            case CoordConv c:
                return [Filters("weight", 1, Bias("bias"), new PatchSource(Dilation(c.Dilation), c.CoordinateChannels(rank), c.WithRadius))];
            case Dense or BinaryDense:
                return [Filters("weight", 1, Bias("bias"), new PatchSource([]))];
            case ConvTranspose c:
            {
                var shape = shapes["weight"];
                var taps = shape[2..].Aggregate(1L, (a, k) => a * k);
                var fanIn = (double)shape[1] * taps;
                return [new WeightSlot("weight", shape, SlotLayout.InOut, c.Groups, fanIn, (double)shape[0] / c.Groups * taps, Bias("bias"), fanIn)];
            }
            case DepthwiseSeparableConv:
                return [Filters("depthwise.weight", input.Channels, null), Filters("pointwise.weight", 1, Bias("pointwise.bias"))];
            case SpatiallySeparableConv c:
            {
                var factors = Enumerable.Range(1, rank)
                    .Select(i => Filters($"factor{i}.weight", i == 1 ? 1 : c.Filters, null)).ToList();
                if (Bias("bias") is { } bias)
                {
                    var taps = Sizes.Expand(c.Kernel, rank).Product();
                    factors[0] = factors[0] with { Bias = bias, BiasFanIn = (double)input.Channels * taps };
                }
                return factors;
            }
            case LocallyConnected:
                return [Filters("weight", 1, Bias("bias"), banks: rank)];
            case PartialConv c:
            {
                var shape = shapes["weight"];
                var taps = shape[1..].Aggregate(1L, (a, k) => a * k);
                var rows = c.Connections.Items;
                var connections = rows.Sum(r => r.Count);
                var rowFanIns = rows.Select(r => (double)r.Count * taps).ToArray();
                return
                [
                    new WeightSlot("weight", shape, SlotLayout.Packed, 1, (double)connections / rows.Length * taps, (double)connections / input.Channels * taps,
                        Bias("bias"), 0, RowFanIns: rows.SelectMany((r, f) => r.Items.Select(_ => rowFanIns[f])).ToArray(), BiasRowFanIns: rowFanIns),
                ];
            }
            case Subsampling s:
            {
                var window = (double)Sizes.Expand(s.Window, rank).Product();
                return [new WeightSlot("weight", shapes["weight"], SlotLayout.Scale, 1, window, window, "bias", window)];
            }
            default:
                return [];
        }
    }
}
