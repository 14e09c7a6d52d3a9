// Short messages shown in the corner: errors stay until dismissed.
export interface Toast {
  id: number;
  kind: "error" | "info";
  message: string;
}

let nextId = 1;
export const toasts: Toast[] = $state([]);

export function showError(message: string): void {
  toasts.push({ id: nextId++, kind: "error", message });
}

export function showInfo(message: string): void {
  const id = nextId++;
  toasts.push({ id, kind: "info", message });
  setTimeout(() => dismiss(id), 4000);
}

export function dismiss(id: number): void {
  const index = toasts.findIndex((toast) => toast.id === id);
  if (index >= 0) toasts.splice(index, 1);
}
