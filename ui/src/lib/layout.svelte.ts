/**
 * How dense the editor's grid is, shared by the project view (which narrows
 * the document list) and the editor, and kept across restarts.
 */
export const layout = $state({ compact: localStorage.getItem("verso.compact") === "on" });

export function setCompact(compact: boolean) {
  layout.compact = compact;
  localStorage.setItem("verso.compact", compact ? "on" : "off");
}
