/**
 * Names shared by the collaboration server and its clients: WebSocket close codes (mirroring
 * HTTP statuses, as Hocuspocus does) and the names inside each section's Yjs document.
 */
export const CloseCode = {
  /** Normal closure. */
  normal: 1000,
  /** Server going down (restart, SIGTERM). Clients reconnect. */
  goingAway: 1001,
  /** A frame the protocol cannot parse. */
  unsupportedData: 1003,
  /** A message that breaks the protocol (malformed y-websocket message). */
  policyViolation: 1008,
  /** A frame larger than the server accepts. */
  messageTooBig: 1009,
  /** Unexpected server error while handling this connection. */
  internalError: 1011,
  /** No valid session. */
  unauthorized: 4401,
  /** Signed in but not a member of the charter. */
  forbidden: 4403,
  /** The charter or section does not exist (or is not visible). */
  notFound: 4404,
  /** Too many messages or connections. */
  rateLimited: 4429,
} as const;

/** Name of the `Y.XmlFragment` that holds a section's editor content. */
export const CONTENT_FIELD = 'content';

/** Maximum size of one WebSocket message accepted by the server, in bytes. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * The `serverUrl` path a y-websocket provider needs for a charter, without the origin: the
 * provider appends `/<sectionId>` (its room name), giving `/collab/:charterId/:sectionId`.
 */
export function collabServerPath(charterId: string): string {
  return `/collab/${encodeURIComponent(charterId)}`;
}

/** Fields a client publishes in its awareness state (`user`). */
export interface PresenceUser {
  id: string;
  name: string;
  organisation?: string | null;
  color: string;
}
