// The data worker starts first (services.ts creates its client and asks for the store's status), so it loads and
// opens the store while the rest of the page's code is evaluated.
import "./services.ts";
import { render } from "preact";
import { App } from "./app.tsx";
import "./styles.css";
import "./layout.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
// One task's pause before the first render: the browser starts the data worker's thread from this page's thread, once
// the worker's script has loaded (index.html's first script asked for it). That message waits behind whatever task
// runs here; rendering now (and the layout it forces) held the worker's start back by 100 ms and more.
await new Promise((resume) => setTimeout(resume, 0));
render(<App />, root);
