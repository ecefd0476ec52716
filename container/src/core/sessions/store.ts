/**
 * MCP session storage: the interface the session stage uses, and an in-memory implementation for the
 * local server and tests. The DynamoDB implementation (container/src/sessions/dynamodb.ts) is the one
 * for Lambda, where consecutive requests of one session reach different execution environments.
 *
 * A session is addressed by tenant and id together ({@link SessionKey}) and remembers its owner, so
 * a session id is useless to another tenant or user (MCP spec 2025-06-18, Security Best Practices,
 * "Session Hijacking": key session data by user as well as by session id).
 */

/** What identifies a session: the tenant (`"-"` when tenant isolation is off) and the session id. */
export interface SessionKey {
  readonly tenantId: string;
  readonly sessionId: string;
}

/** One session. Times are epoch seconds. */
export interface SessionRecord extends SessionKey {
  /** Who created it: `<client_id>|<sub>` of the verified token, or `anonymous` without authentication. */
  readonly owner: string;
  /** Protocol version the client asked for in `initialize`. */
  readonly protocolVersion?: string;
  readonly createdAt: number;
  /** After this instant the session is unknown (404), even if storage still holds it. */
  readonly expiresAt: number;
}

export interface SessionStore {
  /** Stores a new session. @throws Error when the key exists already (never expected with random ids) */
  create(record: SessionRecord): Promise<void>;
  /** The live session, or undefined when absent or past `expiresAt` (as of `now`, epoch seconds). */
  get(key: SessionKey, now: number): Promise<SessionRecord | undefined>;
  /** Moves `expiresAt` (sliding expiry). A session deleted meanwhile stays deleted. */
  touch(key: SessionKey, expiresAt: number): Promise<void>;
  /** Ends the session; resolves whether a live session was deleted. */
  delete(key: SessionKey, now: number): Promise<boolean>;
}

/** Options of {@link createMemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Most sessions held; the oldest is dropped beyond it. @default 10000 */
  readonly maxSessions?: number;
}

/**
 * A process-local store (a Map in insertion order, bounded). Right for `npm start` and tests; on
 * Lambda it would lose sessions between execution environments, so the app refuses it there only by
 * documentation: use `MCP_SESSION_STORE=dynamodb`.
 */
export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  const max = options.maxSessions ?? 10_000;
  const sessions = new Map<string, SessionRecord>();
  const id = (key: SessionKey) => `${key.tenantId}\u0000${key.sessionId}`;
  return {
    async create(record) {
      const k = id(record);
      if (sessions.has(k)) throw new Error("session exists");
      sessions.set(k, record);
      while (sessions.size > max) sessions.delete(sessions.keys().next().value as string);
    },
    async get(key, now) {
      const record = sessions.get(id(key));
      if (record === undefined) return undefined;
      if (record.expiresAt <= now) {
        sessions.delete(id(key));
        return undefined;
      }
      return record;
    },
    async touch(key, expiresAt) {
      const record = sessions.get(id(key));
      if (record !== undefined) sessions.set(id(key), { ...record, expiresAt });
    },
    async delete(key, now) {
      const record = sessions.get(id(key));
      sessions.delete(id(key));
      return record !== undefined && record.expiresAt > now;
    },
  };
}
