// The one address `npm start` serves the app at. Same values as APP_HOST and APP_PORT in core/schema/bridge.ts (the
// extension trusts that address before it is paired; test/build/start.test.ts checks the two agree).
import { createServer } from "node:net";

/** The app's own host name: browsers resolve every `*.localhost` name to this computer. */
export const APP_HOST = "vitals.localhost";
/** A port no common dev tool takes by default (8482 spells VITA on a phone keypad). */
export const APP_PORT = 8482;
/** The app's address. */
export const APP_ORIGIN = `http://${APP_HOST}:${APP_PORT}`;

/** Whether something already listens on `port` on this host's IPv4 or IPv6 loopback (both: browsers try both). */
export async function portTaken(port) {
  const attempt = (host) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once("error", (error) => resolve(error.code === "EADDRINUSE" || error.code === "EACCES"));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
    });
  // No IPv6 on this machine (EADDRNOTAVAIL) counts as free there.
  return (await attempt("127.0.0.1")) || (await attempt("::1"));
}

/** What `npm start` says when the app's port is taken: which port, why it matters, and how to free it. */
export function portTakenMessage(port = APP_PORT, origin = APP_ORIGIN) {
  return `
Vitals was not started: port ${port} is already in use (by another program, or by Vitals itself in another
terminal: if so, the app is already at ${origin}/).

Vitals always serves the app at ${origin}/ and never moves to another port: the app keeps your data in
this browser under that exact address (scheme, host and port), so on another port it would open with an empty
database and your accounts would look lost; and the extension takes badge data only from that address.

Free port ${port}, then run npm start again:
  • see which program holds it:  lsof -nP -iTCP:${port} -sTCP:LISTEN      (Windows: netstat -ano | findstr :${port})
  • stop that program (Ctrl+C in its terminal, or kill <PID>).
`;
}
