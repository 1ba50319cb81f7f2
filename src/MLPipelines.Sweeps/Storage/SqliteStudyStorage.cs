using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MLPipelines.Sweeps.Storage;

/// <summary>
/// A study database in one SQLite file (the default: embedded, nothing to install). Write-ahead logging lets
/// readers run beside the one writer; a claim is a write transaction (BEGIN IMMEDIATE), so worker processes on this
/// machine never claim the same trial. Every change commits before the call returns: a kill -9 loses nothing
/// committed.
/// </summary>
public sealed class SqliteStudyStorage : SqlStudyStorage
{
    private readonly string connectionString;

    /// <param name="readOnly">Only read: the file must exist; nothing is created or changed in it (see <see cref="SqlStudyStorage.ReadOnly"/>).</param>
    public SqliteStudyStorage(string path, bool readOnly = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        ReadOnly = readOnly;
        try
        {
            if (readOnly)
            {
                if (!File.Exists(Path)) throw new StorageException($"no study database at {Path}");
                connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true, DefaultTimeout = 60 }.ToString();
                return;
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 60 }.ToString();
            using (var c = OpenConnection())
                Exec(c, null, "PRAGMA journal_mode=WAL");
            CreateSchema();
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot open the SQLite study database {Path}: {e.Message}", e);
        }
    }

    public string Path { get; }
    public override string Description => $"sqlite {Path}";

    protected override DbConnection OpenConnection()
    {
        var c = new SqliteConnection(connectionString);
        c.Open();
        // Wait for another process's write transaction instead of failing at once.
        Exec(c, null, "PRAGMA busy_timeout=60000");
        return c;
    }

    protected override bool SchemaExists(DbConnection c) =>
        Query(c, null, $"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{Studies_}'", r => r.GetString(0)).Count > 0;

    protected override string NowMs => "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
    protected override string BlobType => "BLOB";
    protected override string NextWaitingSql => $"SELECT number FROM {Trials_} WHERE study = @s AND state = 'waiting' ORDER BY number LIMIT 1";
    protected override DbTransaction BeginWrite(DbConnection c) => ((SqliteConnection)c).BeginTransaction(deferred: false);
    protected override void LockStudy(DbConnection c, DbTransaction tx, string study) { }

    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        base.Dispose();
    }
}
