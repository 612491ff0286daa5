using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNet.Subspace.Data;
using MLNet.Subspace.ML;

namespace MLNet.Subspace.Tests.ML;

/// <summary>
/// What an AutoML multiclass experiment on Fashion-MNIST pixels leaves behind, made once per test process: five fitted ML.NET
/// trainers (SDCA and L-BFGS maximum entropy, LightGBM, FastTree one-versus-all, min-max normalisation + SDCA) trained on
/// 600 class-balanced training images with small iteration counts, each saved with mlContext.Model.Save, plus a
/// class-balanced evaluation set of 300 test images.
/// </summary>
internal sealed class TrialModels
{
    private static readonly Lazy<TrialModels> Shared = new(() => new TrialModels());

    public static TrialModels Instance => Shared.Value;

    public static readonly string[] Names = ["sdca", "lbfgs", "lightgbm", "fasttree-ova", "minmax-sdca"];

    private TrialModels()
    {
        Folder = Directory.CreateTempSubdirectory("mlnet-subspace-trials-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Folder, recursive: true);
        var train = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: true);
        var test = IdxReader.LoadFashionMnist(TestPaths.FashionMnist, train: false);
        Train = train.Select(ProbeSampling.ClassBalanced(train.Labels, 10, 60, new Random(1)));
        Evaluation = test.Select(ProbeSampling.ClassBalanced(test.Labels, 10, 30, new Random(2)));
        var ml = new MLContext(seed: 1);
        var data = Train.ToDataView();
        var trainers = ml.MulticlassClassification.Trainers;
        IEstimator<ITransformer>[] estimators =
        [
            trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 5),
            trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options { MaximumNumberOfIterations = 20 }),
            trainers.LightGbm(numberOfLeaves: 8, minimumExampleCountPerLeaf: 10, learningRate: 0.3, numberOfIterations: 6),
            trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 8, numberOfTrees: 4, minimumExampleCountPerLeaf: 10)),
            ml.Transforms.NormalizeMinMax(ColumnNames.Features).Append(trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 5)),
        ];
        Models = estimators.Select(e => e.Fit(data)).ToArray();
        Paths = Names.Select(n => Path.Combine(Folder, n + ".zip")).ToArray();
        for (int m = 0; m < Models.Length; m++) ml.Model.Save(Models[m], data.Schema, Paths[m]);
    }

    public string Folder { get; }

    public ImageDataset Train { get; }

    public ImageDataset Evaluation { get; }

    public ITransformer[] Models { get; }

    public string[] Paths { get; }
}
