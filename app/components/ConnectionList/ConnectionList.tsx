import type { SocketConnection } from "../../state/cellOutput";

const LABEL: Record<string, string> = { connecting: "connecting", open: "connected", retrying: "retrying", closed: "closed" };

/** The cell's sockets and their state: connecting, connected, retrying (with why) or closed. */
export function ConnectionList({ connections }: { connections: SocketConnection[] }) {
  if (connections.length === 0) return null;
  return (
    <ul className="connection-list" aria-label="Socket connections">
      {connections.map((c) => (
        <li key={c.socketId} className={`connection connection--${c.state}`} data-testid="socket-connection" data-state={c.state}>
          <span className="connection__state">{LABEL[c.state] ?? c.state}</span>
          <span className="connection__message">{c.message}</span>
        </li>
      ))}
    </ul>
  );
}
