using System.Security.Cryptography;

namespace MLNet.Subspace.Data;

/// <summary>
/// Recognises Fashion-MNIST's own splits by their labels: the SHA-256 of the label values (one byte each, in file order, after
/// the IDX header), which differ from MNIST's, KMNIST's or any other data set's in the same layout. Computed from Debian's
/// dataset-fashion-mnist files, whose labels are Zalando's (the training split starts 9, 0, 0, 3, 0, 2: ankle boot,
/// T-shirt/top, T-shirt/top, dress, ...). Hashing the values, not the files, makes raw and re-compressed copies match.
/// </summary>
internal static class FashionMnistSplits
{
    private const string Train = "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7";
    private const string Test = "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9";

    /// <summary>Whether <paramref name="labels"/> are exactly Fashion-MNIST's training (or test) labels.</summary>
    /// <param name="labels">The labels as read.</param>
    /// <param name="train">Which split to compare with.</param>
    public static bool Matches(int[] labels, bool train)
    {
        if (labels.Length != (train ? 60_000 : 10_000)) return false;
        var bytes = new byte[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] > byte.MaxValue) return false;
            bytes[i] = (byte)labels[i];
        }
        return Convert.ToHexStringLower(SHA256.HashData(bytes)) == (train ? Train : Test);
    }
}
