import { monaco } from "../monaco/setupMonaco";

export type Theme = "light" | "dark";
const KEY = "streaming-playground:theme";

/** The theme chosen before, or the system's. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Applies a theme to the page and every editor, and remembers it. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  monaco.editor.setTheme(theme === "dark" ? "vs-dark" : "vs");
  localStorage.setItem(KEY, theme);
}
