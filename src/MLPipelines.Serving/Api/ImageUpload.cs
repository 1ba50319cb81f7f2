using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MLPipelines.Serving.Api;

/// <summary>
/// Reads the image a predict request carries: the first file of a <c>multipart/form-data</c> body (or its
/// field named <c>image</c>), or else the raw body itself (any other content type). Never reads more than
/// the configured limit: a larger image is a 413 as soon as the limit is passed.
/// </summary>
public static class ImageUpload
{
    public const string FieldName = "image";
    /// <summary>Room for multipart boundaries and headers around the image.</summary>
    public const long MultipartOverhead = 64 * 1024;

    public sealed record Upload(byte[] Bytes, string Name);

    public static async Task<Upload> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancel)
    {
        if (request.ContentLength == 0) throw Empty();
        bool multipart = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        long allowed = multipart ? maxBytes + MultipartOverhead : maxBytes;
        if (request.ContentLength > allowed) throw TooLarge(maxBytes, $"{request.ContentLength:N0} bytes sent");
        var upload = multipart ? await ReadMultipartAsync(request, type!, maxBytes, cancel) : new Upload(await ReadAllAsync(request.Body, maxBytes, cancel), "image");
        if (upload.Bytes.Length == 0) throw Empty();
        return upload;
    }

    private static async Task<Upload> ReadMultipartAsync(HttpRequest request, MediaTypeHeaderValue type, long maxBytes, CancellationToken cancel)
    {
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
        if (boundary.Length == 0) throw new ApiError(StatusCodes.Status400BadRequest, "multipart/form-data without a boundary");
        // One byte over the limit gets through the reader, so that ReadAllAsync is the one to refuse it (413).
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = maxBytes + 1 };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(cancel); section is not null; section = await reader.ReadNextSectionAsync(cancel))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                bool isFile = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
                bool isImageField = HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FieldName, StringComparison.Ordinal);
                if (!isFile && !isImageField) continue;
                string name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value is { Length: > 0 } file
                    ? Path.GetFileName(file) : FieldName;
                return new Upload(await ReadAllAsync(section.Body, maxBytes, cancel), name);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not BadHttpRequestException && !cancel.IsCancellationRequested)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, $"malformed multipart/form-data body ({e.Message.ReplaceLineEndings(" ")})");
        }
        throw new ApiError(StatusCodes.Status400BadRequest, $"no image in the form: send the file in a field named '{FieldName}'");
    }

    /// <summary>Reads a stream to its end, refusing it as soon as it passes <paramref name="maxBytes"/>.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream body, long maxBytes, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await body.ReadAsync(chunk, cancel)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw TooLarge(maxBytes, "more was sent");
                buffer.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    private static ApiError Empty() =>
        new(StatusCodes.Status400BadRequest, "empty body: send an image, as multipart/form-data or as the raw file");

    public static ApiError TooLarge(long maxBytes, string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, $"image too large: the limit is {maxBytes:N0} bytes ({detail})");
}
