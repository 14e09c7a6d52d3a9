import { mount } from "svelte";
import App from "./App.svelte";
import { messageOf } from "./lib/api";
import { showError } from "./lib/toasts.svelte";
import { reportable } from "./lib/words";
import "./app.css";

// Anything that escapes a handler still reaches the user, not only the console.
window.addEventListener("unhandledrejection", (event) => showError(messageOf(event.reason)));
window.addEventListener("error", (event) => {
  if (reportable(event.message)) showError(event.message);
});

const target = document.getElementById("app");
if (target) mount(App, { target });
