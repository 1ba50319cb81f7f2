namespace MLPipelines.Sweeps.Storage;

/// <summary>Opens the storage a <c>--storage</c> value names.</summary>
public static class StudyStorage
{
    public const string PostgresVariable = "MLP_POSTGRES";

    /// <summary>
    /// <c>null</c>: SQLite at <paramref name="defaultSqlitePath"/>. A path (<c>x.db</c>, <c>sqlite:x.db</c>): SQLite.
    /// <c>postgres</c>: the connection string in $MLP_POSTGRES. <c>Host=…;…</c> or <c>postgres://user:pw@host:port/db</c>: PostgreSQL.
    /// </summary>
    /// <param name="readOnly">For commands that only look: nothing is created (no folder, file or schema) and nothing changes.</param>
    public static IStudyStorage Open(string? spec, string defaultSqlitePath, bool readOnly = false)
    {
        if (string.IsNullOrWhiteSpace(spec)) return new SqliteStudyStorage(defaultSqlitePath, readOnly);
        spec = spec.Trim();
        if (spec.Equals("postgres", StringComparison.OrdinalIgnoreCase) || spec.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            string? env = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(env)) throw new StorageException($"--storage postgres needs ${PostgresVariable} (a connection string such as Host=127.0.0.1;Username=mlp;Password=mlp;Database=mlp)");
            return new PostgresStudyStorage(env, readOnly);
        }
        if (spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new PostgresStudyStorage(FromUri(spec), readOnly);
        if (spec.Contains("Host=", StringComparison.OrdinalIgnoreCase) || spec.Contains("Server=", StringComparison.OrdinalIgnoreCase))
            return new PostgresStudyStorage(spec, readOnly);
        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) return new SqliteStudyStorage(spec["sqlite:".Length..], readOnly);
        if (spec.Contains("://", StringComparison.Ordinal) || spec.Contains('=', StringComparison.Ordinal))
            throw new StorageException($"unknown storage '{spec}' (use a SQLite file path, postgres, Host=…;Database=… or postgres://user:password@host:port/database)");
        return new SqliteStudyStorage(spec, readOnly);
    }

    /// <summary>postgres://user:password@host:port/database → Npgsql's key=value form.</summary>
    public static string FromUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || string.IsNullOrEmpty(u.Host))
            throw new StorageException($"bad PostgreSQL address '{uri}' (expected postgres://user:password@host:port/database)");
        string[] user = Uri.UnescapeDataString(u.UserInfo).Split(':', 2);
        var parts = new List<string> { $"Host={u.Host}", $"Port={(u.Port > 0 ? u.Port : 5432)}" };
        if (user[0].Length > 0) parts.Add($"Username={user[0]}");
        if (user.Length > 1) parts.Add($"Password={user[1]}");
        string db = u.AbsolutePath.Trim('/');
        if (db.Length > 0) parts.Add($"Database={db}");
        return string.Join(';', parts);
    }
}
