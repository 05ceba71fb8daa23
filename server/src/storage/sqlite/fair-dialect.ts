// Kysely's SQLite driver hands its one connection over with a mutex that wakes every waiter on
// each release: with hundreds of queries waiting (a busy chat), each release costs hundreds of
// wake-ups and the server spends its time in the queue. This dialect puts a first-come,
// first-served queue in front, so the driver's own mutex is never contended.
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

export class FifoLock {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock straight to the longest waiter, or frees it. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

class FairSqliteDriver extends SqliteDriver {
  private readonly queue = new FifoLock();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.queue.acquire();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.queue.release();
  }

  /**
   * Takes the write lock at BEGIN, where SQLite waits out a busy lock (busy_timeout). A deferred
   * BEGIN takes it at the first write instead, and a transaction that read first must then fail
   * at once with "database is locked" if the checkpointer's RESTART holds the lock (waiting could
   * deadlock), failing a whole commit group. This connection is the only writer, so taking the
   * lock early costs nothing.
   */
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class FairSqliteDialect extends SqliteDialect {
  constructor(private readonly driverConfig: SqliteDialectConfig) {
    super(driverConfig);
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.driverConfig);
  }
}
