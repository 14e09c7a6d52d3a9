/** "1 word", "2 words": a count with its noun agreeing. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/**
 * A document title as a default file name: the characters file systems
 * refuse (or Windows does: `:` from "Statement: March 2025") become dashes.
 */
export function fileName(title: string): string {
  const safe = title
    .replace(/[/\\:*?"<>|\u0000-\u001f]+/g, " - ")
    .replace(/\s+/g, " ")
    .replace(/^[\s.-]+|[\s.-]+$/g, "");
  return safe || "Untitled";
}

/**
 * Whether a window error is worth a toast: the browser's note that a
 * ResizeObserver could not deliver every notification in one frame (seen
 * while scrolling a long document) is harmless, not an error of Verso's.
 */
export function reportable(message: string | undefined): boolean {
  return !!message && !/ResizeObserver loop (completed with undelivered notifications|limit exceeded)/.test(message);
}
