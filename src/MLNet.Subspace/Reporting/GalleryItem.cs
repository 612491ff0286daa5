namespace MLNet.Subspace.Reporting;

/// <summary>One picture in a gallery: an image (PNG data URI) and its caption lines.</summary>
/// <param name="ImageDataUri">A data: URI, e.g. from <see cref="PngImage.DataUri"/>.</param>
/// <param name="Caption">Caption lines (escaped when rendered).</param>
/// <param name="Highlight">Draws the tile with an accent border (for the query input).</param>
public sealed record GalleryItem(string ImageDataUri, IReadOnlyList<string> Caption, bool Highlight = false);
