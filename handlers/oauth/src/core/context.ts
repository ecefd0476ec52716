/**
 * What every endpoint works with: settings, storage, signer, the upstream provider, the clock and
 * the audit log.
 */
import type { FetchedDocument } from "./clients/cimd.js";
import type { OAuthSettings } from "./config.js";
import type { OAuthStore } from "./store/types.js";
import type { Signer } from "./tokens/signer.js";
import type { Upstream } from "./upstream.js";
import type { Clock } from "./util.js";

/** The logger the audit lines go to (Powertools Logger satisfies it). */
export interface AuditLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
}

/** Decisions recorded in the audit log (design: one line per decision). */
export type AuditEvent =
  | "oauth.authorize"
  | "oauth.callback"
  | "oauth.consent"
  | "oauth.token"
  | "oauth.refresh"
  | "oauth.revoke"
  | "oauth.register"
  | "oauth.cimd_fetch";

/**
 * One audit line: event, outcome, reason, client id, subject, grant id. Never tokens, codes,
 * secrets or documents: only these named fields are written.
 */
export interface AuditRecord {
  readonly outcome: "success" | "failure";
  readonly reason?: string;
  readonly client_id?: string;
  readonly sub?: string;
  readonly grant_id?: string;
  readonly source_ip?: string;
}

export interface ServerContext {
  readonly settings: OAuthSettings;
  readonly store: OAuthStore;
  /** Signs access tokens; needed by the token endpoints only. */
  readonly signer?: Signer;
  readonly upstream: Upstream;
  /** Fetches Client ID Metadata Documents. @default a fetcher built from the settings (public addresses only) */
  readonly cimd?: (clientId: string) => Promise<FetchedDocument>;
  readonly now: Clock;
  audit(event: AuditEvent, record: AuditRecord): void;
}

/** Information from the adapter that the Request does not carry. */
export interface RequestInfo {
  /** Client address (API Gateway `requestContext.http.sourceIp`, or the socket's remote address). */
  readonly sourceIp?: string | undefined;
}

/** Builds the audit function on `logger`: a JSON line with only the named fields. */
export function auditTo(logger: AuditLogger): ServerContext["audit"] {
  return (event, record) => {
    const line: Record<string, unknown> = { event, outcome: record.outcome };
    for (const key of ["reason", "client_id", "sub", "grant_id", "source_ip"] as const)
      if (record[key] !== undefined) line[key] = record[key];
    logger.info(event, line);
  };
}
