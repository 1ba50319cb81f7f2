using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace MLPipelines.Sweeps.Storage;

/// <summary>
/// Studies in a PostgreSQL database, shared by workers on any number of machines (as Optuna's RDB storage): the
/// next waiting trial is claimed with <c>SELECT … FOR UPDATE SKIP LOCKED</c>, so concurrent workers each get a
/// different one without waiting on each other; proposals that create or promote trials lock the study's row.
/// </summary>
public sealed class PostgresStudyStorage : SqlStudyStorage
{
    private readonly NpgsqlDataSource source;
    private readonly string where;

    /// <param name="readOnly">Only read: no schema is created (see <see cref="SqlStudyStorage.ReadOnly"/>).</param>
    public PostgresStudyStorage(string connectionString, bool readOnly = false)
    {
        ReadOnly = readOnly;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new StorageException($"bad PostgreSQL connection string: {e.Message}", e);
        }
        if (!connectionString.Contains("timeout", StringComparison.OrdinalIgnoreCase)) builder.Timeout = 10;
        where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            if (readOnly)
                using (OpenConnection()) { }
            else
                CreateSchema();
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            source.Dispose();
            throw new StorageException($"cannot use PostgreSQL at {where}: {Innermost(e)}", e);
        }
    }

    public override string Description => $"postgres {where}";

    protected override DbConnection OpenConnection()
    {
        try
        {
            return source.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new StorageException($"cannot reach PostgreSQL at {where}: {Innermost(e)}", e);
        }
    }

    protected override bool SchemaExists(DbConnection c) =>
        Query(c, null, $"SELECT to_regclass('{Studies_}')::text", r => r.IsDBNull(0) ? null : r.GetString(0)).FirstOrDefault() is not null;

    protected override string NowMs => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    protected override string BlobType => "BYTEA";
    protected override string NextWaitingSql =>
        $"SELECT number FROM {Trials_} WHERE study = @s AND state = 'waiting' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED";
    protected override DbTransaction BeginWrite(DbConnection c) => c.BeginTransaction(IsolationLevel.ReadCommitted);

    protected override void LockStudy(DbConnection c, DbTransaction tx, string study) =>
        Query(c, tx, $"SELECT name FROM {Studies_} WHERE name = @s FOR UPDATE", r => r.GetString(0), ("s", study));

    // CREATE TABLE IF NOT EXISTS is not safe when two workers start at once: take a transaction-scoped lock first.
    protected override void LockSchema(DbConnection c, DbTransaction tx) =>
        Exec(c, tx, "SELECT pg_advisory_xact_lock(7242019)");

    private static string Innermost(Exception e)
    {
        string message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException) message = inner.Message;
        return message == e.Message ? message : $"{e.Message.TrimEnd('.')} ({message.TrimEnd('.')})";
    }

    public override void Dispose()
    {
        source.Dispose();
        base.Dispose();
    }
}
