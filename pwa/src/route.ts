/**
 * The page a hash names: #/, #/accounts, #/accounts/<id>, #/alerts, #/alerts/rules, #/alerts/digest, #/tasks, #/plays, #/data,
 * #/scorecards, #/scorecards/new (?from=<id> for a copy), #/scorecards/<id> (?saved=<version> right after a new
 * scorecard's first save, which its editor then says), #/scorecards/<id>/print, #/scorecards/<id>/validate.
 */
export type Route =
  | { page: "dashboard" }
  | { page: "accounts" }
  | { page: "account"; id: string }
  | { page: "data" }
  | { page: "alerts" }
  | { page: "alert-digest" }
  | { page: "alert-rules" }
  | { page: "tasks" }
  | { page: "plays" }
  | { page: "scorecards" }
  | { page: "scorecard"; id: string | null; from?: string; savedAs?: number }
  | { page: "scorecard-print"; id: string }
  | { page: "scorecard-validate"; id: string }
  | { page: "missing"; hash: string };

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  if (path === "/") return { page: "dashboard" };
  if (path === "/accounts") return { page: "accounts" };
  if (path === "/data") return { page: "data" };
  if (path === "/alerts") return { page: "alerts" };
  if (path === "/alerts/rules") return { page: "alert-rules" };
  if (path === "/alerts/digest") return { page: "alert-digest" };
  if (path === "/tasks") return { page: "tasks" };
  if (path === "/plays") return { page: "plays" };
  if (path === "/scorecards") return { page: "scorecards" };
  const created = /^\/scorecards\/new(?:\?from=(.+))?$/.exec(path);
  if (created) {
    return created[1]
      ? { page: "scorecard", id: null, from: decodeURIComponent(created[1]) }
      : { page: "scorecard", id: null };
  }
  const print = /^\/scorecards\/([^/]+)\/print$/.exec(path);
  if (print?.[1]) return { page: "scorecard-print", id: decodeURIComponent(print[1]) };
  const validate = /^\/scorecards\/([^/]+)\/validate$/.exec(path);
  if (validate?.[1]) return { page: "scorecard-validate", id: decodeURIComponent(validate[1]) };
  // An id is URI-encoded (encodeURIComponent), so a "?" in the path starts the query.
  const card = /^\/scorecards\/([^/?]+)(?:\?saved=([1-9]\d*))?$/.exec(path);
  if (card?.[1]) {
    const id = decodeURIComponent(card[1]);
    return card[2] ? { page: "scorecard", id, savedAs: Number(card[2]) } : { page: "scorecard", id };
  }
  const account = /^\/accounts\/(.+)$/.exec(path);
  if (account?.[1]) return { page: "account", id: decodeURIComponent(account[1]) };
  return { page: "missing", hash: path };
}

/** The hash of a scorecard's editor; with `savedAs`, the editor opens saying that version was just saved. */
export function scorecardHash(id: string, savedAs?: number): string {
  return `#/scorecards/${encodeURIComponent(id)}${savedAs === undefined ? "" : `?saved=${savedAs}`}`;
}
