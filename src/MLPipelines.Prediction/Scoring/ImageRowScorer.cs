using System.Buffers;
using MLPipelines.Core.Imaging;

namespace MLPipelines.Prediction.Scoring;

/// <summary>A row's outcome: the prediction, or why there is none.</summary>
public readonly record struct RowResult(Prediction? Prediction, string? Error)
{
    public static RowResult Failed(string error) => new(null, error);
}

/// <summary>
/// Scores one image path: reads the file into a pooled buffer (no per-image array for the encoded bytes),
/// prepares it and predicts through the classifier's engine pool. Never throws for a bad image: every
/// problem becomes the row's error text. Thread-safe.
/// </summary>
public sealed class ImageRowScorer(ImageClassifier classifier, string baseFolder)
{
    public string BaseFolder { get; } = Path.GetFullPath(baseFolder);

    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(BaseFolder, path);

    public RowResult Score(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return RowResult.Failed("no image path");
        string full = Resolve(path);
        byte[]? buffer = null;
        try
        {
            int length;
            using (var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                long size = RandomAccess.GetLength(handle);
                if (size > classifier.Limits.MaxFileBytes) return RowResult.Failed($"file too large for an image ({size / (1024 * 1024)} MiB)");
                buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(size, 1));
                length = ReadAll(handle, buffer.AsSpan(0, (int)size));
            }
            using var image = classifier.Prepare(buffer.AsSpan(0, length), full);
            return new RowResult(classifier.PredictPrepared(image), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return RowResult.Failed("file not found");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(full))
        {
            return RowResult.Failed("a folder, not an image file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RowResult.Failed(Directory.Exists(full) ? "a folder, not an image file" : $"unreadable: {e.Message}");
        }
        catch (InvalidImageException e)
        {
            return RowResult.Failed(WithoutName(e.Message, full));
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            // A decoder or model failure on one odd image must not stop a million-row run.
            return RowResult.Failed($"cannot score: {e.Message.ReplaceLineEndings(" ")}");
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> target)
    {
        int done = 0;
        while (done < target.Length)
        {
            int n = RandomAccess.Read(handle, target[done..], done);
            if (n == 0) break;
            done += n;
        }
        return done;
    }

    // The path is in the row already; the error column says only what is wrong.
    private static string WithoutName(string message, string name) =>
        message.StartsWith(name + ": ", StringComparison.Ordinal) ? message[(name.Length + 2)..] : message;
}
