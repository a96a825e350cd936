import { render } from "preact";
import { App } from "./app.tsx";
import "./styles.css";
import "./layout.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(<App />, root);
