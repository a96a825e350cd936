// The data worker starts first (services.ts creates its client and asks for the store's status), so it loads and
// opens the store while the rest of the page's code is evaluated.
import "./services.ts";
import { render } from "preact";
import { App } from "./app.tsx";
import "./styles.css";
import "./layout.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(<App />, root);
