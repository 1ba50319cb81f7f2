namespace MLPipelines.Prediction.Scoring;

/// <summary>
/// Checks the partial output of an interrupted run before it is continued: its columns must be the ones this
/// manifest and model give, and each row's manifest columns must equal the manifest's row at that place. A
/// last row cut short (a hard kill mid-write) is dropped, to be scored again.
/// </summary>
internal static class PartialOutput
{
    /// <summary>The rows that can be kept (counted into <paramref name="tally"/>) and the byte length they end at.</summary>
    public static (long Rows, long Bytes) Verify(string partialPath, string manifestPath, OutputLayout layout, ScoreTally tally)
    {
        using var partial = ScoredCsv.OpenParser(partialPath, countBytes: true);
        if (!partial.Read() || !partial.Record!.SequenceEqual(layout.Header))
            throw new ScoringException($"{partialPath} does not have the columns this manifest and model give: it comes from another run; delete it to start over");
        long keptBytes = partial.ByteCount, rows = 0;

        using var manifest = ScoredCsv.OpenParser(manifestPath);
        manifest.Read();
        string[]? pending = null;
        long pendingEnd = 0;
        while (partial.Read())
        {
            var row = partial.Record!;
            // The parser moved past a line end, so the previous row was complete.
            if (pending is not null) Keep(pending, pendingEnd);
            pending = null;
            if (row.Length != layout.Width) break;
            if (!manifest.Read())
                throw new ScoringException($"{partialPath} has more rows than the manifest: it comes from another manifest; delete it to start over");
            var input = layout.Normalize(manifest.Record!, out _);
            for (int i = 0; i < layout.InputWidth; i++)
                if (!string.Equals(row[i], input[i], StringComparison.Ordinal))
                    throw new ScoringException($"row {rows + 1} of {partialPath} differs from the manifest's ({layout.InputColumns[i]} '{row[i]}' vs '{input[i]}'): the manifest changed since; delete the partial file to start over");
            pending = row;
            pendingEnd = partial.ByteCount;
        }
        if (pending is not null && EndsWithLineBreak(partialPath, pendingEnd)) Keep(pending, pendingEnd);
        return (rows, keptBytes);

        void Keep(string[] row, long end)
        {
            tally.AddOutputRow(row);
            rows++;
            keptBytes = end;
        }
    }

    private static bool EndsWithLineBreak(string path, long end)
    {
        if (end <= 0) return false;
        using var handle = File.OpenHandle(path);
        Span<byte> last = stackalloc byte[1];
        return RandomAccess.Read(handle, last, end - 1) == 1 && last[0] == (byte)'\n';
    }
}
